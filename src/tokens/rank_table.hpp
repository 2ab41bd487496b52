// The byte-string -> rank map of a BPE vocabulary, built for the merge loop:
// one open-addressing table over one byte arena, so a lookup of a substring
// of the input costs one hash and (almost always) one comparison.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace contextweaver::tokens_detail {

using Rank = std::uint32_t;
inline constexpr Rank kNoRank = std::numeric_limits<Rank>::max();

class RankTable {
 public:
  // Adds a token; returns false (and adds nothing) when `bytes` or `rank` is
  // already present. Call finish() once all tokens are in.
  bool add(std::string_view bytes, Rank rank);
  void finish();

  // The rank of `bytes`, or kNoRank.
  Rank find(std::string_view bytes) const {
    if (bytes.size() > max_len_ || bytes.empty()) return kNoRank;
    const std::uint64_t h = hash(bytes);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.rank == kNoRank) return kNoRank;
      if (s.tag == tag && token(s.rank) == bytes) return s.rank;
    }
  }

  Rank byte_rank(unsigned char b) const { return byte_ranks_[b]; }

  // The bytes of a rank (empty when the rank is not a token).
  std::string_view token(Rank rank) const {
    if (rank >= spans_.size()) return {};
    const Span& s = spans_[rank];
    return std::string_view(arena_).substr(s.offset, s.len);
  }

  std::size_t size() const { return count_; }
  std::size_t max_token_length() const { return max_len_; }
  // True when every single byte is a token (byte-level BPE needs it).
  bool covers_all_bytes() const;

 private:
  struct Slot {
    Rank rank = kNoRank;
    std::uint32_t tag = 0;
  };
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t len = 0;
  };

  static std::uint64_t hash(std::string_view bytes);
  void insert_slot(Rank rank);

  std::string arena_;
  std::vector<Span> spans_;  // by rank
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
  std::size_t max_len_ = 0;
  Rank byte_ranks_[256] = {};
};

}  // namespace contextweaver::tokens_detail
