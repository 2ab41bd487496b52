// Private to the context module: an exact, incremental index of token sets for
// near-duplicate search (Jaccard >= threshold). Members are added one at a
// time and never removed, so a warm build can keep one index for a growing
// log, and one-shot dedup can index only the items it keeps.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace contextweaver::context_detail {

// A set is given as unique token ids of one TokenVocabulary, in any order;
// ids may exceed every id seen before (the vocabulary grows with the log).
// Similarity is exactly the reference's: id_jaccard of the two sets in double,
// compared with `threshold` (a NaN or > 1 threshold matches nothing, <= 0
// matches everything). Not thread-safe; a plain value.
class NearDuplicateIndex {
 public:
  explicit NearDuplicateIndex(double threshold);

  double threshold() const { return threshold_; }
  std::size_t size() const { return members_.size(); }

  // Appends a member; returns its index (0, 1, 2, ...).
  std::uint32_t add(std::span<const std::uint32_t> ids);

  // Replaces `out` with the indices of every member whose Jaccard with `ids`
  // reaches the threshold, ascending.
  void similar(std::span<const std::uint32_t> ids, std::vector<std::uint32_t>& out) const;

  // Whether any member's Jaccard with `ids` reaches the threshold.
  bool any_similar(std::span<const std::uint32_t> ids) const;

 private:
  double threshold_;
  std::vector<std::vector<std::uint32_t>> members_;  // sorted ids
};

}  // namespace contextweaver::context_detail
