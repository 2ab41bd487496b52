// The matcher mirrors the regex alternatives one by one; each helper notes the
// alternative it implements. Backtracking is resolved analytically: for each
// alternative the first match a leftmost-first backtracking engine would
// accept is computed directly, in one forward pass.
#include "contextweaver/tokens/pretokenizer.hpp"

#include "contextweaver/core/unicode.hpp"
#include "unicode_classes.hpp"

#include <array>

namespace contextweaver {
namespace {

using tokens_detail::CharClass;

constexpr std::string_view kCl100kPat =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kO200kPat =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

constexpr std::array<CharClass, 128> make_ascii_classes() {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= '\t' && c <= '\r') || c == ' ')
      t[c] = CharClass::space;
    else if (c >= '0' && c <= '9')
      t[c] = CharClass::number;
    else if (c >= 'A' && c <= 'Z')
      t[c] = CharClass::upper;
    else if (c >= 'a' && c <= 'z')
      t[c] = CharClass::lower;
    else
      t[c] = CharClass::other;
  }
  return t;
}
constexpr std::array<CharClass, 128> kAsciiClasses = make_ascii_classes();

struct Char {
  CharClass cls;
  unsigned char byte;  // the first byte (enough to recognise \r, \n, ' ', '/')
  std::size_t len;
};

bool is_l(const Char& c) {
  return tokens_detail::is_letter(c.cls);
}
bool is_n(const Char& c) {
  return c.cls == CharClass::number;
}
bool is_s(const Char& c) {
  return c.cls == CharClass::space;
}
bool is_crlf(const Char& c) {
  return c.byte == '\r' || c.byte == '\n';
}
// [^\s\p{L}\p{N}]
bool is_punct(const Char& c) {
  return !is_l(c) && !is_n(c) && !is_s(c);
}
// [^\r\n\p{L}\p{N}]
bool is_prefix(const Char& c) {
  return !is_crlf(c) && !is_l(c) && !is_n(c);
}
// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
bool is_upperish(const Char& c) {
  return c.cls == CharClass::upper || c.cls == CharClass::title || c.cls == CharClass::modifier ||
         c.cls == CharClass::other_letter || c.cls == CharClass::mark;
}
// [\p{Ll}\p{Lm}\p{Lo}\p{M}]
bool is_lowerish(const Char& c) {
  return c.cls == CharClass::lower || c.cls == CharClass::modifier || c.cls == CharClass::other_letter ||
         c.cls == CharClass::mark;
}

class Cursor {
 public:
  Cursor(std::string_view text, bool& invalid) : t_(text), invalid_(invalid) {}

  std::size_t size() const { return t_.size(); }

  Char at(std::size_t pos) const {
    const auto b = static_cast<unsigned char>(t_[pos]);
    if (b < 0x80) return {kAsciiClasses[b], b, 1};
    std::size_t p = pos;
    const char32_t cp = decode_code_point(t_, p);
    if (cp == kReplacementChar && t_.substr(pos, p - pos) != "\xEF\xBF\xBD") invalid_ = true;
    return {tokens_detail::char_class(cp), b, p - pos};
  }

  // Advances over the longest run of characters satisfying `pred`.
  template <class Pred>
  std::size_t run(std::size_t pos, Pred pred) const {
    while (pos < t_.size()) {
      const Char c = at(pos);
      if (!pred(c)) break;
      pos += c.len;
    }
    return pos;
  }

  // (?i:'s|'t|'re|'ve|'m|'ll|'d) at pos: its length in bytes, or 0. The
  // regex crate folds case with Unicode simple case folding, under which the
  // only non-ASCII match of these letters is U+017F (long s) for 's'.
  std::size_t contraction(std::size_t pos) const {
    if (pos + 1 >= t_.size() || t_[pos] != '\'') return 0;
    const char a = static_cast<char>(t_[pos + 1] | 0x20);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if (t_.substr(pos + 1, 2) == "\xC5\xBF") return 3;
    if (pos + 2 >= t_.size()) return 0;
    const char b = static_cast<char>(t_[pos + 2] | 0x20);
    if ((a == 'r' || a == 'v') && b == 'e') return 3;
    if (a == 'l' && b == 'l') return 3;
    return 0;
  }

 private:
  std::string_view t_;
  bool& invalid_;
};

// \p{N}{1,3}
std::size_t digits(const Cursor& cur, std::size_t pos) {
  for (int i = 0; i < 3 && pos < cur.size(); ++i) {
    const Char c = cur.at(pos);
    if (!is_n(c)) break;
    pos += c.len;
  }
  return pos;
}

