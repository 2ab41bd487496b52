// Conversions shared by the SQLite stores: input validation before a write
// and the reference's JSON columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// ValueError "<field> is not valid UTF-8" unless `value` is valid UTF-8. The
// stores refuse such text rather than store bytes that the reference (and
// any other SQLite client decoding TEXT) could not read back.
void require_utf8(std::string_view value, std::string_view field);

// The same check for every string and key inside a JSON value.
void require_utf8_json(const Json& value, std::string_view field);

// A JSON column holding an object (metadata): parsed, or TypeError/JsonDecodeError
// naming the column when the stored text is not a JSON object.
Json parse_object_column(std::string_view text, std::string_view column);

// A JSON column holding a list of strings (tags).
std::vector<std::string> parse_string_list_column(std::string_view text, std::string_view column);

// PyJSON of a list of strings, as json.dumps(list) writes it.
std::string dumps_string_list(const std::vector<std::string>& values);

}  // namespace contextweaver
