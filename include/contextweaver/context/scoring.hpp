// Pipeline stage 5: relevance scoring (context/scoring.py).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/context/config.hpp"
#include "contextweaver/core/text_terms.hpp"

namespace contextweaver {

// A candidate with its score. `token_ids` caches the item's token set
// (tokenize(item.text)) as unique ids of `vocabulary` (first-occurrence order), shared by every item
// of one score_candidates call, so dedup compares integer sets and never
// tokenizes again; a null `vocabulary` means "not computed". The ids live in
// one buffer owned together with the vocabulary (the `vocabulary` pointer
// keeps it alive), not in one allocation per item.
struct ScoredItem {
  double score = 0.0;
  ContextItem item;
  std::int64_t position = 0;  // index in the scored candidate list (log order)
  std::span<const std::uint32_t> token_ids;
  std::shared_ptr<const TokenVocabulary> vocabulary;
};

// The kind priority of the score (policy 1.0 … doc_snippet 0.4).
double kind_priority(ItemKind kind);

// The reference's score of one item at `position` of `total` candidates:
//   recency_weight*(position+1)/max(total,1) + tag_match_weight*tag_sim
//   + kind_priority_weight*kind + token_cost_penalty/(1 + token_estimate/500)
// where tag_sim is the Jaccard of metadata["tags"] and query_tags when tags
// are given, else the Jaccard of the tokenized text and query.
double score_item(const ContextItem& item, std::string_view query, std::int64_t position, std::int64_t total,
                  const std::vector<std::string>& query_tags, const ScoringConfig& config);

// Scores every item (position = index in `items`) and sorts by score
// descending, ties by id ascending. Every text is tokenized once, into ids of
// one vocabulary shared by the returned items.
std::vector<ScoredItem> score_candidates(std::vector<ContextItem> items, std::string_view query,
                                         const std::vector<std::string>& query_tags, const ScoringConfig& config);

}  // namespace contextweaver
