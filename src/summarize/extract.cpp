// Line matchers of summarize/extract.py, hand-written instead of a regex
// engine: each pattern is anchored and simple, and Python's \s / \d are
// Unicode-aware, which std::regex is not. extract_facts runs the three
// matchers in one pass over the lines (it runs on every tool result of every
// build), with ASCII fast paths and no per-line hashing for short texts.
#include "contextweaver/summarize/extract.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/summarize/char_classes.hpp"
#include "contextweaver/summarize/py_str.hpp"

namespace contextweaver {

namespace {

using unicode_class::is_digit_char;

// Below this many entries a linear scan beats hashing every key.
constexpr std::size_t kLinearLimit = 16;

bool is_key_start(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_key_char(unsigned char c) {
  return is_key_start(c) || (c >= '0' && c <= '9') || c == ' ';
}

// Skips re's \s* from `pos`.
std::size_t skip_space(std::string_view s, std::size_t pos) {
  while (pos < s.size()) {
    const auto c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      if (!py_ascii_space(c)) break;
      ++pos;
      continue;
    }
    std::size_t next = pos;
    if (!py_isspace(decode_code_point(s, next))) break;
    pos = next;
  }
  return pos;
}

// `^\s*<marker>\s+(.*?)\s*$` after the marker ended at `pos`: needs at least
// one space. `item` views the line.
bool list_item_after_marker(std::string_view line, std::size_t pos, std::string_view& item) {
  const std::size_t after = skip_space(line, pos);
  if (after == pos) return false;
  item = py_strip_fast(line.substr(after));
  return true;
}

// The key-value regex on one line: the normalized key, and the value as a view of the line.
bool match_key_value(std::string_view line, std::string& key, std::string_view& value) {
  const std::size_t pos = skip_space(line, 0);
  if (pos >= line.size() || !is_key_start(static_cast<unsigned char>(line[pos]))) return false;
  std::size_t key_end = pos + 1;
  while (key_end < line.size() && is_key_char(static_cast<unsigned char>(line[key_end]))) ++key_end;
  // The lazy key may give its trailing spaces to \s*; any other character
  // must be whitespace up to the separator.
  const std::size_t sep = skip_space(line, key_end);
  if (sep >= line.size() || (line[sep] != ':' && line[sep] != '=')) return false;
  while (line[key_end - 1] == ' ') --key_end;  // key chars are ASCII: strip() trims spaces only
  key.assign(line.substr(pos, key_end - pos));
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ') c = '_';
  }
  value = py_strip_fast(line.substr(sep + 1));
  return true;
}

bool match_numbered(std::string_view line, std::string_view& item) {
  const std::size_t pos = skip_space(line, 0);
  std::size_t digits_end = pos;
  while (digits_end < line.size()) {
    const auto c = static_cast<unsigned char>(line[digits_end]);
    if (c < 0x80) {
      if (c < '0' || c > '9') break;
      ++digits_end;
      continue;
    }
    std::size_t next = digits_end;
    if (!is_digit_char(decode_code_point(line, next))) break;
    digits_end = next;
  }
  if (digits_end == pos || digits_end >= line.size()) return false;
  if (line[digits_end] != '.' && line[digits_end] != ')') return false;
  return list_item_after_marker(line, digits_end + 1, item);
}

bool match_bullet(std::string_view line, std::string_view& item) {
  const std::size_t pos = skip_space(line, 0);
  if (pos >= line.size()) return false;
  std::size_t after = pos;
  const char32_t marker = decode_code_point(line, after);
  if (marker != U'-' && marker != U'*' && marker != U'\u2022') return false;
  return list_item_after_marker(line, after, item) && !item.empty();
}

// A Python dict of key -> value (views of the text) in first-insertion order.
class KeyValueDict {
 public:
  KeyValueDict() { pairs_.reserve(8); }
  void set(const std::string& key, std::string_view value) {
    if (pairs_.size() < kLinearLimit) {
      for (auto& [k, v] : pairs_) {
        if (k == key) {
          v = value;
          return;
        }
      }
    } else {
      if (position_.empty()) {
        for (std::size_t i = 0; i < pairs_.size(); ++i) position_.emplace(pairs_[i].first, i);
      }
      auto [it, inserted] = position_.emplace(key, pairs_.size());
      if (!inserted) {
        pairs_[it->second].second = value;
        return;
      }
    }
    pairs_.emplace_back(key, value);
  }
  const std::vector<std::pair<std::string, std::string_view>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::string, std::string_view>> pairs_;
  std::unordered_map<std::string, std::size_t> position_;  // filled once pairs_ is long
};

}  // namespace

std::vector<std::pair<std::string, std::string>> extract_key_value_pairs(std::string_view text) {
  KeyValueDict dict;
  std::string key;
  std::string_view value;
  for (std::string_view line : splitlines_fast(text)) {
    if (match_key_value(line, key, value)) dict.set(key, value);
  }
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(dict.pairs().size());
  for (const auto& [k, v] : dict.pairs()) out.emplace_back(k, v);
  return out;
}

std::vector<std::string> extract_numbered_list(std::string_view text) {
  std::vector<std::string> items;
  std::string_view item;
  for (std::string_view line : splitlines_fast(text)) {
    if (match_numbered(line, item)) items.emplace_back(item);
  }
  return items;
}

std::vector<std::string> extract_bullet_list(std::string_view text) {
  std::vector<std::string> items;
  std::string_view item;
  for (std::string_view line : splitlines_fast(text)) {
    if (match_bullet(line, item)) items.emplace_back(item);
  }
  return items;
}

std::vector<std::string> extract_facts(std::string_view text, const Json& /*metadata*/) {
  // The three extractors over one split of the text, matches kept as views of
  // it; combined in the reference's order (pairs, numbered, bullets), and
  // only the facts kept are copied into strings.
  KeyValueDict dict;
  std::vector<std::string_view> numbered, bullets;
  std::string key;
  std::string_view value, item;
  for (std::string_view line : splitlines_fast(text)) {
    if (match_key_value(line, key, value)) dict.set(key, value);
    if (match_numbered(line, item)) numbered.push_back(item);
    if (match_bullet(line, item)) bullets.push_back(item);
  }
  const auto& pairs = dict.pairs();
  std::vector<std::string> facts;
  // Reserved in full: the strings never move, so `seen` may view them.
  facts.reserve(pairs.size() + numbered.size() + bullets.size());
  const bool hashed = facts.capacity() > kLinearLimit;
  std::unordered_set<std::string_view> seen;
  auto add = [&](std::string_view fact, auto&& make) {
    if (hashed) {
      if (seen.count(fact)) return;
      facts.push_back(make());
      seen.insert(facts.back());
    } else if (std::find(facts.begin(), facts.end(), fact) == facts.end()) {
      facts.push_back(make());
    }
  };
  std::string scratch;
  for (const auto& [k, v] : pairs) {
    scratch.assign(k).append(": ").append(v);
    add(scratch, [&] { return scratch; });
  }
  for (std::string_view s : numbered) add(s, [s] { return std::string(s); });
  for (std::string_view s : bullets) add(s, [s] { return std::string(s); });
  return facts;
}

}  // namespace contextweaver
