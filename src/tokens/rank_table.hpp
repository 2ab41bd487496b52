// The byte-string -> rank map of a BPE vocabulary, built for the merge loop:
// one open-addressing table over one byte arena, so a lookup of a substring
// of the input costs one hash and (almost always) one comparison.
#pragma once

#include <cstdint>
#include <cstring>
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

  // The rank of `bytes`, or kNoRank. Lookups are memory-bound (the table is
  // megabytes), so a 256 KB bit filter answers most misses from cache, and
  // slots carry the length and first 8 bytes of their token so that a hit on
  // a short token never touches the arena.
  Rank find(std::string_view bytes) const {
    if (bytes.size() > max_len_ || bytes.empty()) return kNoRank;
    const std::uint64_t h = hash(bytes);
    const std::uint64_t bit = h >> (64 - kFilterBits);
    if (!(filter_[bit >> 6] >> (bit & 63) & 1)) return kNoRank;
    const std::uint64_t head = head_of(bytes);
    const auto len = static_cast<std::uint32_t>(bytes.size());
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.rank == kNoRank) return kNoRank;
      if (s.head == head && s.len == len && (len <= 8 || token(s.rank) == bytes)) return s.rank;
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
  static constexpr unsigned kFilterBits = 21;
  struct Slot {
    std::uint64_t head = 0;  // the token's first 8 bytes, zero-padded
    Rank rank = kNoRank;
    std::uint32_t len = 0;
  };
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t len = 0;
  };

  static std::uint64_t hash(std::string_view bytes);
  static std::uint64_t head_of(std::string_view bytes) {
    std::uint64_t v = 0;
    std::memcpy(&v, bytes.data(), bytes.size() < 8 ? bytes.size() : 8);
    return v;
  }
  void insert_slot(Rank rank);

  std::string arena_;
  std::vector<Span> spans_;  // by rank
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> filter_ = std::vector<std::uint64_t>((std::size_t{1} << kFilterBits) / 64, 0);
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
  std::size_t max_len_ = 0;
  Rank byte_ranks_[256] = {};
};

}  // namespace contextweaver::tokens_detail
