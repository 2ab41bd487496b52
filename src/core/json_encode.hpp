// The encoders behind dumps() (json_dump.cpp), shared with JsonStreamWriter
// (json_stream.cpp) so both write the same bytes: internal to the core module.
#pragma once

#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver::json_detail {

// A JSON string literal, as Python's json encoder writes it.
void append_string(std::string& out, std::string_view text, bool ensure_ascii);

// dumps(value, options) appended to `out`, as if `value` sat `level` levels
// deep in a larger document (indentation of its inner lines and closing bracket).
void append_value(std::string& out, const Json& value, const DumpOptions& options, int level);

}  // namespace contextweaver::json_detail
