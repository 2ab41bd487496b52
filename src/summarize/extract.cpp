// Line matchers of summarize/extract.py, hand-written instead of a regex
// engine: each pattern is anchored and simple, and Python's \s / \d are
// Unicode-aware, which std::regex is not. extract_facts runs the three
// matchers in one pass over the lines (it runs on every tool result of every
// build), with ASCII fast paths and no per-line hashing for short texts.
#include "contextweaver/summarize/extract.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/core/char_classes.hpp"
#include "contextweaver/core/unicode_fast.hpp"

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

// A key byte as the normalized key spells it: lower-cased, ' ' -> '_'.
constexpr char key_byte(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c == ' ' ? '_' : c;
}

// Whether two raw keys (as the lines spell them) normalize to the same key.
bool same_key(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (key_byte(a[i]) != key_byte(b[i])) return false;
  }
  return true;
}

void append_key(std::string& out, std::string_view raw_key) {
  const std::size_t at = out.size();
  out.append(raw_key);  // then normalized in place (resize + write cost more)
  for (auto it = out.begin() + static_cast<std::ptrdiff_t>(at); it != out.end(); ++it) *it = key_byte(*it);
}

std::string normalized_key(std::string_view raw_key) {
  std::string key;
  key.reserve(raw_key.size());
  append_key(key, raw_key);
  return key;
}

// The key-value regex on one line: the key as the line spells it (see
// key_byte for its normalized form) and the value, both views of the line.
bool match_key_value(std::string_view line, std::string_view& raw_key, std::string_view& value) {
  const std::size_t pos = skip_space(line, 0);
  if (pos >= line.size() || !is_key_start(static_cast<unsigned char>(line[pos]))) return false;
  std::size_t key_end = pos + 1;
  while (key_end < line.size() && is_key_char(static_cast<unsigned char>(line[key_end]))) ++key_end;
  // The lazy key may give its trailing spaces to \s*; any other character
  // must be whitespace up to the separator.
  const std::size_t sep = skip_space(line, key_end);
  if (sep >= line.size() || (line[sep] != ':' && line[sep] != '=')) return false;
  while (line[key_end - 1] == ' ') --key_end;  // key chars are ASCII: strip() trims spaces only
  raw_key = line.substr(pos, key_end - pos);
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

// FNV-1a over a raw key's normalized bytes: equal for keys same_key matches.
std::uint64_t key_hash(std::string_view raw_key) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : raw_key) h = (h ^ static_cast<unsigned char>(key_byte(c))) * 0x100000001B3ULL;
  return h;
}

