#include "contextweaver/store/sqlite_codec.hpp"

#include <cstdint>
#include <cstring>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "stored_json.hpp"

namespace contextweaver {

namespace {

// The offset of the first 8-byte word holding a non-ASCII byte (ASCII bytes
// are complete code points, so validation may start there).
std::size_t ascii_prefix(std::string_view value) {
  std::size_t i = 0;
  for (; i + 8 <= value.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, value.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) return i;
  }
  return i;
}

}  // namespace

void require_utf8(std::string_view value, std::string_view field) {
  // Most stored text is ASCII: check it a word at a time before the full decoder.
  if (!is_valid_utf8(value.substr(ascii_prefix(value)))) throw ValueError(std::string(field) + " is not valid UTF-8");
}

void require_utf8_json(const Json& value, std::string_view field) {
  if (value.is_string()) {
    require_utf8(value.get_ref<const std::string&>(), field);
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      require_utf8(key, field);
      require_utf8_json(member, field);
    }
  } else if (value.is_array()) {
    for (const auto& member : value) require_utf8_json(member, field);
  }
}

Json parse_object_column(std::string_view text, std::string_view column) {
  Json value = store_detail::load_stored_json(text);
  if (!value.is_object()) return as_object(value, column);  // throws TypeError naming the column
  return value;
}

std::vector<std::string> parse_string_list_column(std::string_view text, std::string_view column) {
  return as_string_list(store_detail::load_stored_json(text), column);
}

std::string dumps_string_list(const std::vector<std::string>& values) {
  Json list = Json::array();
  for (const auto& v : values) list.push_back(v);
  return dumps(list);
}

}  // namespace contextweaver
