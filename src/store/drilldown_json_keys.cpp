// The json_keys selector of drilldown.hpp (declared in drilldown_internal.hpp): Python json.loads acceptance, then only
// the requested top-level members are materialised. A validating scanner checks the whole text (so invalid JSON still
// yields "") without building a tree for the members nobody asked for; requested values are parsed with loads().
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "drilldown_internal.hpp"

namespace contextweaver::drilldown_detail {
namespace {

// Same limit as core loads(): deeper documents are rejected, not recursed into.
constexpr int kMaxDepth = 4096;

struct Member {
  std::string_view key;  // between the quotes, still escaped
  bool escaped = false;
  std::string_view value;
};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s), p_(s.data()), end_(s.data() + s.size()) {}

  // Validates the whole document. Returns false when it is not JSON as Python
  // reads it; `is_object` and `members` describe a valid top-level object.
  bool scan(bool& is_object, std::vector<Member>& members) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") return false;
    ws();
    if (p_ < end_ && *p_ == '{') {
      is_object = true;
      if (!object(0, &members)) return false;
    } else {
      is_object = false;
      if (!value(0)) return false;
    }
    ws();
    return p_ == end_;
  }
  bool saw_non_ascii() const { return non_ascii_; }

 private:
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool literal(const char* word) {
    const std::size_t n = std::strlen(word);
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  static bool hex(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

  // At the opening quote. Python's strict mode: no raw control characters.
  bool string(bool* escaped) {
    ++p_;
    bool had_escape = false;
    for (;;) {
      // Eight plain bytes at a time (no quote, backslash, control or non-ASCII byte).
      while (end_ - p_ >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p_, 8);
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
        const std::uint64_t quote = w ^ (kOnes * '"');
        const std::uint64_t slash = w ^ (kOnes * '\\');
        const std::uint64_t special = ((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash) | (w - kOnes * 0x20) | w;
        if ((special & kHigh) != 0) break;
        p_ += 8;
      }
      if (p_ >= end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        if (escaped != nullptr) *escaped = had_escape;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) non_ascii_ = true;
      if (c == '\\') {
        had_escape = true;
        if (++p_ >= end_) return false;
        const char e = *p_;
        if (e == 'u') {
          if (end_ - p_ < 5 || !hex(p_[1]) || !hex(p_[2]) || !hex(p_[3]) || !hex(p_[4])) return false;
          p_ += 4;
        } else if (std::strchr("\"\\/bfnrt", e) == nullptr || e == '\0') {
          return false;
        }
      }
      ++p_;
    }
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?, or -Infinity.
  bool number() {
    if (*p_ == '-') {
      ++p_;
      if (p_ < end_ && *p_ == 'I') return literal("Infinity");
    }
    if (p_ >= end_ || !digit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && digit(*p_)) ++p_;
    }
    if (p_ < end_ && *p_ == '.') {
      // Python leaves "1." unparsed, so the "." is then extra data: an error either way.
      if (++p_ >= end_ || !digit(*p_)) return false;
      while (p_ < end_ && digit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      const char* mark = p_;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ >= end_ || !digit(*p_)) {
        p_ = mark;  // "1e" is the number 1 followed by junk, which fails later
        return true;
      }
      while (p_ < end_ && digit(*p_)) ++p_;
    }
    return true;
  }

  bool value(int depth) {
    if (p_ >= end_) return false;
    switch (*p_) {
      case '{':
        return object(depth + 1, nullptr);
      case '[':
        return array(depth + 1);
      case '"':
        return string(nullptr);
      case 'n':
        return literal("null");
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'N':
        return literal("NaN");
      case 'I':
        return literal("Infinity");
      default:
        return (*p_ == '-' || digit(*p_)) && number();
    }
  }

  bool array(int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      ws();
      if (!value(depth)) return false;
      ws();
      if (p_ >= end_) return false;
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_++ != ',') return false;
    }
  }

  // `members`, when given, collects the members (top level only).
  bool object(int depth, std::vector<Member>* members) {
    if (depth > kMaxDepth) return false;
    ++p_;
    ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      ws();
      if (p_ >= end_ || *p_ != '"') return false;
      const char* key_begin = p_ + 1;
      bool escaped = false;
      if (!string(&escaped)) return false;
      const std::string_view key(key_begin, static_cast<std::size_t>(p_ - 1 - key_begin));
      ws();
      if (p_ >= end_ || *p_++ != ':') return false;
      ws();
      const char* value_begin = p_;
      if (!value(depth)) return false;
      if (members != nullptr) {
        members->push_back({key, escaped, std::string_view(value_begin, static_cast<std::size_t>(p_ - value_begin))});
      }
      ws();
      if (p_ >= end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_++ != ',') return false;
    }
  }

  std::string_view s_;
  const char* p_;
  const char* end_;
  bool non_ascii_ = false;
};

// The requested keys, in iteration order, as Python iterates `keys`.
std::vector<std::string> requested_keys(const Json& keys) {
  std::vector<std::string> out;
  switch (keys.type()) {
    case Json::value_t::string: {
      // A str iterates its characters.
      const std::string text = decode_utf8_replace(keys.get_ref<const std::string&>());
      std::size_t pos = 0;
      while (pos < text.size()) {
        const std::size_t start = pos;
        decode_code_point(text, pos);
        out.emplace_back(text.substr(start, pos - start));
      }
      return out;
    }
    case Json::value_t::object:
      for (const auto& item : keys.items()) out.push_back(item.key());
      return out;
    case Json::value_t::array:
      for (const auto& k : keys) {
        if (k.is_string()) {
          out.push_back(k.get<std::string>());
        } else if (k.is_array() || k.is_object()) {
          throw TypeError("unhashable type: '" + std::string(py_type_name(k)) + "'");
        }  // other scalars are hashable but never equal a str key
      }
      return out;
    default:
      throw TypeError("'" + std::string(py_type_name(keys)) + "' object is not iterable");
  }
}

std::string decode_key(const Member& m) {
  if (!m.escaped) return std::string(m.key);
  std::string quoted;
  quoted.reserve(m.key.size() + 2);
  quoted.push_back('"');
  quoted.append(m.key);
  quoted.push_back('"');
  return loads(quoted).get<std::string>();
}

}  // namespace

std::string json_keys(std::string_view bytes, const Json& keys) {
  Scanner scanner(bytes);
  bool is_object = false;
  std::vector<Member> members;
  const bool ok = scanner.scan(is_object, members);
  if (ok && scanner.saw_non_ascii() && !is_valid_utf8(bytes)) {
    // Ill-formed bytes inside strings become U+FFFD first, as Python decodes before parsing.
    return json_keys(decode_utf8_replace(bytes), keys);
  }
  if (!ok || !is_object) return "";
  const std::vector<std::string> wanted = requested_keys(keys);
  Json result = Json::object();
  if (!wanted.empty()) {
    std::vector<std::string> names;
    names.reserve(members.size());
    for (const auto& m : members) names.push_back(decode_key(m));
    for (const auto& k : wanted) {
      // Duplicate members: the last value wins, as in a Python dict.
      for (std::size_t i = members.size(); i-- > 0;) {
        if (names[i] == k) {
          result[k] = loads(members[i].value);
          break;
        }
      }
    }
  }
  return dumps(result, DumpOptions{true, 2, true});
}

}  // namespace contextweaver::drilldown_detail
