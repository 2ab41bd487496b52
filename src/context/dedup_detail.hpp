// Private to the context module: the two scanning dedup algorithms behind
// deduplicate_candidates (dedup.cpp), one file each, for batches up to
// kMaxScanCandidates; larger batches use NearDuplicateIndex
// (near_duplicates.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "contextweaver/core/text_terms.hpp"

namespace contextweaver::dedup_detail {

// One id set per candidate (unique ids, any order), in candidate (score) order.
using TokenSets = std::vector<std::span<const std::uint32_t>>;

// Batches of more candidates use NearDuplicateIndex when the threshold is at
// least kMinIndexThreshold: its cost grows about linearly where nothing is
// similar, while the scans below are cheaper per comparison but grow with
// n x kept (perfgen workload at 0.85: the scans win up to ~40k candidates,
// tie at ~60k, then take 0.7 s at 80k and 2.4 s at 150k, the index 0.34 s
// and 0.65 s). At lower thresholds a set's parts hold few ids (about
// t/(1-t)), so many sets share keys of empty parts and the index filters little.
inline constexpr std::size_t kMaxScanCandidates = 32768;
inline constexpr double kMinIndexThreshold = 0.75;

// |a ∩ b| over two ascending id sets, or any value below `needed` as soon as
// `needed` can no longer be reached (the pair is then no duplicate). Shared by
// the prefix join and NearDuplicateIndex's verification.
inline std::size_t overlap(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b, std::size_t needed) {
  std::size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    if (n + std::min(a.size() - i, b.size() - j) < needed) return n;
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

// Shared vocabularies up to this size (ids held by two or more candidates)
// use the bitset algorithm.
inline constexpr std::size_t kMaxBitsetIds = 4096;

// Both set is_dup[i] = 1 for every candidate whose Jaccard similarity with an
// earlier KEPT candidate is >= threshold, and return how many they marked.
// `count[id]` = number of candidates holding id; `t_filter` = a threshold
// lowered by a relative 1e-9 for the filters (verification uses `threshold`).

// Small shared vocabulary: bitsets over the ids held by two or more candidates.
std::int64_t dedup_bitsets(const TokenSets& raw, const std::vector<std::uint32_t>& count, std::size_t shared,
                           double threshold, double t_filter, std::vector<char>& is_dup);

// Large vocabulary: the prefix-filtered join over frequency-ranked ids
// (ties broken by token text so the order is deterministic).
std::int64_t dedup_prefix(const TokenSets& raw, const std::vector<std::uint32_t>& count,
                          const TokenVocabulary& vocabulary, double threshold, double t_filter,
                          std::vector<char>& is_dup);

}  // namespace contextweaver::dedup_detail
