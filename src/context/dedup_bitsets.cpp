// Exact dedup for a small shared vocabulary. Tokens that occur in a single
// candidate can never be shared, so they only count towards set sizes; the
// shared ones (<= kMaxBitsetIds) index bitsets. Kept sets are bucketed by size,
// so a probe scans only size-compatible kept sets and computes |A ∩ B| with a
// few popcounts, or, when the similarity bound allows, only the kept sets that
// share one of its blocks (pigeonhole index below). Every candidate pair is
// verified with the reference's own arithmetic.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "dedup_detail.hpp"

namespace contextweaver::dedup_detail {

namespace {

// |a ∩ b| for two W-word bitsets (W fixed at compile time, 0 = runtime `words`).
// Inlined into its callers so that the popcnt clone below gets the instruction.
template <std::size_t W>
[[gnu::always_inline]] inline std::size_t popcount_and(const std::uint64_t* a, const std::uint64_t* b,
                                                       std::size_t words) {
  std::size_t n = 0;
  if constexpr (W == 0) {
    for (std::size_t w = 0; w < words; ++w) n += static_cast<std::size_t>(__builtin_popcountll(a[w] & b[w]));
  } else {
    (void)words;
    for (std::size_t w = 0; w < W; ++w) n += static_cast<std::size_t>(__builtin_popcountll(a[w] & b[w]));
  }
  return n;
}

// Block key -> kept sets filed under it: open addressing (capacity fixed at
// twice the most keys ever inserted), each slot heading a linked list.
class BlockTable {
 public:
  explicit BlockTable(std::size_t max_keys) {
    if (max_keys == 0) return;  // unused (no index): no table
    std::size_t cap = 64;
    while (cap < 2 * max_keys) cap *= 2;
    slots_.assign(cap, Slot{0, UINT32_MAX});
  }
  // The first entry for `key`, or UINT32_MAX.
  std::uint32_t find(std::uint64_t key) const { return slots_[slot(key)].head; }
  std::uint32_t next(std::uint32_t entry) const { return entries_[entry].next; }
  std::uint32_t kept(std::uint32_t entry) const { return entries_[entry].kept; }
  void insert(std::uint64_t key, std::uint32_t kept_index) {
    Slot& s = slots_[slot(key)];
    s.tag = tag(key);
    entries_.push_back(Entry{s.head, kept_index});
    s.head = static_cast<std::uint32_t>(entries_.size() - 1);
  }

 private:
  // A slot keeps 32 bits of its key: one cache line holds 8 slots. Two keys
  // that share a slot and a tag share a list, which only adds candidates
  // (every candidate is verified), so the index stays exact.
  struct Slot {
    std::uint32_t tag;
    std::uint32_t head;
  };
  struct Entry {
    std::uint32_t next;
    std::uint32_t kept;
  };
  static std::uint32_t tag(std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32); }
  std::size_t slot(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>((key ^ (key >> 29)) * 0xBF58476D1CE4E5B9ULL >> 20) & mask;
    while (slots_[i].head != UINT32_MAX && slots_[i].tag != tag(key)) i = (i + 1) & mask;
    return i;
  }
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
};

// Below this many candidates the size buckets are scanned without an index.
constexpr std::size_t kMinIndexed = 64;

// The key of block b of a set: the block's id hash, salted with b.
inline std::uint64_t block_key(std::uint64_t hash, std::size_t b) {
  return hash + (static_cast<std::uint64_t>(b) + 1) * 0xD6E8FEB86659FD93ULL;
}

// dedup_bitsets_body's steps. Each is forced inline, so the popcnt clone
// below compiles them with the instruction and the probe loop stays one loop.

// The similarity filters of one batch, from the lowered threshold t.
struct SimilarityBounds {
  double t_filter;
  double h_factor;    // (1-t)/(1+t)
  double need_ratio;  // t/(1+t), needed_for's factor, computed once

  explicit SimilarityBounds(double t) : t_filter(t), h_factor((1.0 - t) / (1.0 + t)), need_ratio(t / (1.0 + t)) {}

