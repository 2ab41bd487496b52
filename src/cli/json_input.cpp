#include "json_input.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"

namespace contextweaver::cli {

namespace {

bool is_token_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

bool is_non_finite(const std::string& token) {
  if (token == "NaN" || token == "Infinity" || token == "-Infinity") return true;
  if (token.empty() || !(token[0] == '-' || (token[0] >= '0' && token[0] <= '9'))) return false;
  return std::isinf(std::strtod(token.c_str(), nullptr));
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
      for (++pos; pos < text.size() && text[pos] != '"'; ++pos) {
        if (text[pos] == '\\') ++pos;
      }
      ++pos;
    } else if (is_token_char(c)) {
      const std::string token = number_token_at(text, pos);
      if (is_non_finite(token)) return pos;
      pos += token.size();
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
