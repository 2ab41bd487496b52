// Pipeline stage 6: near-duplicate removal (context/dedup.py).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "contextweaver/context/scoring.hpp"

namespace contextweaver {

// Walks `scored` in order (descending score) and drops an item when the
// Jaccard similarity of its tokenized text with any already-KEPT item is
// >= threshold; the kept list keeps its order. Returns (kept, removed count).
//
// Same result as the reference's quadratic scan, computed with exact
// filters over the items' cached token ids (ScoredItem::token_ids; items
// without ids of one shared vocabulary are tokenized here): up to 32,768
// items, size-bucketed bitsets (small shared vocabulary) or a prefix-filtered
// join; beyond, an index whose pigeonhole partition filter keeps the cost
// about linear when little is similar (docs/context.md, "Stage 6, dedup").
// Every candidate pair is verified with the exact Jaccard in double.
// `removed_items`, when given, receives the drops.
std::pair<std::vector<ScoredItem>, std::int64_t> deduplicate_candidates(
    std::vector<ScoredItem> scored, double threshold = 0.85, std::vector<ContextItem>* removed_items = nullptr);

// The reference's straightforward quadratic algorithm (kept for tests and
// benchmarks as the oracle).
std::pair<std::vector<ScoredItem>, std::int64_t> deduplicate_candidates_quadratic(std::vector<ScoredItem> scored,
                                                                                  double threshold = 0.85);

}  // namespace contextweaver
