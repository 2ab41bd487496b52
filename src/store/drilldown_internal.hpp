// Private pieces of the drill-down implementation (src/store/drilldown*.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver::drilldown_detail {

// The byte length of the str.splitlines() terminator starting at `pos`
// (\n \r \r\n \v \f \x1c \x1d \x1e U+0085 U+2028 U+2029), or 0.
inline std::size_t terminator_length(std::string_view s, std::size_t pos) {
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == '\n' || c == '\v' || c == '\f' || c == 0x1C || c == 0x1D || c == 0x1E) return 1;
  if (c == '\r') return (pos + 1 < s.size() && s[pos + 1] == '\n') ? 2 : 1;
  if (c == 0xC2) return (pos + 1 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x85) ? 2 : 0;
  if (c == 0xE2 && pos + 2 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[pos + 2]);
    return (c2 == 0xA8 || c2 == 0xA9) ? 3 : 0;
  }
  return 0;
}

// The json_keys selector on raw bytes.
std::string json_keys(std::string_view bytes, const Json& keys);

}  // namespace contextweaver::drilldown_detail
