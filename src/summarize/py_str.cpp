#include "contextweaver/summarize/py_str.hpp"

#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

std::string py_repr_json(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return py_repr(value.get_ref<const std::string&>());
    case Json::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& v : value) {
        if (!first) out += ", ";
        first = false;
        out += py_repr_json(v);
      }
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : value.items()) {
        if (!first) out += ", ";
        first = false;
        out += py_repr(k) + ": " + py_repr_json(v);
      }
      return out + "}";
    }
    default:
      return py_str(value);
  }
}

std::string_view py_strip_fast(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const auto c = static_cast<unsigned char>(s[begin]);
    if (c < 0x80) {
      if (!py_ascii_space(c)) break;
      ++begin;
      continue;
    }
    std::size_t next = begin;
    if (!py_isspace(decode_code_point(s, next))) break;
    begin = next;
  }
  std::size_t end = s.size();
  while (end > begin) {
    const auto c = static_cast<unsigned char>(s[end - 1]);
    // An ASCII byte is a code point of its own (it never continues a
    // sequence), so [begin, end) decodes as it does inside s.
    if (c >= 0x80) return py_strip(s.substr(begin, end - begin));
    if (!py_ascii_space(c)) break;
    --end;
  }
  return s.substr(begin, end - begin);
}

std::string py_str(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "None";
    case Json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case Json::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case Json::value_t::number_float:
      return float_repr(value.get<double>());
    case Json::value_t::string:
      return value.get<std::string>();
    default:
      return py_repr_json(value);
  }
}

}  // namespace contextweaver
