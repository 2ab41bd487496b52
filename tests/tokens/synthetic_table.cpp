#include "tokens/synthetic_table.hpp"

#include "contextweaver/core/json.hpp"
#include "contextweaver/tokens/pretokenizer.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

namespace cwtest {
namespace {

std::string base64(const std::string& bytes) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += a[(v >> 18) & 63];
    out += a[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? a[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? a[v & 63] : '=';
  }
  return out;
}

}  // namespace

SyntheticTable make_synthetic_table(unsigned seed, int merges) {
  std::mt19937 rng(seed);
  SyntheticTable t;
  std::vector<int> bytes(256);
  std::iota(bytes.begin(), bytes.end(), 0);
  std::shuffle(bytes.begin(), bytes.end(), rng);
  for (int b : bytes) t.tokens.emplace_back(1, static_cast<char>(b));
  std::set<std::string> seen(t.tokens.begin(), t.tokens.end());
  std::vector<std::string> letters = {"a", "b", "c", "d"};
  while (static_cast<int>(letters.size()) < merges + 4) {
    std::uniform_int_distribution<std::size_t> pick(0, letters.size() - 1);
    std::string merged = letters[pick(rng)] + letters[pick(rng)];
    if (merged.size() > 12 || !seen.insert(merged).second) continue;
    letters.push_back(merged);
    t.tokens.push_back(merged);
  }
  t.specials = {{"<|end|>", static_cast<unsigned>(t.tokens.size()) + 5},
                {"<|x|>", static_cast<unsigned>(t.tokens.size()) + 6}};
  t.pat_str = std::string(contextweaver::pat_str(contextweaver::PretokenPattern::cl100k));
  return t;
}

std::string to_encoder_json(const SyntheticTable& table) {
  std::string ranks;
  std::size_t rank = 0, line = 1;
  while (rank < table.tokens.size()) {
    ranks += "! " + std::to_string(rank);
    for (std::size_t k = 0; k < line * 7 && rank < table.tokens.size(); ++k, ++rank)
      ranks += " " + base64(table.tokens[rank]);
    ranks += "\n";
    ++line;
  }
  contextweaver::Json doc;
  doc["pat_str"] = table.pat_str;
  doc["special_tokens"] = contextweaver::Json::object();
  for (const auto& [text, id] : table.specials) doc["special_tokens"][text] = id;
  doc["bpe_ranks"] = ranks;
  return doc.dump();
}

}  // namespace cwtest
