// loads() of json.hpp (json_dump.cpp has dumps()): json.loads, as CPython's json decoder reads it, with its error
// messages.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

// Deeper nesting than this is rejected instead of exhausting the stack, with
// room to spare under sanitizers (Python raises RecursionError near 1,000).
constexpr int kMaxDepth = 1000;

// Objects with fewer members than this find a repeated key by a linear search.
constexpr std::size_t kLinearKeys = 16;

class Parser {
 public:
  Parser(std::string_view text, const LoadOptions& options) : s_(text), options_(options) {}

  Json parse_document() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0, false);
    skip_ws();
    Json value = parse_value(0);
    skip_ws();
    if (pos_ != s_.size()) fail("Extra data", pos_);
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what, std::size_t at, bool with_position = true) const {
    if (!with_position) throw JsonDecodeError(what + ": line 1 column 1 (char 0)");
    // Python reports positions in code points, lines and columns 1-based.
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    const std::size_t column = code_point_count(s_.substr(line_start, at - line_start)) + 1;
    const std::size_t chr = code_point_count(s_.substr(0, at));
    throw JsonDecodeError(what + ": line " + std::to_string(line) + " column " + std::to_string(column) + " (char " +
                          std::to_string(chr) + ")");
  }

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool consume_literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  Json parse_value(int depth) {
    if (depth > kMaxDepth) fail("Nesting too deep", pos_);
    if (pos_ >= s_.size()) fail("Expecting value", pos_);
    const char c = s_[pos_];
    switch (c) {
      case '{':
        return parse_object(depth);
      case '[':
        return parse_array(depth);
      case '"':
        return Json(parse_string());
      case 'n':
        if (consume_literal("null")) return Json(nullptr);
        break;
      case 't':
        if (consume_literal("true")) return Json(true);
        break;
      case 'f':
        if (consume_literal("false")) return Json(false);
        break;
      case 'N':
        if (consume_literal("NaN")) return Json(std::numeric_limits<double>::quiet_NaN());
        break;
      case 'I':
        if (consume_literal("Infinity")) return Json(std::numeric_limits<double>::infinity());
        break;
      case '-':
        if (consume_literal("-Infinity")) return Json(-std::numeric_limits<double>::infinity());
        [[fallthrough]];
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          if (auto number = parse_number()) return *number;
        }
    }
    fail("Expecting value", pos_);
  }

  std::optional<Json> parse_number() {
    // -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?
    const std::size_t start = pos_;
    std::size_t p = pos_;
    if (p < s_.size() && s_[p] == '-') ++p;
    if (p >= s_.size() || !is_digit(s_[p])) return std::nullopt;
    if (s_[p] == '0') {
      ++p;
    } else {
      while (p < s_.size() && is_digit(s_[p])) ++p;
    }
    bool is_float = false;
    if (p + 1 < s_.size() && s_[p] == '.' && is_digit(s_[p + 1])) {
      is_float = true;
      p += 2;
      while (p < s_.size() && is_digit(s_[p])) ++p;
    }
    if (p < s_.size() && (s_[p] == 'e' || s_[p] == 'E')) {
      std::size_t q = p + 1;
      if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
      if (q < s_.size() && is_digit(s_[q])) {
        is_float = true;
        p = q;
        while (p < s_.size() && is_digit(s_[p])) ++p;
      }
    }
    pos_ = p;
    const std::string_view literal = s_.substr(start, p - start);
    if (!is_float) {
      std::int64_t i = 0;
      auto r = std::from_chars(literal.data(), literal.data() + literal.size(), i);
      if (r.ec == std::errc() && r.ptr == literal.data() + literal.size()) return Json(i);
      std::uint64_t u = 0;
      r = std::from_chars(literal.data(), literal.data() + literal.size(), u);
      if (r.ec == std::errc() && r.ptr == literal.data() + literal.size()) return Json(u);
      // Beyond 64 bits: kept as the nearest double (docs/compat.md).
    }
    const std::string owned(literal);
    return Json(std::strtod(owned.c_str(), nullptr));  // correctly rounded; overflow gives inf as in Python
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Reads the 4 hex digits after "\u" at p; -1 when they are not hex.
  long read_hex4(std::size_t p) const {
    if (p + 4 > s_.size()) return -1;
    long value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const int h = hex_value(s_[p + i]);
      if (h < 0) return -1;
      value = value * 16 + h;
    }
    return value;
  }

  // Skips 8 bytes at a time from p while none of them can end a run of
  // plain string characters ('"', '\\', a control character); the byte
  // loop after it finds the exact end. The tests may flag a plain byte (a
  // borrow), never miss one that is not.
  std::size_t plain_run_end(std::size_t p) const {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    const auto has_zero = [](std::uint64_t w) { return (w - kOnes) & ~w & kHighs; };
    while (p + 8 <= s_.size()) {
      std::uint64_t w;
      std::memcpy(&w, s_.data() + p, 8);
      if (has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\')) | ((w - kOnes * 0x20) & ~w & kHighs)) break;
      p += 8;
    }
    return p;
  }

  std::string parse_string() {
    const std::size_t begin = pos_;  // at the opening quote
    ++pos_;
    std::string out;
    while (true) {
      const std::size_t chunk = pos_;
      pos_ = plain_run_end(pos_);
      while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\\' && static_cast<unsigned char>(s_[pos_]) >= 0x20) {
        ++pos_;
      }
      out.append(s_.substr(chunk, pos_ - chunk));
      if (pos_ >= s_.size()) fail("Unterminated string starting at", begin);
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c != '\\') fail("Invalid control character at", pos_);
      if (pos_ + 1 >= s_.size()) fail("Unterminated string starting at", begin);
      const char esc = s_[pos_ + 1];
      switch (esc) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          long unit = read_hex4(pos_ + 2);
          if (unit < 0) fail("Invalid \\uXXXX escape", pos_ + 1);
          std::size_t consumed = 6;
          char32_t cp = static_cast<char32_t>(unit);
          if (unit >= 0xD800 && unit <= 0xDBFF && s_.substr(pos_ + 6, 2) == "\\u") {
            const long low = read_hex4(pos_ + 8);
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) + (static_cast<char32_t>(low) - 0xDC00);
              consumed = 12;
            }
          }
          // A lone surrogate cannot be stored in UTF-8: it becomes U+FFFD (docs/compat.md), or is refused.
          if (cp >= 0xD800 && cp <= 0xDFFF) {
            if (options_.reject_lone_surrogates) fail(fmt_lone_surrogate(s_.substr(pos_, 6)), pos_);
            cp = kReplacementChar;
          }
          encode_utf8(out, cp);
          pos_ += consumed;
          continue;
        }
        default:
          fail("Invalid \\escape", pos_);
      }
      pos_ += 2;
    }
  }

  Json parse_array(int depth) {
    ++pos_;
    Json array = Json::array();
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return array;
    }
    while (true) {
      skip_ws();
      array.push_back(parse_value(depth + 1));
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return array;
      }
      if (pos_ >= s_.size() || s_[pos_] != ',') fail("Expecting ',' delimiter", pos_);
      ++pos_;
    }
  }

  Json parse_object(int depth) {
    ++pos_;
    Json object = Json::object();
    auto& members = static_cast<std::vector<std::pair<const std::string, Json>>&>(object.get_ref<Json::object_t&>());
    std::unordered_map<std::string, std::size_t> index;  // key -> position, for large objects
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return object;
    }
    while (true) {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') {
        fail("Expecting property name enclosed in double quotes", pos_);
      }
      std::string key = parse_string();
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') fail("Expecting ':' delimiter", pos_);
      ++pos_;
      skip_ws();
      Json value = parse_value(depth + 1);
      // Duplicate keys: the first position, the last value (a Python dict).
      // Small objects (a JSONL line, a session event) are searched in place;
      // the index is built only once an object outgrows that.
      std::size_t slot = members.size();
      if (members.size() < kLinearKeys) {
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (members[i].first == key) {
            slot = i;
            break;
          }
        }
      } else {
        if (index.empty()) {
          for (std::size_t i = 0; i < members.size(); ++i) index.emplace(members[i].first, i);
        }
        slot = index.try_emplace(key, members.size()).first->second;
      }
      if (slot == members.size()) {
        members.emplace_back(std::move(key), std::move(value));
      } else {
        members[slot].second = std::move(value);
      }
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return object;
      }
      if (pos_ >= s_.size() || s_[pos_] != ',') fail("Expecting ',' delimiter", pos_);
      ++pos_;
    }
  }

  static std::string fmt_lone_surrogate(std::string_view escape) {
    std::string lowered(escape);
    for (char& c : lowered) c = static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    return "Lone surrogate " + lowered + " in string";
  }

  std::string_view s_;
  LoadOptions options_;
  std::size_t pos_ = 0;
};

}  // namespace

Json loads(std::string_view text) {
  return Parser(text, LoadOptions{}).parse_document();
}

Json loads(std::string_view text, const LoadOptions& options) {
  return Parser(text, options).parse_document();
}

}  // namespace contextweaver
