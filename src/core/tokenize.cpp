#include "contextweaver/core/tokenize.hpp"

#include <algorithm>
#include <array>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

constexpr std::array<std::string_view, 128> kStopwords = {
    "a",       "about",   "above",      "after",    "again",  "against", "all",     "am",       "an",
    "and",     "any",     "are",        "as",       "at",     "be",      "because", "been",     "before",
    "being",   "below",   "between",    "both",     "but",    "by",      "can",     "cannot",   "could",
    "did",     "do",      "does",       "doing",    "down",   "during",  "each",    "few",      "for",
    "from",    "further", "get",        "had",      "has",    "have",    "having",  "he",       "her",
    "here",    "hers",    "herself",    "him",      "himself", "his",    "how",     "if",       "in",
    "into",    "is",      "it",         "its",      "itself", "just",    "me",      "more",     "most",
    "my",      "myself",  "no",         "nor",      "not",    "now",     "of",      "off",      "on",
    "once",    "only",    "or",         "other",    "our",    "ours",    "ourselves", "out",    "over",
    "own",     "same",    "she",        "should",   "so",     "some",    "such",    "than",     "that",
    "the",     "their",   "theirs",     "them",     "themselves", "then", "there",  "these",    "they",
    "this",    "those",   "through",    "to",       "too",    "under",   "until",   "up",       "us",
    "very",    "was",     "we",         "were",     "what",   "when",    "where",   "which",    "while",
    "who",     "whom",    "why",        "will",     "with",   "would",   "you",     "your",     "yours",
    "yourself", "yourselves"};

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '-';
}
bool is_joiner(char c) { return c == '.' || c == '/' || c == '-'; }

void emit(std::vector<std::string>& out, std::string_view token) {
  // Every kept character is ASCII, so byte length is code-point length.
  if (token.size() >= 2 && !is_stopword(token)) out.emplace_back(token);
}

// text.lower() restricted to what can survive the split: ASCII letters fold,
// KELVIN SIGN becomes 'k', and every other non-ASCII code point (including the
// U+0307 that follows 'i' from U+0130) is a separator, written as ' '.
std::string lower_for_tokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
      ++pos;
      continue;
    }
    const char32_t cp = decode_code_point(text, pos);
    if (cp == 0x212A) {
      out += 'k';
    } else if (cp == 0x0130) {
      out += "i ";
    } else {
      out += ' ';
    }
  }
  return out;
}

}  // namespace

bool is_stopword(std::string_view token) {
  static const std::vector<std::string_view> sorted = [] {
    std::vector<std::string_view> v(kStopwords.begin(), kStopwords.end());
    std::sort(v.begin(), v.end());
    return v;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), token);
}

std::vector<std::string> tokenize_list(std::string_view text) {
  const std::string lowered = lower_for_tokens(text);
  const std::string_view s = lowered;
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && !is_token_char(s[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && is_token_char(s[pos])) ++pos;
    std::string_view compound = s.substr(start, pos - start);
    while (!compound.empty() && is_joiner(compound.front())) compound.remove_prefix(1);
    while (!compound.empty() && is_joiner(compound.back())) compound.remove_suffix(1);
    if (compound.empty()) continue;
    if (compound.find_first_of("./-") == std::string_view::npos) {
      emit(out, compound);
      continue;
    }
    emit(out, compound);
    std::size_t p = 0;
    while (p <= compound.size()) {
      std::size_t q = p;
      while (q < compound.size() && !is_joiner(compound[q])) ++q;
      emit(out, compound.substr(p, q - p));
      if (q >= compound.size()) break;
      while (q < compound.size() && is_joiner(compound[q])) ++q;
      p = q;
    }
  }
  return out;
}

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens = tokenize_list(text);
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() && b.empty()) return 0.0;
  std::size_t common = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const std::size_t united = a.size() + b.size() - common;
  return static_cast<double>(common) / static_cast<double>(united);
}

}  // namespace contextweaver