// Entry indices by hash, open addressing (for the long dicts and fact lists):
// no node allocated per entry, and a probe needs no key built.
class IndexTable {
 public:
  // The index of the entry with hash h for which same(index) holds, else
  // `next` is filed under h; .second says whether it was.
  template <class Same>
  std::pair<std::size_t, bool> find_or_insert(std::uint64_t h, std::size_t next, Same&& same) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index == 0) {
        slot = Slot{h, next + 1};
        ++count_;
        return {next, true};
      }
      if (slot.hash == h && same(slot.index - 1)) return {slot.index - 1, false};
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::size_t index = 0;  // entry + 1; 0 = empty
  };
  void grow() {
    std::vector<Slot> bigger(std::max<std::size_t>(64, 2 * slots_.size()));
    const std::size_t mask = bigger.size() - 1;
    for (const Slot& slot : slots_) {
      if (slot.index == 0) continue;
      std::size_t i = slot.hash & mask;
      while (bigger[i].index != 0) i = (i + 1) & mask;
      bigger[i] = slot;
    }
    slots_.swap(bigger);
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

// A Python dict of normalized key -> value in first-insertion order; keys and
// values are views of the text (keys as spelled, compared normalized). The
// first kLinearLimit entries live inline and are scanned (no allocation for
// the usual handful of lines); past that, an IndexTable over key_hash.
class KeyValueDict {
 public:
  void set(std::string_view raw_key, std::string_view value) {
    if (size_ < kLinearLimit) {
      for (std::size_t i = 0; i < size_; ++i) {
        if (same_key(small_[i].first, raw_key)) {
          small_[i].second = value;
          return;
        }
      }
      small_[size_++] = {raw_key, value};
      return;
    }
    if (!indexed_) {  // the inline entries (distinct keys) are filed once
      for (std::size_t i = 0; i < kLinearLimit; ++i) {
        position_.find_or_insert(key_hash(small_[i].first), i, [](std::size_t) { return false; });
      }
      indexed_ = true;
    }
    const auto [index, inserted] = position_.find_or_insert(
        key_hash(raw_key), size_, [&](std::size_t i) { return same_key(entry(i).first, raw_key); });
    if (!inserted) {
      mutable_entry(index).second = value;
      return;
    }
    large_.emplace_back(raw_key, value);
    ++size_;
  }
  std::size_t size() const { return size_; }
  // Entry i in insertion order: (key as spelled, value).
  const std::pair<std::string_view, std::string_view>& entry(std::size_t i) const {
    return i < kLinearLimit ? small_[i] : large_[i - kLinearLimit];
  }

 private:
  std::pair<std::string_view, std::string_view>& mutable_entry(std::size_t i) {
    return i < kLinearLimit ? small_[i] : large_[i - kLinearLimit];
  }
  std::pair<std::string_view, std::string_view> small_[kLinearLimit];
  std::size_t size_ = 0;
  std::vector<std::pair<std::string_view, std::string_view>> large_;
  IndexTable position_;  // filled once past kLinearLimit
  bool indexed_ = false;
};

// Calls f(line) for every line of core splitlines(text), in order (as
// splitlines_fast returns them), without building the list.
template <class F>
void for_each_line(std::string_view text, F&& f) {
  if (!only_newline_breaks(text)) {
    for (std::string_view line : splitlines(text)) f(line);
    return;
  }
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      f(text.substr(start));
      return;
    }
    f(text.substr(start, nl - start));
    start = nl + 1;
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> extract_key_value_pairs(std::string_view text) {
  KeyValueDict dict;
  std::string_view raw_key, value;
  for_each_line(text, [&](std::string_view line) {
    if (match_key_value(line, raw_key, value)) dict.set(raw_key, value);
  });
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(dict.size());
  for (std::size_t i = 0; i < dict.size(); ++i)
    out.emplace_back(normalized_key(dict.entry(i).first), dict.entry(i).second);
  return out;
}

std::vector<std::string> extract_numbered_list(std::string_view text) {
  std::vector<std::string> items;
  std::string_view item;
  for_each_line(text, [&](std::string_view line) {
    if (match_numbered(line, item)) items.emplace_back(item);
  });
  return items;
}

std::vector<std::string> extract_bullet_list(std::string_view text) {
  std::vector<std::string> items;
  std::string_view item;
  for_each_line(text, [&](std::string_view line) {
    if (match_bullet(line, item)) items.emplace_back(item);
  });
  return items;
}

std::vector<std::string> extract_facts(std::string_view text, const Json& /*metadata*/) {
  // The three extractors over one pass of the lines, matches kept as views
  // of the text; combined in the reference's order (pairs, numbered,
  // bullets), and only the facts kept are copied into strings.
  KeyValueDict dict;
  std::vector<std::string_view> numbered, bullets;
  std::string_view raw_key, value, item;
  for_each_line(text, [&](std::string_view line) {
    if (match_key_value(line, raw_key, value)) dict.set(raw_key, value);
    if (match_numbered(line, item)) numbered.push_back(item);
    if (match_bullet(line, item)) bullets.push_back(item);
  });
  std::vector<std::string> facts;
  // Reserved in full (`seen` files indices into it).
  facts.reserve(dict.size() + numbered.size() + bullets.size());
  const bool hashed = facts.capacity() > kLinearLimit;
  IndexTable seen;
  auto add = [&](std::string_view fact, auto&& make) {
    if (hashed) {
      const bool fresh = seen.find_or_insert(std::hash<std::string_view>{}(fact), facts.size(),
                                             [&](std::size_t i) { return facts[i] == fact; })
                             .second;
      if (fresh) facts.push_back(make());
    } else if (std::find(facts.begin(), facts.end(), fact) == facts.end()) {
      facts.push_back(make());
    }
  };
  for (std::size_t i = 0; i < dict.size(); ++i) {
    // Built in its own string (kept unless it repeats an earlier fact): no
    // scratch buffer to grow and copy from.
    const auto& [k, v] = dict.entry(i);
    std::string fact;
    fact.reserve(k.size() + 2 + v.size());
    append_key(fact, k);
    fact.append(": ").append(v);
    add(fact, [&] { return std::move(fact); });
  }
  for (std::string_view s : numbered) add(s, [s] { return std::string(s); });
  for (std::string_view s : bullets) add(s, [s] { return std::string(s); });
  return facts;
}

}  // namespace contextweaver