  // J >= t bounds the symmetric difference by H = (|x| + |y|) * (1-t)/(1+t),
  // with |y| <= |x|/t.
  double h_bound(std::size_t xs) const {
    const double hi_size = static_cast<double>(xs) / t_filter;
    return (static_cast<double>(xs) + hi_size) * h_factor * (1.0 + 1e-9) + 1e-9;
  }
  // J >= t needs |x ∩ y| >= t/(1+t) * (|x| + |y|): a cheap integer pre-check.
  std::size_t needed_for(std::size_t total) const {
    return static_cast<std::size_t>(std::max(0.0, std::floor(need_ratio * static_cast<double>(total))));
  }
};

// The pigeonhole index's shape: the shared ids cut into `blocks` blocks of
// `block_bits` ids. J >= t bounds the symmetric difference by H; with H below
// the k blocks of x that hold ids, one of those equals y's block. Each kept
// set is filed under a hash of each non-empty block; a probe whose bound H is
// below k only checks the sets sharing a block hash, any other probe scans the
// size buckets.
struct IndexPlan {
  std::size_t blocks = 0;
  std::size_t block_bits = 0;
  bool use = false;
};

[[gnu::always_inline]] inline IndexPlan plan_index(const TokenSets& raw, std::size_t shared,
                                                   const SimilarityBounds& bounds) {
  const std::size_t n = raw.size();
  IndexPlan plan;
  if (n >= kMinIndexed) {  // the index is only used from kMinIndexed candidates
    std::vector<std::size_t> need;
    for (const auto& r : raw) {
      if (!r.empty())
        need.push_back(static_cast<std::size_t>(std::min(64.0, std::floor(bounds.h_bound(r.size())))) + 1);
    }
    if (!need.empty()) {
      auto nth = need.begin() + static_cast<std::ptrdiff_t>(need.size() * 9 / 10);
      std::nth_element(need.begin(), nth, need.end());
      plan.blocks = std::min<std::size_t>(*nth, 64);
    }
  }
  plan.block_bits = plan.blocks ? (shared + plan.blocks - 1) / plan.blocks : 0;
  if (plan.block_bits) plan.blocks = (shared + plan.block_bits - 1) / plan.block_bits;  // blocks that hold ids
  plan.use = n >= kMinIndexed && plan.blocks >= 1 && plan.block_bits >= 8 && n * plan.blocks < (std::size_t{1} << 30);
  return plan;
}

// Per shared id, once: its share of a block hash (splitmix64 finalizer;
// block hashes are sums, so order-independent) and its block.
[[gnu::always_inline]] inline void hash_shared_ids(std::vector<std::uint64_t>& id_hash,
                                                   std::vector<std::uint32_t>& id_block, std::size_t block_bits) {
  for (std::size_t d = 0; d < id_hash.size(); ++d) {
    std::uint64_t z = (static_cast<std::uint64_t>(d) + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    id_hash[d] = z ^ (z >> 31);
    id_block[d] = static_cast<std::uint32_t>(d / block_bits);
  }
}

// The set being probed: its bitset, size and the size range a match needs
// (J >= t needs t*|x| <= |y| <= |x|/t, checked with the lowered threshold).
struct Probe {
  std::size_t i;  // candidate index
  const std::uint64_t* x;
  std::size_t xs;
  double lo_size;
  double hi_size;
};

// Kept sets filed in the pigeonhole index, in keep order.
struct IndexedKept {
  BlockTable table;
  std::vector<std::uint64_t> bits;     // words per kept set
  std::vector<std::uint32_t> size;     // |set| per kept set
  std::vector<std::uint32_t> seen_at;  // kept set -> last probe that verified it
};

// True when a kept set filed under one of the probe's non-empty blocks has
// J >= threshold with it.
template <std::size_t W>
[[gnu::always_inline]] inline bool found_by_index(IndexedKept& kept, const Probe& probe, std::size_t words,
                                                  const std::vector<std::uint64_t>& block_hash,
                                                  const std::vector<char>& block_used, double threshold,
                                                  const SimilarityBounds& bounds) {
  for (std::size_t b = 0; b < block_hash.size(); ++b) {
    if (!block_used[b]) continue;
    for (std::uint32_t e = kept.table.find(block_key(block_hash[b], b)); e != UINT32_MAX; e = kept.table.next(e)) {
      const std::uint32_t k = kept.table.kept(e);
      if (kept.seen_at[k] == probe.i) continue;
      kept.seen_at[k] = static_cast<std::uint32_t>(probe.i);
      const std::size_t ys = kept.size[k];
      const auto yd = static_cast<double>(ys);
      if (yd < probe.lo_size || yd > probe.hi_size) continue;
      const std::size_t total = probe.xs + ys;
      const std::size_t inter = popcount_and<W>(probe.x, kept.bits.data() + std::size_t{k} * words, words);
      if (inter < bounds.needed_for(total)) continue;
      const std::size_t uni = total - inter;
      if (static_cast<double>(inter) / static_cast<double>(uni) >= threshold) return true;
    }
  }
  return false;
}

// Kept sets by size, in one array laid out by a counting sort over every
// set's size (a set of size s can only be kept in region s): one allocation,
// not one growing vector per size.
struct SizeBuckets {
  std::size_t max_size;
  std::vector<std::size_t> start;  // region s: [start[s], start[s + 1]) sets
  std::vector<std::size_t> fill;   // sets kept per size
  std::unique_ptr<std::uint64_t[]> bits;

  SizeBuckets(const TokenSets& raw, std::size_t largest, std::size_t words)
      : max_size(largest), start(largest + 2, 0), fill(largest + 1, 0) {
    for (const auto& r : raw) ++start[r.size() + 1];
    for (std::size_t sz = 1; sz < start.size(); ++sz) start[sz] += start[sz - 1];
    bits = std::make_unique_for_overwrite<std::uint64_t[]>(raw.size() * words);
  }
};

// True when a kept set of a compatible size has J >= threshold with the probe.
template <std::size_t W>
[[gnu::always_inline]] inline bool found_in_buckets(const SizeBuckets& buckets, const Probe& probe, std::size_t words,
                                                    double threshold, const SimilarityBounds& bounds) {
  std::size_t lo = static_cast<std::size_t>(std::max(1.0, std::floor(probe.lo_size)));
  std::size_t hi = probe.hi_size >= static_cast<double>(buckets.max_size)
                       ? buckets.max_size
                       : static_cast<std::size_t>(std::ceil(probe.hi_size));
  for (std::size_t ys = lo; ys <= hi; ++ys) {
    const auto yd = static_cast<double>(ys);
    if (yd < probe.lo_size || yd > probe.hi_size) continue;
    const std::uint64_t* const bits = buckets.bits.get() + buckets.start[ys] * words;
    const std::size_t end = buckets.fill[ys] * words;
    if (end == 0) continue;  // no kept set of this size (most sizes): skip the bound
    const std::size_t total = probe.xs + ys;
    const std::size_t needed = bounds.needed_for(total);
    for (std::size_t off = 0; off < end; off += words) {
      const std::size_t inter = popcount_and<W>(probe.x, bits + off, words);
      if (inter < needed) continue;
      const std::size_t uni = total - inter;
      if (static_cast<double>(inter) / static_cast<double>(uni) >= threshold) return true;
    }
  }
  return false;
}

template <std::size_t W>
[[gnu::always_inline]] inline std::int64_t dedup_bitsets_body(const TokenSets& raw,
                                                              const std::vector<std::uint32_t>& dense,
                                                              std::size_t words, double threshold, double t_filter,
                                                              std::vector<char>& is_dup) {
  const std::size_t n = raw.size();
  std::size_t max_size = 0;
  for (const auto& r : raw) max_size = std::max(max_size, r.size());
  std::size_t shared = 0;
  for (std::uint32_t d : dense) shared += d != UINT32_MAX;

  const SimilarityBounds bounds(t_filter);
  const IndexPlan plan = plan_index(raw, shared, bounds);
  const bool use_index = plan.use;
  IndexedKept kept{BlockTable(use_index ? n * plan.blocks : 0), {}, {}, {}};
  std::vector<std::uint64_t> block_hash(use_index ? plan.blocks : 0);
  std::vector<char> block_used(use_index ? plan.blocks : 0);  // the probe's block holds an id
  std::vector<std::uint64_t> id_hash(use_index ? shared : 0);
  std::vector<std::uint32_t> id_block(use_index ? shared : 0);
  hash_shared_ids(id_hash, id_block, plan.block_bits);

  SizeBuckets buckets(raw, max_size, words);
  if (use_index) {
    kept.bits.reserve(n * words);
    kept.size.reserve(n);
    kept.seen_at.reserve(n);
  }
  std::vector<std::uint64_t> x(words);
  std::int64_t removed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t xs = raw[i].size();
    if (xs == 0) continue;  // jaccard with an empty set is 0 < threshold: always kept, never matched
    std::fill(x.begin(), x.end(), 0);
    std::fill(block_hash.begin(), block_hash.end(), 0);
    std::fill(block_used.begin(), block_used.end(), 0);
    for (std::uint32_t id : raw[i]) {
      const std::uint32_t d = dense[id];
      if (d == UINT32_MAX) continue;
      x[d >> 6] |= std::uint64_t{1} << (d & 63);
      if (use_index) {
        block_hash[id_block[d]] += id_hash[d];
        block_used[id_block[d]] = 1;
      }
    }
    // Only non-empty blocks are filed and probed: every set with an empty
    // block b would share that block's key, and a probe would walk them all.
    // Each non-empty block of x that differs from y's holds an element of
    // x Δ y, so with H below their number some non-empty block matches.
    const auto used_blocks = static_cast<std::size_t>(std::count(block_used.begin(), block_used.end(), 1));
    const Probe probe{i, x.data(), xs, t_filter * static_cast<double>(xs), static_cast<double>(xs) / t_filter};
    const bool duplicate = use_index && bounds.h_bound(xs) < static_cast<double>(used_blocks)
                               ? found_by_index<W>(kept, probe, words, block_hash, block_used, threshold, bounds)
                               : found_in_buckets<W>(buckets, probe, words, threshold, bounds);
    if (duplicate) {
      is_dup[i] = 1;
      ++removed;
      continue;
    }
    std::copy(x.begin(), x.end(), buckets.bits.get() + (buckets.start[xs] + buckets.fill[xs]++) * words);
    if (use_index) {
      const auto k = static_cast<std::uint32_t>(kept.size.size());
      kept.bits.insert(kept.bits.end(), x.begin(), x.end());
      kept.size.push_back(static_cast<std::uint32_t>(xs));
      kept.seen_at.push_back(UINT32_MAX);
      for (std::size_t b = 0; b < plan.blocks; ++b) {
        if (block_used[b]) kept.table.insert(block_key(block_hash[b], b), k);
      }
    }
  }
  return removed;
}

template <std::size_t W>
std::int64_t dedup_bitsets_plain(const TokenSets& raw, const std::vector<std::uint32_t>& dense, std::size_t words,
                                 double threshold, double t_filter, std::vector<char>& is_dup) {
  return dedup_bitsets_body<W>(raw, dense, words, threshold, t_filter, is_dup);
}

#if defined(__GNUC__) && defined(__x86_64__)
// The same loop compiled with the popcnt instruction (the baseline x86-64
// target has none), chosen at run time when the CPU supports it.
template <std::size_t W>
__attribute__((target("popcnt"))) std::int64_t dedup_bitsets_popcnt(const TokenSets& raw,
                                                                    const std::vector<std::uint32_t>& dense,
                                                                    std::size_t words, double threshold,
                                                                    double t_filter, std::vector<char>& is_dup) {
  return dedup_bitsets_body<W>(raw, dense, words, threshold, t_filter, is_dup);
}
#endif

template <std::size_t W>
std::int64_t dedup_bitsets_w(const TokenSets& raw, const std::vector<std::uint32_t>& dense, std::size_t words,
                             double threshold, double t_filter, std::vector<char>& is_dup) {
#if defined(__GNUC__) && defined(__x86_64__)
  if (__builtin_cpu_supports("popcnt")) return dedup_bitsets_popcnt<W>(raw, dense, words, threshold, t_filter, is_dup);
#endif
  return dedup_bitsets_plain<W>(raw, dense, words, threshold, t_filter, is_dup);
}

}  // namespace

