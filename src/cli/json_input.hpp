// JSON read from the user's files: only what standard JSON parsers accept
// goes in, so everything the CLI writes back out is valid JSON
// (docs/formats.md#numbers).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver::cli {

// The byte offset in `text`, a document the JSON reader accepted, of the first
// number that is not finite: NaN, Infinity, -Infinity, or a literal too large
// for a double (1e999); npos when there is none. Strings are skipped.
std::size_t non_finite_number_offset(std::string_view text);

// The number token starting at `offset` (for messages).
std::string number_token_at(std::string_view text, std::size_t offset);

// Parses the JSON document `text` read from file `source`. ValueError
// "<source>: invalid JSON — <detail>" when it is not JSON, and
// "<source>:<line>: <token> is not a valid JSON number (NaN and infinities are
// not allowed)" when a number is not finite. `options` as for loads (import
// refuses lone surrogates: they would make different ids equal).
Json load_json_document(std::string_view text, const std::string& source, const LoadOptions& options = {});

}  // namespace contextweaver::cli
