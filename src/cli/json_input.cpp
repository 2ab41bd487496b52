#include "json_input.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"

namespace contextweaver::cli {

namespace {

bool is_token_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

// Whether the number token `token` (a JSON number the reader accepted, or a
// literal) is not finite. Only an exponent or more than 308 digits can make a
// number overflow a double, so other tokens need no strtod.
bool is_non_finite(std::string_view token) {
  if (token.empty()) return false;
  const char first = token[0];
  if (first == 'N') return token == "NaN";
  if (first == 'I') return token == "Infinity";
  if (first != '-' && !(first >= '0' && first <= '9')) return false;
  if (token == "-Infinity") return true;
  if (token.size() < 309 && token.find_first_of("eE") == std::string_view::npos) return false;
  return std::isinf(std::strtod(std::string(token).c_str(), nullptr));
}

// The position just past the string whose opening quote is at `quote`: the
// next '"' not escaped by an odd run of backslashes (found with memchr, as
// strings are most of a document's bytes).
std::size_t skip_string(std::string_view text, std::size_t quote) {
  std::size_t pos = quote + 1;
  while (pos < text.size()) {
    const void* found = std::memchr(text.data() + pos, '"', text.size() - pos);
    if (found == nullptr) return text.size();
    const auto at = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    std::size_t backslashes = 0;
    while (at - backslashes > quote + 1 && text[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at + 1;
    pos = at + 1;
  }
  return text.size();
}

}  // namespace

std::string number_token_at(std::string_view text, std::size_t offset) {
  std::size_t end = offset;
  while (end < text.size() && is_token_char(text[end])) ++end;
  return std::string(text.substr(offset, end - offset));
}

std::size_t non_finite_number_offset(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      pos = skip_string(text, pos);
    } else if (is_token_char(c)) {
      std::size_t end = pos;
      while (end < text.size() && is_token_char(text[end])) ++end;
      if (is_non_finite(text.substr(pos, end - pos))) return pos;
      pos = end;
    } else {
      ++pos;
    }
  }
  return std::string_view::npos;
}

Json load_json_document(std::string_view text, const std::string& source, const LoadOptions& options) {
  Json value;
  try {
    value = loads(text, options);
  } catch (const JsonDecodeError& e) {
    throw ValueError(fmt::format("{}: invalid JSON \u2014 {}", source, e.what()));
  }
  if (const std::size_t offset = non_finite_number_offset(text); offset != std::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    throw ValueError(fmt::format("{}:{}: {} is not a valid JSON number (NaN and infinities are not allowed)", source,
                                 line, number_token_at(text, offset)));
  }
  return value;
}

}  // namespace contextweaver::cli
