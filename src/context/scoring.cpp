#include "contextweaver/context/scoring.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/core/unicode.hpp"
#include "pooled_tokens.hpp"
#include "tag_set.hpp"

namespace contextweaver {

namespace context_detail {

std::vector<std::string> tag_set(const Json& metadata) {
  std::set<std::string> tags;
  if (!metadata.is_object()) return {};
  auto it = metadata.find("tags");
  if (it == metadata.end()) return {};
  if (it->is_array()) {
    for (const auto& t : *it) {
      if (t.is_string()) {
        tags.insert(t.get<std::string>());
      } else {
        // Built piecewise: GCC 12 at -O3 misreports "\x01" + std::string as an overflow.
        std::string key(1, '\x01');
        key.append(dumps(t));
        tags.insert(std::move(key));
      }
    }
  } else if (it->is_string()) {  // set("ab") is a set of characters
    const std::string& s = it->get_ref<const std::string&>();
    for (std::size_t pos = 0; pos < s.size();) {
      const std::size_t start = pos;
      decode_code_point(s, pos);
      tags.emplace(s, start, pos - start);
    }
  } else if (it->is_object()) {
    for (const auto& [k, v] : it->items()) tags.insert(k);
  }
  return {tags.begin(), tags.end()};
}

}  // namespace context_detail

namespace {

using context_detail::tag_set;

// The score given the text similarity (only used when there are no query tags).
double compute(const ContextItem& item, double text_sim, std::int64_t position, std::int64_t total,
               const std::vector<std::string>& query_tag_set, const ScoringConfig& config) {
  const double recency = static_cast<double>(position + 1) / static_cast<double>(std::max<std::int64_t>(total, 1));
  const double tag_sim = query_tag_set.empty() ? text_sim : jaccard(tag_set(item.metadata), query_tag_set);
  const double kind = kind_priority(item.kind);
  const double penalty = 1.0 / (1.0 + static_cast<double>(item.token_estimate) / 500.0);
  return config.recency_weight * recency + config.tag_match_weight * tag_sim + config.kind_priority_weight * kind +
         config.token_cost_penalty * penalty;
}

std::vector<std::string> unique_sorted(const std::vector<std::string>& v) {
  std::set<std::string> s(v.begin(), v.end());
  return {s.begin(), s.end()};
}

}  // namespace

double kind_priority(ItemKind kind) {
  switch (kind) {
    case ItemKind::policy:
      return 1.0;
    case ItemKind::plan_state:
      return 0.9;
    case ItemKind::user_turn:
      return 0.85;
    case ItemKind::agent_msg:
      return 0.7;
    case ItemKind::tool_call:
      return 0.6;
    case ItemKind::tool_result:
      return 0.55;
    case ItemKind::memory_fact:
      return 0.5;
    case ItemKind::doc_snippet:
      return 0.4;
  }
  return 0.3;
}

double score_item(const ContextItem& item, std::string_view query, std::int64_t position, std::int64_t total,
                  const std::vector<std::string>& query_tags, const ScoringConfig& config) {
  const double text_sim = jaccard(tokenize(item.text), tokenize(query));
  return compute(item, text_sim, position, total, unique_sorted(query_tags), config);
}

std::vector<ScoredItem> score_candidates(std::vector<ContextItem> items, std::string_view query,
                                         const std::vector<std::string>& query_tags, const ScoringConfig& config) {
  const auto pool = std::make_shared<PooledTokens>();
  const auto query_tokens = pool->vocabulary.token_ids(query);
  // Ids interned later are never query tokens, so the mask stays this size.
  std::vector<char> in_query(pool->vocabulary.size(), 0);
  for (std::uint32_t id : query_tokens) in_query[id] = 1;
  // Jaccard with the query from the counts, as core jaccard computes it.
  auto text_similarity = [&](const std::vector<std::uint32_t>& ids) {
    if (ids.empty() && query_tokens.empty()) return 0.0;
    std::size_t common = 0;
    for (std::uint32_t id : ids) common += id < in_query.size() && in_query[id];
    const std::size_t united = ids.size() + query_tokens.size() - common;
    return static_cast<double>(common) / static_cast<double>(united);
  };
  const auto tag_query = unique_sorted(query_tags);
  const auto total = static_cast<std::int64_t>(items.size());
  const auto n = static_cast<std::size_t>(total);
  std::vector<double> scores(n);
  pool->begin.reserve(n + 1);
  pool->ids.reserve(16 * n);       // a typical item's token count: few regrowths
  std::vector<std::uint32_t> ids;  // scratch, reused for every item
  for (std::size_t i = 0; i < n; ++i) {
    pool->add(items[i].text, ids);  // every item's ids in one buffer, not one vector each
    const double text_sim = tag_query.empty() ? text_similarity(ids) : 0.0;
    scores[i] = compute(items[i], text_sim, static_cast<std::int64_t>(i), total, tag_query, config);
  }
  const std::shared_ptr<const TokenVocabulary> vocabulary = pooled_vocabulary(pool);
  // Sorts indices (same comparator, same stable order), then builds each
  // ScoredItem in its final place: every item is moved once.
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    return items[a].id < items[b].id;
  });
  std::vector<ScoredItem> sorted;
  sorted.reserve(n);
  for (std::size_t i : order) {
    sorted.push_back(
        ScoredItem{scores[i], std::move(items[i]), static_cast<std::int64_t>(i), pool->item(i), vocabulary});
  }
  return sorted;
}

}  // namespace contextweaver
