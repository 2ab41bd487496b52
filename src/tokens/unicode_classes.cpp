#include "unicode_classes.hpp"

#include <array>
#include <cstring>
#include <unordered_map>
#include <memory>
#include <vector>

namespace contextweaver::tokens_detail {
namespace {

constexpr std::uint32_t kBlockBits = 8;
constexpr std::uint32_t kBlockSize = 1u << kBlockBits;
constexpr std::uint32_t kBlockCount = 0x110000 >> kBlockBits;

// Stage 1 maps a 256-code-point block to one of the distinct blocks in stage
// 2; most blocks are all-`other` or all-letter, so about 300 distinct blocks
// cover the whole code space in ~80 KB.
struct Tables {
  std::array<std::uint16_t, kBlockCount> stage1{};
  std::vector<std::uint8_t> stage2;
};

std::unique_ptr<Tables> build_tables() {
  std::vector<std::uint8_t> flat(0x110000, 0);
  for (std::size_t i = 0; i < kUnicodeClassRangeCount; ++i) {
    const auto& r = kUnicodeClassRanges[i];
    std::memset(flat.data() + r.first, r.cls, r.last - r.first + 1);
  }
  auto t = std::make_unique<Tables>();
  // Deduplicate blocks by content: hash first, then compare bytes.
  std::unordered_map<std::uint64_t, std::vector<std::uint16_t>> by_hash;
  for (std::uint32_t b = 0; b < kBlockCount; ++b) {
    const std::uint8_t* block = flat.data() + static_cast<std::size_t>(b) * kBlockSize;
    std::uint64_t h = 1469598103934665603ull;
    for (std::uint32_t i = 0; i < kBlockSize; ++i) h = (h ^ block[i]) * 1099511628211ull;
    auto& candidates = by_hash[h];
    std::uint16_t id = 0;
    bool found = false;
    for (const std::uint16_t c : candidates) {
      if (std::memcmp(t->stage2.data() + static_cast<std::size_t>(c) * kBlockSize, block, kBlockSize) == 0) {
        id = c;
        found = true;
        break;
      }
    }
    if (!found) {
      id = static_cast<std::uint16_t>(t->stage2.size() / kBlockSize);
      t->stage2.insert(t->stage2.end(), block, block + kBlockSize);
      candidates.push_back(id);
    }
    t->stage1[b] = id;
  }
  return t;
}

const Tables& tables() {
  static const std::unique_ptr<Tables> t = build_tables();
  return *t;
}

}  // namespace

CharClass char_class(char32_t cp) {
  if (cp >= 0x110000) return CharClass::other;
  const Tables& t = tables();
  return static_cast<CharClass>(
      t.stage2[(static_cast<std::size_t>(t.stage1[cp >> kBlockBits]) << kBlockBits) | (cp & (kBlockSize - 1))]);
}

}  // namespace contextweaver::tokens_detail