// \s*[\r\n]+ | \s+(?!\S) | \s+ at a whitespace character.
std::size_t whitespace(const Cursor& cur, std::size_t pos) {
  std::size_t end = pos, last_start = pos, after_newline = 0;
  while (end < cur.size()) {
    const Char c = cur.at(end);
    if (!is_s(c)) break;
    last_start = end;
    end += c.len;
    if (is_crlf(c)) after_newline = end;
  }
  // \s* backtracks until [\r\n]+ can match: the match ends after the last
  // newline of the run.
  if (after_newline != 0) return after_newline;
  // \s+(?!\S): the whole run at the end of the text, else all but its last
  // character (which then prefixes the next word or punctuation).
  if (end == cur.size()) return end;
  if (last_start > pos) return last_start;
  return end;  // \s+
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:...)? from k, or 0.
std::size_t o200k_lower_word(const Cursor& cur, std::size_t k) {
  std::size_t u = k, last_lowerish_end = 0;
  while (u < cur.size()) {
    const Char c = cur.at(u);
    if (!is_upperish(c)) break;
    u += c.len;
    if (is_lowerish(c)) last_lowerish_end = u;
  }
  std::size_t end = 0;
  if (u < cur.size() && is_lowerish(cur.at(u))) {
    end = cur.run(u, is_lowerish);
  } else if (last_lowerish_end != 0) {
    // The greedy class-1 run gives back characters until its last
    // class-2 character can stand as the one-character class-2 run.
    end = last_lowerish_end;
  } else {
    return 0;
  }
  return end + cur.contraction(end);
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:...)? from k, or 0.
std::size_t o200k_upper_word(const Cursor& cur, std::size_t k) {
  const std::size_t u = cur.run(k, is_upperish);
  if (u == k) return 0;
  const std::size_t end = cur.run(u, is_lowerish);
  return end + cur.contraction(end);
}

// ' ?[^\s\p{L}\p{N}]+' followed by `tail`*, at pos; 0 when it does not match.
template <class Tail>
std::size_t punctuation(const Cursor& cur, std::size_t pos, const Char& c0, Tail tail) {
  std::size_t start = pos;
  if (c0.byte == ' ') {
    if (pos + 1 >= cur.size() || !is_punct(cur.at(pos + 1))) return 0;
    start = pos + 1;
  } else if (!is_punct(c0)) {
    return 0;
  }
  const std::size_t end = cur.run(start, is_punct);
  return cur.run(end, tail);
}

}  // namespace

std::optional<PretokenPattern> pretoken_pattern_from_pat_str(std::string_view pat) {
  if (pat == kCl100kPat) return PretokenPattern::cl100k;
  if (pat == kO200kPat) return PretokenPattern::o200k;
  return std::nullopt;
}

std::string_view pat_str(PretokenPattern pattern) {
  return pattern == PretokenPattern::cl100k ? kCl100kPat : kO200kPat;
}

std::size_t PieceScanner::match_cl100k(std::size_t pos) {
  const Cursor cur(text_, invalid_);
  const Char c0 = cur.at(pos);
  // (?i:'s|'t|'re|'ve|'m|'ll|'d)
  if (const std::size_t n = cur.contraction(pos)) return pos + n;
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (is_l(c0)) return cur.run(pos, is_l);
  const std::size_t next = pos + c0.len;
  if (is_prefix(c0) && next < cur.size() && is_l(cur.at(next))) return cur.run(next, is_l);
  // \p{N}{1,3}
  if (is_n(c0)) return digits(cur, pos);
  // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
  if (const std::size_t end = punctuation(cur, pos, c0, is_crlf)) return end;
  return whitespace(cur, pos);
}

std::size_t PieceScanner::match_o200k(std::size_t pos) {
  const Cursor cur(text_, invalid_);
  const Char c0 = cur.at(pos);
  const std::size_t next = pos + c0.len;
  const bool prefix = is_prefix(c0) && next < cur.size();
  // Each word alternative tries the optional prefix character first, then
  // without it (a mark that is not a prefix of a word is a word itself).
  if (prefix)
    if (const std::size_t end = o200k_lower_word(cur, next)) return end;
  if (const std::size_t end = o200k_lower_word(cur, pos)) return end;
  if (prefix)
    if (const std::size_t end = o200k_upper_word(cur, next)) return end;
  if (const std::size_t end = o200k_upper_word(cur, pos)) return end;
  // \p{N}{1,3}
  if (is_n(c0)) return digits(cur, pos);
  // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
  const auto newline_or_slash = [](const Char& c) { return is_crlf(c) || c.byte == '/'; };
  if (const std::size_t end = punctuation(cur, pos, c0, newline_or_slash)) return end;
  return whitespace(cur, pos);
}

bool PieceScanner::next(std::string_view& piece) {
  if (pos_ >= text_.size()) return false;
  const std::size_t end = pattern_ == PretokenPattern::cl100k ? match_cl100k(pos_) : match_o200k(pos_);
  piece = text_.substr(pos_, end - pos_);
  pos_ = end;
  return true;
}

std::vector<std::string_view> pretokenize(PretokenPattern pattern, std::string_view text) {
  std::vector<std::string_view> pieces;
  PieceScanner scanner(pattern, text);
  std::string_view piece;
  while (scanner.next(piece)) pieces.push_back(piece);
  return pieces;
}

}  // namespace contextweaver
