// Stage 6: exact near-duplicate removal. The candidates' token sets arrive as
// ids of one TokenVocabulary (cached by score_candidates). Many candidates go
// through NearDuplicateIndex (near_duplicates.cpp: near-linear when little is
// similar); up to kMaxScanCandidates this file counts how many candidates
// hold each id and dispatches to the bitset algorithm (small shared
// vocabulary, dedup_bitsets.cpp) or the prefix-filtered join
// (dedup_prefix.cpp), whose scans are cheaper there. All give exactly the
// reference's quadratic result (docs/context.md, "Stage 6, dedup").
#include "contextweaver/context/dedup.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "dedup_detail.hpp"
#include "near_duplicates.hpp"
#include "pooled_tokens.hpp"
#include "contextweaver/core/text_terms.hpp"

namespace contextweaver {

namespace {

// Makes sure every item carries ids of one shared vocabulary (items built by
// hand, or scored in separate calls, are tokenized again into a fresh one);
// returns that vocabulary (null when there are no items).
std::shared_ptr<const TokenVocabulary> ensure_token_ids(std::vector<ScoredItem>& scored) {
  if (scored.empty()) return nullptr;
  const auto& first = scored.front().vocabulary;
  bool shared = first != nullptr;
  for (const auto& s : scored) shared = shared && s.vocabulary == first;
  if (shared) return first;
  const auto pool = std::make_shared<PooledTokens>();
  std::vector<std::uint32_t> scratch;
  for (const auto& s : scored) pool->add(s.item.text, scratch);
  auto vocabulary = pooled_vocabulary(pool);
  for (std::size_t i = 0; i < scored.size(); ++i) {
    scored[i].token_ids = pool->item(i);
    scored[i].vocabulary = vocabulary;
  }
  return vocabulary;
}

// The items not marked in is_dup, in order; the marked ones go to
// removed_items when given.
std::pair<std::vector<ScoredItem>, std::int64_t> drop_duplicates(std::vector<ScoredItem> scored,
                                                                 const std::vector<char>& is_dup, std::int64_t removed,
                                                                 std::vector<ContextItem>* removed_items) {
  const std::size_t n = scored.size();
  if (removed == 0) return {std::move(scored), 0};
  std::vector<ScoredItem> kept;
  kept.reserve(n - static_cast<std::size_t>(removed));
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_dup[i]) {
      kept.push_back(std::move(scored[i]));
    } else if (removed_items) {
      removed_items->push_back(std::move(scored[i].item));
    }
  }
  return {std::move(kept), removed};
}

// Marks every item similar to an earlier kept one: each item is probed
// against the kept items' index and joins it when nothing matched.
std::int64_t dedup_index(const std::vector<ScoredItem>& scored, double threshold, std::vector<char>& is_dup) {
  context_detail::NearDuplicateIndex kept(threshold);
  std::size_t total_ids = 0, total_keys = 0;
  for (const auto& s : scored) {
    total_ids += s.token_ids.size();
    total_keys += kept.keys_for(s.token_ids.size());
  }
  kept.reserve(scored.size(), total_ids, total_keys);
  std::int64_t removed = 0;
  for (std::size_t i = 0; i < scored.size(); ++i) {
    if (!kept.add_if_dissimilar(scored[i].token_ids)) {
      is_dup[i] = 1;
      ++removed;
    }
  }
  return removed;
}

}  // namespace

std::pair<std::vector<ScoredItem>, std::int64_t> deduplicate_candidates_quadratic(std::vector<ScoredItem> scored,
                                                                                  double threshold) {
  ensure_token_ids(scored);
  std::vector<std::vector<std::uint32_t>> kept_ids;  // ascending, as id_jaccard needs
  std::vector<ScoredItem> kept;
  std::int64_t removed = 0;
  for (auto& s : scored) {
    std::vector<std::uint32_t> ids(s.token_ids.begin(), s.token_ids.end());
    std::sort(ids.begin(), ids.end());
    bool duplicate = false;
    for (const auto& k : kept_ids) {
      if (id_jaccard(ids, k) >= threshold) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) {
      ++removed;
    } else {
      kept_ids.push_back(std::move(ids));
      kept.push_back(std::move(s));
    }
  }
  return {std::move(kept), removed};
}

std::pair<std::vector<ScoredItem>, std::int64_t> deduplicate_candidates(std::vector<ScoredItem> scored,
                                                                        double threshold,
                                                                        std::vector<ContextItem>* removed_items) {
  const std::size_t n = scored.size();
  std::vector<char> is_dup(n, 0);
  std::int64_t removed = 0;

  if (std::isnan(threshold) || threshold > 1.0 || n == 0) {
    // jaccard <= 1 < threshold (or a NaN comparison): nothing is ever removed.
  } else if (threshold <= 0.0) {
    // Every pair reaches the threshold: only the first item survives.
    for (std::size_t i = 1; i < n; ++i) is_dup[i] = 1;
    removed = static_cast<std::int64_t>(n) - 1;
  } else if (n > dedup_detail::kMaxScanCandidates && threshold >= dedup_detail::kMinIndexThreshold) {
    ensure_token_ids(scored);
    removed = dedup_index(scored, threshold, is_dup);
  } else {
    const auto vocabulary = ensure_token_ids(scored);
    dedup_detail::TokenSets raw(n);
    std::vector<std::uint32_t> count(vocabulary->size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      raw[i] = scored[i].token_ids;
      for (std::uint32_t id : scored[i].token_ids) ++count[id];
    }
    std::size_t shared = 0;
    for (std::uint32_t c : count) shared += c >= 2;

    const double t_filter = threshold * (1.0 - 1e-9);
    if (shared <= dedup_detail::kMaxBitsetIds) {
      removed = dedup_detail::dedup_bitsets(raw, count, shared, threshold, t_filter, is_dup);
    } else {
      removed = dedup_detail::dedup_prefix(raw, count, *vocabulary, threshold, t_filter, is_dup);
    }
  }

  return drop_duplicates(std::move(scored), is_dup, removed, removed_items);
}

}  // namespace contextweaver
