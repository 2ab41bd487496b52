#include "contextweaver/context/fast_tokenize.hpp"

#include <algorithm>

#include "contextweaver/core/tokenize.hpp"

namespace contextweaver {

namespace {

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '-';
}
bool joiner(char c) {
  return c == '.' || c == '/' || c == '-';
}

void emit(std::vector<std::string>& out, std::string_view token) {
  if (token.size() >= 2 && !is_stopword(token)) out.emplace_back(token);
}

}  // namespace

std::vector<std::string> tokenize_fast(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return tokenize(text);
  }
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::vector<std::string> out;
  const std::string_view s = lower;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!token_char(s[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && token_char(s[end])) ++end;
    std::string_view compound = s.substr(i, end - i);
    i = end;
    while (!compound.empty() && joiner(compound.front())) compound.remove_prefix(1);
    while (!compound.empty() && joiner(compound.back())) compound.remove_suffix(1);
    if (compound.empty()) continue;
    if (std::none_of(compound.begin(), compound.end(), joiner)) {
      emit(out, compound);
      continue;
    }
    emit(out, compound);
    std::size_t p = 0;
    while (p < compound.size()) {
      std::size_t q = p;
      while (q < compound.size() && !joiner(compound[q])) ++q;
      emit(out, compound.substr(p, q - p));
      while (q < compound.size() && joiner(compound[q])) ++q;
      p = q;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace contextweaver
