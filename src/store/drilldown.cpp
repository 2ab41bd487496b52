// Drill-down dispatch, head and lines/rows (selectors in drilldown.hpp). Works on the raw
// bytes and decodes only what it returns: splitting on line terminators and
// counting code points give the same boundaries on raw bytes as on the
// U+FFFD-decoded text, because every terminator is a complete code point and
// an ill-formed sequence never swallows an ASCII or lead byte.
#include "contextweaver/store/drilldown.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/unicode.hpp"
#include "drilldown_internal.hpp"

namespace contextweaver {
namespace {

constexpr std::int64_t kDefaultHeadChars = 500;

// A slice bound as Python reads it: int or bool, null = open; anything else is
// the TypeError that slicing raises.
std::optional<std::int64_t> slice_index(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return std::nullopt;
    case Json::value_t::boolean:
      return value.get<bool>() ? 1 : 0;
    case Json::value_t::number_integer:
      return value.get<std::int64_t>();
    case Json::value_t::number_unsigned: {
      // Beyond int64 the slice clamps exactly as at INT64_MAX.
      const auto u = value.get<std::uint64_t>();
      return u > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(u);
    }
    default:
      throw TypeError("slice indices must be integers or None or have an __index__ method, not '" +
                      std::string(py_type_name(value)) + "'");
  }
}

// selector.get(key) as a pointer (nullptr when absent).
const Json* member(const Json& selector, const char* key) {
  const auto it = selector.find(key);
  return it == selector.end() ? nullptr : &*it;
}

// The decoded text of `bytes` (copy only when it is already valid).
std::string decoded(std::string_view bytes) {
  return decode_utf8_replace(bytes);
}

std::string head(std::string_view bytes, const Json& selector) {
  const Json* chars_json = member(selector, "chars");
  const std::optional<std::int64_t> chars = chars_json ? slice_index(*chars_json) : kDefaultHeadChars;
  if (chars && *chars >= 0) {
    // Walk only the first `chars` code points.
    const auto want = static_cast<std::uint64_t>(*chars);
    // ASCII bytes are one code point each: skip a leading ASCII run 8 bytes at a time.
    const std::size_t limit = want < bytes.size() ? static_cast<std::size_t>(want) : bytes.size();
    std::size_t pos = 0;
    for (std::uint64_t word = 0; pos + 8 <= limit; pos += 8) {
      std::memcpy(&word, bytes.data() + pos, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
    }
    bool replaced = false;
    for (std::uint64_t n = pos; n < want && pos < bytes.size(); ++n) {
      if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
        ++pos;
      } else if (decode_code_point(bytes, pos) == kReplacementChar) {
        replaced = true;
      }
    }
    return replaced ? decoded(bytes.substr(0, pos)) : std::string(bytes.substr(0, pos));
  }
  return slice_code_points(decoded(bytes), std::nullopt, chars);
}

// Yields the lines of `bytes` as str.splitlines() does, one at a time.
class LineCursor {
 public:
  explicit LineCursor(std::string_view bytes) : s_(bytes) {}
  // The next line (without terminator), or nullopt at the end.
  std::optional<std::string_view> next() {
    if (pos_ >= s_.size()) return std::nullopt;
    const std::size_t start = pos_;
    while (pos_ < s_.size()) {
      const std::size_t len = drilldown_detail::terminator_length(s_, pos_);
      if (len != 0) {
        const std::string_view line = s_.substr(start, pos_ - start);
        pos_ += len;
        return line;
      }
      ++pos_;
    }
    return s_.substr(start);
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::string lines(std::string_view bytes, const Json& selector) {
  const Json* start_json = member(selector, "start");
  const Json* end_json = member(selector, "end");
  const std::optional<std::int64_t> start = start_json ? slice_index(*start_json) : std::optional<std::int64_t>(0);
  const std::optional<std::int64_t> end = end_json ? slice_index(*end_json) : std::nullopt;
  std::string out;
  bool non_ascii = false;
  auto emit = [&](std::string_view line, bool first) {
    if (!first) out.push_back('\n');
    out.append(line);
  };
  const bool forward = (!start || *start >= 0) && end && *end >= 0;
  if (forward) {
    // Non-negative bounds: stop scanning at line `end`.
    LineCursor cursor(bytes);
    const std::int64_t first = start ? *start : 0;
    std::int64_t index = 0;
    for (auto line = cursor.next(); line && index < *end; line = cursor.next(), ++index) {
      if (index < first) continue;
      emit(*line, index == first);
    }
  } else {
    std::vector<std::string_view> all;
    LineCursor cursor(bytes);
    for (auto line = cursor.next(); line; line = cursor.next()) all.push_back(*line);
    const SliceRange r = py_slice(all.size(), start, end);
    for (std::size_t i = r.begin; i < r.end; ++i) emit(all[i], i == r.begin);
  }
  for (char c : out) non_ascii |= static_cast<unsigned char>(c) >= 0x80;
  return non_ascii ? decoded(out) : out;
}

}  // namespace

std::string apply_selector(std::string_view bytes, const Json& selector) {
  if (!selector.is_object()) {
    throw TypeError("drilldown selector must be a JSON object, not '" + std::string(py_type_name(selector)) + "'");
  }
  const Json* type = member(selector, "type");
  if (type == nullptr) throw ContextWeaverError("Unknown drilldown selector type: ''");
  if (type->is_string()) {
    const auto& name = type->get_ref<const std::string&>();
    if (name == "head") return head(bytes, selector);
    if (name == "lines" || name == "rows") return lines(bytes, selector);  // rows: CSV-awareness is future work
    if (name == "json_keys") {
      const Json* keys = member(selector, "keys");
      static const Json kNoKeys = Json::array();
      return drilldown_detail::json_keys(bytes, keys ? *keys : kNoKeys);
    }
  }
  throw ContextWeaverError("Unknown drilldown selector type: " + py_repr_json(*type));
}

SelectorNeed selector_need(const Json& selector) {
  if (!selector.is_object()) return {};
  const Json* type = member(selector, "type");
  if (type == nullptr || !type->is_string()) return {};
  const auto& name = type->get_ref<const std::string&>();
  const auto non_negative = [](const Json* v, std::int64_t fallback) -> std::optional<std::uint64_t> {
    if (v == nullptr) return static_cast<std::uint64_t>(fallback);
    if (v->is_number_unsigned()) return v->get<std::uint64_t>();
    if (v->is_number_integer() && v->get<std::int64_t>() >= 0) return v->get<std::int64_t>();
    if (v->is_boolean()) return v->get<bool>() ? 1 : 0;
    return std::nullopt;  // null, negative or wrong-typed: read everything
  };
  if (name == "head") {
    const auto chars = non_negative(member(selector, "chars"), kDefaultHeadChars);
    // A code point takes at most 4 bytes, and so does each U+FFFD's subsequence.
    if (chars && *chars < std::numeric_limits<std::size_t>::max() / 4) return {SelectorNeed::prefix_bytes, *chars * 4};
    return {};
  }
  if (name == "lines" || name == "rows") {
    const Json* start = member(selector, "start");
    const Json* end = member(selector, "end");
    if (end == nullptr || end->is_null()) return {};
    if (start != nullptr && !start->is_null() && !non_negative(start, 0)) return {};
    const auto e = non_negative(end, 0);
    if (e) return {SelectorNeed::prefix_lines, static_cast<std::size_t>(*e)};
  }
  return {};
}

std::size_t lines_prefix_length(std::string_view bytes, std::size_t wanted, bool at_eof) {
  std::size_t pos = 0;
  std::size_t found = 0;
  while (found < wanted) {
    if (pos >= bytes.size()) return at_eof ? bytes.size() : std::string_view::npos;
    // A terminator at the very end may be the first half of "\r\n" or of a
    // multi-byte one; wait for more bytes unless this is the end.
    if (!at_eof && bytes.size() - pos < 3) return std::string_view::npos;
    const std::size_t len = drilldown_detail::terminator_length(bytes, pos);
    if (len == 0) {
      ++pos;
      continue;
    }
    pos += len;
    ++found;
  }
  return pos;
}

}  // namespace contextweaver
