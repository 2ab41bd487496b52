#include "rank_table.hpp"

#include <cstring>

namespace contextweaver::tokens_detail {

std::uint64_t RankTable::hash(std::string_view bytes) {
  // Multiply-xorshift over 8-byte words: tokens are short, so this is a
  // handful of instructions, and it mixes well enough for linear probing.
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  std::uint64_t h = k ^ (n * 0xFF51AFD7ED558CCDull);
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * k;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * k;
    h ^= h >> 32;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h;
}

bool RankTable::add(std::string_view bytes, Rank rank) {
  if (bytes.empty() || rank == kNoRank) return false;
  if (rank < spans_.size() && spans_[rank].len != 0) return false;
  // Keep the hash table usable while building so duplicates are detected.
  if (slots_.empty() || (count_ + 1) * 2 > slots_.size()) {
    slots_.assign(slots_.empty() ? 1024 : slots_.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (Rank r = 0; r < spans_.size(); ++r)
      if (spans_[r].len != 0) insert_slot(r);
  }
  const std::size_t saved_max = max_len_;
  max_len_ = std::max(max_len_, bytes.size());
  if (find(bytes) != kNoRank) {
    max_len_ = saved_max;
    return false;
  }
  if (rank >= spans_.size()) spans_.resize(static_cast<std::size_t>(rank) + 1);
  spans_[rank] = Span{static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(bytes.size())};
  arena_.append(bytes);
  insert_slot(rank);
  ++count_;
  return true;
}

void RankTable::insert_slot(Rank rank) {
  const std::uint64_t h = hash(token(rank));
  std::size_t i = h & mask_;
  while (slots_[i].rank != kNoRank) i = (i + 1) & mask_;
  const std::string_view bytes = token(rank);
  slots_[i] = Slot{head_of(bytes), rank, static_cast<std::uint32_t>(bytes.size())};
  const std::uint64_t bit = h >> (64 - kFilterBits);
  filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
}

void RankTable::finish() {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    byte_ranks_[b] = find(std::string_view(&c, 1));
  }
}

bool RankTable::covers_all_bytes() const {
  for (Rank r : byte_ranks_)
    if (r == kNoRank) return false;
  return true;
}

}  // namespace contextweaver::tokens_detail