// Small shared vocabulary: bitsets over the ids held by two or more candidates.
std::int64_t dedup_bitsets(const TokenSets& raw, const std::vector<std::uint32_t>& count, std::size_t shared,
                           double threshold, double t_filter, std::vector<char>& is_dup) {
  std::vector<std::uint32_t> dense(count.size(), UINT32_MAX);
  std::uint32_t next = 0;
  for (std::size_t id = 0; id < count.size(); ++id) {
    if (count[id] >= 2) dense[id] = next++;
  }
  const std::size_t words = std::max<std::size_t>(1, (shared + 63) / 64);
  switch (words) {
    case 1:
      return dedup_bitsets_w<1>(raw, dense, words, threshold, t_filter, is_dup);
    case 2:
      return dedup_bitsets_w<2>(raw, dense, words, threshold, t_filter, is_dup);
    case 3:
      return dedup_bitsets_w<3>(raw, dense, words, threshold, t_filter, is_dup);
    case 4:
      return dedup_bitsets_w<4>(raw, dense, words, threshold, t_filter, is_dup);
    case 5:
      return dedup_bitsets_w<5>(raw, dense, words, threshold, t_filter, is_dup);
    case 6:
      return dedup_bitsets_w<6>(raw, dense, words, threshold, t_filter, is_dup);
    case 7:
      return dedup_bitsets_w<7>(raw, dense, words, threshold, t_filter, is_dup);
    case 8:
      return dedup_bitsets_w<8>(raw, dense, words, threshold, t_filter, is_dup);
    default:
      return dedup_bitsets_w<0>(raw, dense, words, threshold, t_filter, is_dup);
  }
}

}  // namespace contextweaver::dedup_detail
