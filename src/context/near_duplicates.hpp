// Private to the context module: an exact, incremental index of token sets for
// near-duplicate search (Jaccard >= threshold). Members are added one at a
// time and never removed, so a warm build can keep one index for a growing
// log, and one-shot dedup can index only the items it keeps.
//
// Exact, and near-linear on sets that share no near-duplicate: a pigeonhole
// filter over a hash partition of the ids (docs/context.md, "Stage 6,
// dedup") lets a probe verify only members that agree with it exactly on two
// parts (or one, or the whole set); sizes where the filter has no power (low
// thresholds, very large sets) are scanned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace contextweaver::context_detail {

// A set is given as unique token ids of one TokenVocabulary, in any order;
// ids may exceed every id seen before (the vocabulary grows with the log).
// Similarity is exactly the reference's: id_jaccard of the two sets in double,
// compared with `threshold` (a NaN or > 1 threshold matches nothing, <= 0
// matches everything, and an empty set matches nothing at a positive
// threshold). Not thread-safe, not even for concurrent const calls (probes
// reuse scratch buffers); a plain value.
class NearDuplicateIndex {
 public:
  // What the probes did, for tests and benchmarks (the filter's effect).
  struct Stats {
    std::uint64_t probes = 0;      // similar / any_similar / first_similar / add_if_dissimilar calls
    std::uint64_t lookups = 0;     // partition keys looked up
    std::uint64_t candidates = 0;  // members reached through the partition keys
    std::uint64_t scanned = 0;     // members reached by scanning a size (filter without power)
    std::uint64_t verified = 0;    // exact Jaccard computations
  };

  explicit NearDuplicateIndex(double threshold);

  double threshold() const { return threshold_; }
  std::size_t size() const { return offsets_.size() - 1; }

  // Room for `members` sets holding `ids` ids and `keys` table keys in all
  // (the sum of keys_for over their sizes; 0: estimated from the mean size),
  // so that the index does not grow while they are added.
  void reserve(std::size_t members, std::size_t ids, std::size_t keys = 0);

  // How many table keys a member of `size` ids is filed under.
  std::size_t keys_for(std::size_t size) const;

  // Appends a member; returns its index (0, 1, 2, ...).
  std::uint32_t add(std::span<const std::uint32_t> ids);

  // Replaces `out` with the indices of every member whose Jaccard with `ids`
  // reaches the threshold, ascending.
  void similar(std::span<const std::uint32_t> ids, std::vector<std::uint32_t>& out) const;

  // Whether any member's Jaccard with `ids` reaches the threshold.
  bool any_similar(std::span<const std::uint32_t> ids) const;

  // One member whose Jaccard with `ids` reaches the threshold (the first one
  // found, not necessarily the lowest index), or none.
  std::optional<std::uint32_t> first_similar(std::span<const std::uint32_t> ids) const;

  // any_similar(ids) ? false : (add(ids), true), sorting `ids` once: the step
  // of a one-shot dedup over candidates in score order.
  bool add_if_dissimilar(std::span<const std::uint32_t> ids);

  const Stats& stats() const { return stats_; }

 private:
  // Loads `ids` into probe_ (ascending, unique).
  void load_probe(std::span<const std::uint32_t> ids) const;
  // Calls visit(member) for every member similar to probe_ until it returns
  // true; returns whether it did.
  template <typename Visit>
  bool visit_similar(Visit&& visit) const;
  // Whether member m has J(probe_, m) >= threshold_, exactly as id_jaccard.
  bool verify(std::uint32_t m) const;
  // Files probe_ as a new member.
  std::uint32_t add_probe();
  // Parts of an a-element member's partition (a function of a alone).
  std::size_t parts_for(std::size_t a) const;
  // Splits probe_ into `parts` parts: part_hash_ / part_used_; returns how
  // many parts hold an id.
  std::size_t split_probe(std::size_t parts) const;
  // Calls f(key) for each table key of probe_'s split into `parts` parts:
  // the whole set (1 part), each pair of parts, empty ones included (up to
  // kMaxPairParts parts), or each non-empty part (more).
  template <typename F>
  void for_each_key(std::size_t parts, F&& f) const;
  void insert_key(std::uint64_t key, std::uint32_t member);
  void place(std::uint32_t fingerprint, std::uint32_t member);
  // A fingerprint's home slot: its place in [0, 2^32) scaled to the table
  // (any size, so a reserved table holds what it needs, not a power of two).
  std::size_t home_slot(std::uint32_t fingerprint) const {
    return static_cast<std::size_t>((std::uint64_t{fingerprint} * slots_.size()) >> 32);
  }
  std::size_t next_slot(std::size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
  // Rebuilds the table with `slots` slots unless it has as many already.
  void grow_table(std::size_t slots);

  // How the threshold acts: nothing matches, everything matches, or a filtered
  // search (with or without the partition filter).
  enum class Mode { none, all, scan, partition };

  double threshold_;
  double t_filter_;    // threshold lowered by a relative 1e-9 for the filters
  double h_factor_;    // (1 - t) / (1 + t) at t_filter_
  double need_ratio_;  // t / (1 + t) at t_filter_
  Mode mode_;

  std::vector<std::uint32_t> ids_;                   // members' ids, ascending within each member
  std::vector<std::uint32_t> offsets_;               // member m: ids_[offsets_[m], offsets_[m + 1])
  std::vector<std::vector<std::uint32_t>> by_size_;  // size -> members of that size

  // Partition keys -> members: open addressing with linear probing, one slot
  // per (key, member), so that a lookup costs one cache miss. A key's home
  // slot is taken from its high 32 bits, which the slot keeps, so the table
  // can grow without the keys. Slots whose fingerprints agree are
  // candidates even when their full keys differ: that only adds
  // verifications.
  struct Slot {
    std::uint32_t fingerprint;
    std::uint32_t member;  // kNone: empty
  };
  std::vector<Slot> slots_;
  std::size_t filled_ = 0;

  // Probe scratch (see the class comment on threads).
  mutable std::vector<std::uint32_t> probe_;
  mutable std::vector<std::uint64_t> part_hash_;
  mutable std::vector<char> part_used_;
  mutable std::vector<std::uint32_t> key_fp_;  // a probe's key fingerprints

  mutable std::vector<std::uint32_t> seen_;  // member -> probe stamp that reached it
  mutable std::uint32_t stamp_ = 0;
  mutable Stats stats_;
};

}  // namespace contextweaver::context_detail
