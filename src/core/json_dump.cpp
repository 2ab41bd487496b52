// dumps() of json.hpp (json_load.cpp has loads()): json.dumps, as CPython's json encoder writes it.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/unicode.hpp"
#include "json_encode.hpp"

namespace contextweaver {
namespace {

using json_detail::append_string;

constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, unsigned unit) {
  out += "\\u";
  out += kHex[(unit >> 12) & 0xF];
  out += kHex[(unit >> 8) & 0xF];
  out += kHex[(unit >> 4) & 0xF];
  out += kHex[unit & 0xF];
}

}  // namespace

void json_detail::append_string(std::string& out, std::string_view s, bool ensure_ascii) {
  out += '"';
  std::size_t pos = 0;
  while (pos < s.size()) {
    // A run of bytes written as they are (printable ASCII other than '"' and '\\'), appended at once.
    std::size_t run = pos;
    while (run < s.size()) {
      const unsigned char c = static_cast<unsigned char>(s[run]);
      if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') break;
      ++run;
    }
    if (run > pos) {
      out.append(s.data() + pos, run - pos);
      pos = run;
      if (pos == s.size()) break;
    }
    const unsigned char byte = static_cast<unsigned char>(s[pos]);
    if (byte < 0x80) {
      ++pos;
      switch (byte) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (byte < 0x20 || (ensure_ascii && byte == 0x7F)) {
            append_u_escape(out, byte);
          } else {
            out += static_cast<char>(byte);
          }
      }
      continue;
    }
    const std::size_t start = pos;
    const char32_t cp = decode_code_point(s, pos);  // advances pos; U+FFFD on bad bytes
    if (!ensure_ascii) {
      if (cp == kReplacementChar && !is_valid_utf8(s.substr(start, pos - start))) {
        encode_utf8(out, cp);
      } else {
        out.append(s.substr(start, pos - start));
      }
    } else if (cp >= 0x10000) {
      const char32_t v = cp - 0x10000;
      append_u_escape(out, 0xD800 + static_cast<unsigned>(v >> 10));
      append_u_escape(out, 0xDC00 + static_cast<unsigned>(v & 0x3FF));
    } else {
      append_u_escape(out, static_cast<unsigned>(cp));
    }
  }
  out += '"';
}

namespace {

void append_number(std::string& out, const Json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned()) {
      out += std::to_string(value.get<std::uint64_t>());
    } else {
      out += std::to_string(value.get<std::int64_t>());
    }
    return;
  }
  const double d = value.get<double>();
  if (std::isnan(d)) {
    out += "NaN";
  } else if (std::isinf(d)) {
    out += d > 0 ? "Infinity" : "-Infinity";
  } else {
    out += float_repr(d);
  }
}

class Writer {
 public:
  Writer(std::string& out, const DumpOptions& options) : out_(out), opt_(options) {}

  void write(const Json& value, int level) {
    switch (value.type()) {
      case Json::value_t::null:
        out_ += "null";
        return;
      case Json::value_t::boolean:
        out_ += value.get<bool>() ? "true" : "false";
        return;
      case Json::value_t::string:
        append_string(out_, value.get_ref<const std::string&>(), opt_.ensure_ascii);
        return;
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float:
        append_number(out_, value);
        return;
      case Json::value_t::array:
        write_array(value, level);
        return;
      case Json::value_t::object:
        write_object(value, level);
        return;
      case Json::value_t::binary:
      case Json::value_t::discarded:
        out_ += "null";
        return;
    }
  }

 private:
  void newline(int level) {
    out_ += '\n';
    out_.append(static_cast<std::size_t>(level * opt_.indent), ' ');
  }
  void separator(int level) {
    if (opt_.indent >= 0) {
      out_ += ',';
      newline(level);
    } else {
      out_ += ", ";
    }
  }

  void write_array(const Json& value, int level) {
    if (value.empty()) {
      out_ += "[]";
      return;
    }
    out_ += '[';
    if (opt_.indent >= 0) newline(level + 1);
    bool first = true;
    for (const auto& element : value) {
      if (!first) separator(level + 1);
      first = false;
      write(element, level + 1);
    }
    if (opt_.indent >= 0) newline(level);
    out_ += ']';
  }

  void write_object(const Json& value, int level) {
    if (value.empty()) {
      out_ += "{}";
      return;
    }
    std::vector<std::pair<const std::string*, const Json*>> members;
    members.reserve(value.size());
    for (auto it = value.begin(); it != value.end(); ++it) members.emplace_back(&it.key(), &it.value());
    if (opt_.sort_keys) {
      std::stable_sort(members.begin(), members.end(),
                       [](const auto& a, const auto& b) { return *a.first < *b.first; });
    }
    out_ += '{';
    if (opt_.indent >= 0) newline(level + 1);
    bool first = true;
    for (const auto& [key, member] : members) {
      if (!first) separator(level + 1);
      first = false;
      append_string(out_, *key, opt_.ensure_ascii);
      out_ += ": ";
      write(*member, level + 1);
    }
    if (opt_.indent >= 0) newline(level);
    out_ += '}';
  }

  std::string& out_;
  const DumpOptions& opt_;
};

}  // namespace

std::string float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, in scientific form: [-]d[.ddd]e[+-]XX.
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(result.ptr - buf));
  std::string sign;
  if (sci.front() == '-') {
    sign = "-";
    sci.remove_prefix(1);
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
  // Python repr: scientific iff the decimal exponent is < -4 or >= 16.
  std::string out = sign;
  if (exponent < -4 || exponent >= 16) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += exponent < 0 ? '-' : '+';
    const int magnitude = std::abs(exponent);
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
    return out;
  }
  const int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else if (static_cast<std::size_t>(point) >= digits.size()) {
    out += digits;
    out.append(static_cast<std::size_t>(point) - digits.size(), '0');
    out += ".0";
  } else {
    out.append(digits, 0, static_cast<std::size_t>(point));
    out += '.';
    out.append(digits, static_cast<std::size_t>(point));
  }
  return out;
}

void json_detail::append_value(std::string& out, const Json& value, const DumpOptions& options, int level) {
  Writer(out, options).write(value, level);
}

std::string dumps(const Json& value, const DumpOptions& options) {
  std::string out;
  Writer(out, options).write(value, 0);
  return out;
}

}  // namespace contextweaver
