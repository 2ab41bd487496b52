#include "bpe_merge.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace contextweaver::tokens_detail {
namespace {

// Below this many bytes the O(n^2) scan beats the heap's bookkeeping.
constexpr std::size_t kHeapThreshold = 96;

}  // namespace

void byte_pair_encode_scan(const RankTable& table, std::string_view piece, std::vector<Rank>& out) {
  const std::size_t n = piece.size();
  // start[i]: where part i begins (start[m] == n is a sentinel); pair[i]: the
  // rank of part i merged with part i + 1; tok[i]: the rank of part i.
  thread_local std::vector<std::uint32_t> start;
  thread_local std::vector<Rank> pair, tok;
  start.resize(n + 1);
  pair.resize(n);
  tok.resize(n);
  for (std::size_t i = 0; i <= n; ++i) start[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = 0; i < n; ++i) tok[i] = table.byte_rank(static_cast<unsigned char>(piece[i]));
  std::size_t m = n;  // number of parts
  const auto pair_rank = [&](std::size_t i) {
    return i + 2 <= m ? table.find(piece.substr(start[i], start[i + 2] - start[i])) : kNoRank;
  };
  for (std::size_t i = 0; i < m; ++i) pair[i] = pair_rank(i);
  while (m > 1) {
    std::size_t best = 0;
    Rank best_rank = kNoRank;
    for (std::size_t i = 0; i + 1 < m; ++i) {
      if (pair[i] < best_rank) {
        best_rank = pair[i];
        best = i;
      }
    }
    if (best_rank == kNoRank) break;
    tok[best] = best_rank;
    // Remove part best + 1.
    std::copy(start.begin() + best + 2, start.begin() + m + 1, start.begin() + best + 1);
    std::copy(pair.begin() + best + 2, pair.begin() + m, pair.begin() + best + 1);
    std::copy(tok.begin() + best + 2, tok.begin() + m, tok.begin() + best + 1);
    --m;
    pair[best] = pair_rank(best);
    if (best > 0) pair[best - 1] = pair_rank(best - 1);
  }
  out.insert(out.end(), tok.begin(), tok.begin() + m);
}

void byte_pair_encode_heap(const RankTable& table, std::string_view piece, std::vector<Rank>& out) {
  const std::size_t n = piece.size();
  constexpr std::uint32_t kEnd = UINT32_MAX;
  // Parts are identified by their start offset, which never changes: a merge
  // keeps the left part and unlinks the right one. So (rank, start) orders
  // candidate merges exactly as tiktoken's "lowest rank, leftmost" rule.
  thread_local std::vector<std::uint32_t> next, prev;
  thread_local std::vector<Rank> pair, tok;
  next.resize(n);
  prev.resize(n);
  pair.resize(n);
  tok.resize(n);
  const auto end_of = [&](std::uint32_t i) { return next[i] == kEnd ? static_cast<std::uint32_t>(n) : next[i]; };
  const auto pair_rank = [&](std::uint32_t i) {
    if (next[i] == kEnd) return kNoRank;
    return table.find(piece.substr(i, end_of(next[i]) - i));
  };
  // Candidates packed as rank << 32 | start: one integer compare orders
  // them by rank, then leftmost; a min-heap via std::greater.
  thread_local std::vector<std::uint64_t> heap;
  heap.clear();
  const auto key = [](Rank rank, std::uint32_t i) { return (static_cast<std::uint64_t>(rank) << 32) | i; };
  const auto push = [&](Rank rank, std::uint32_t i) {
    heap.push_back(key(rank, i));
    std::push_heap(heap.begin(), heap.end(), std::greater<>{});
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? i + 1 : kEnd;
    prev[i] = i > 0 ? i - 1 : kEnd;
    tok[i] = table.byte_rank(static_cast<unsigned char>(piece[i]));
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    pair[i] = pair_rank(i);
    if (pair[i] != kNoRank) heap.push_back(key(pair[i], i));
  }
  std::make_heap(heap.begin(), heap.end(), std::greater<>{});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
    const std::uint64_t top = heap.back();
    heap.pop_back();
    const auto rank = static_cast<Rank>(top >> 32);
    const auto i = static_cast<std::uint32_t>(top);
    // Stale entries: the part was unlinked, or its right neighbour changed.
    // A changed pair always has a different rank (same start, other bytes).
    if (pair[i] != rank) continue;
    const std::uint32_t j = next[i];
    tok[i] = rank;
    next[i] = next[j];
    if (next[j] != kEnd) prev[next[j]] = i;
    pair[j] = kNoRank;  // j is gone; invalidates its queued entries
    pair[i] = pair_rank(i);
    if (pair[i] != kNoRank) push(pair[i], i);
    if (prev[i] != kEnd) {
      const std::uint32_t p = prev[i];
      pair[p] = pair_rank(p);
      if (pair[p] != kNoRank) push(pair[p], p);
    }
  }
  for (std::uint32_t i = 0; i != kEnd; i = next[i]) out.push_back(tok[i]);
}

void byte_pair_encode(const RankTable& table, std::string_view piece, std::vector<Rank>& out) {
  if (piece.size() == 1) {
    out.push_back(table.byte_rank(static_cast<unsigned char>(piece[0])));
  } else if (piece.size() < kHeapThreshold) {
    byte_pair_encode_scan(table, piece, out);
  } else {
    byte_pair_encode_heap(table, piece, out);
  }
}

}  // namespace contextweaver::tokens_detail
