// Line matchers of summarize/extract.py, hand-written instead of a regex
// engine: each pattern is anchored and simple, and Python's \s / \d are
// Unicode-aware, which std::regex is not.
#include "contextweaver/summarize/extract.hpp"

#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/summarize/char_classes.hpp"

namespace contextweaver {

namespace {

using unicode_class::is_digit_char;

bool is_key_start(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_key_char(unsigned char c) {
  return is_key_start(c) || (c >= '0' && c <= '9') || c == ' ';
}

// Skips re's \s* from `pos`.
std::size_t skip_space(std::string_view s, std::size_t pos) {
  while (pos < s.size()) {
    std::size_t next = pos;
    if (!py_isspace(decode_code_point(s, next))) break;
    pos = next;
  }
  return pos;
}

// The rest of the line from `pos` without trailing whitespace: `(.*?)\s*$`.
std::string rest_stripped(std::string_view s, std::size_t pos) {
  return std::string(py_strip(s.substr(pos)));
}

// `^\s*<marker>\s+(.*?)\s*$` after the marker ended at `pos`: needs at least one space.
bool list_item_after_marker(std::string_view line, std::size_t pos, std::string& item) {
  std::size_t after = skip_space(line, pos);
  if (after == pos) return false;
  item = rest_stripped(line, after);
  return true;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> extract_key_value_pairs(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::unordered_map<std::string, std::size_t> position;  // key -> index in pairs (a dict's first position)
  for (std::string_view line : splitlines(text)) {
    std::size_t pos = skip_space(line, 0);
    if (pos >= line.size() || !is_key_start(static_cast<unsigned char>(line[pos]))) continue;
    std::size_t key_end = pos + 1;
    while (key_end < line.size() && is_key_char(static_cast<unsigned char>(line[key_end]))) ++key_end;
    // The lazy key may give its trailing spaces to \s*; any other character
    // must be whitespace up to the separator.
    std::size_t sep = skip_space(line, key_end);
    if (sep >= line.size() || (line[sep] != ':' && line[sep] != '=')) continue;
    std::string key(py_strip(line.substr(pos, key_end - pos)));
    for (char& c : key) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c == ' ') c = '_';
    }
    std::string value = rest_stripped(line, skip_space(line, sep + 1));
    auto [it, inserted] = position.emplace(key, pairs.size());
    if (inserted) {
      pairs.emplace_back(std::move(key), std::move(value));
    } else {
      pairs[it->second].second = std::move(value);
    }
  }
  return pairs;
}

std::vector<std::string> extract_numbered_list(std::string_view text) {
  std::vector<std::string> items;
  for (std::string_view line : splitlines(text)) {
    std::size_t pos = skip_space(line, 0);
    std::size_t digits_end = pos;
    while (digits_end < line.size()) {
      std::size_t next = digits_end;
      if (!is_digit_char(decode_code_point(line, next))) break;
      digits_end = next;
    }
    if (digits_end == pos || digits_end >= line.size()) continue;
    if (line[digits_end] != '.' && line[digits_end] != ')') continue;
    std::string item;
    if (list_item_after_marker(line, digits_end + 1, item)) items.push_back(std::move(item));
  }
  return items;
}

std::vector<std::string> extract_bullet_list(std::string_view text) {
  std::vector<std::string> items;
  for (std::string_view line : splitlines(text)) {
    std::size_t pos = skip_space(line, 0);
    if (pos >= line.size()) continue;
    std::size_t after = pos;
    char32_t marker = decode_code_point(line, after);
    if (marker != U'-' && marker != U'*' && marker != U'\u2022') continue;
    std::string item;
    if (list_item_after_marker(line, after, item) && !item.empty()) items.push_back(std::move(item));
  }
  return items;
}

std::vector<std::string> extract_facts(std::string_view text, const Json& /*metadata*/) {
  std::vector<std::string> facts;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string fact) {
    if (seen.insert(fact).second) facts.push_back(std::move(fact));
  };
  for (auto& [key, value] : extract_key_value_pairs(text)) add(key + ": " + value);
  for (auto& item : extract_numbered_list(text)) add(std::move(item));
  for (auto& item : extract_bullet_list(text)) add(std::move(item));
  return facts;
}

}  // namespace contextweaver
