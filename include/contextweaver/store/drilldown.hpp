// Drill-down selectors, shared by every ArtifactStore backend so
// the four dialects stay byte-for-byte identical.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// Applies `selector` to an artifact's bytes, read as UTF-8 with U+FFFD
// replacement (one per maximal ill-formed subsequence). The bytes need not be
// valid UTF-8; the result always is.
//   {"type":"head","chars":N}            first N code points (default 500; null = all; negative = all but last |N|)
//   {"type":"lines"|"rows","start":A,"end":B}  "\n".join(splitlines(text)[A:B]) (Python slice rules)
//   {"type":"json_keys","keys":[...]}    the listed top-level members, as json.dumps(indent=2, sort_keys=True);
//                                        "" when the text is not a JSON object
// Errors: TypeError for a non-object selector or wrong-typed parameters
// (e.g. "chars": 1.5, "keys": null); ContextWeaverError (the base class)
// "Unknown drilldown selector type: 'x'" (Python repr of the type value) for
// anything else.
std::string apply_selector(std::string_view bytes, const Json& selector);

// How much of an artifact a selector can need, so a backend may read only a
// prefix. Never throws: a selector it does not understand needs the whole
// artifact, and apply_selector() then reports the error.
struct SelectorNeed {
  enum Kind {
    whole,         // all the bytes
    prefix_bytes,  // at most `count` leading bytes suffice
    prefix_lines,  // the leading bytes that hold the first `count` lines suffice
  };
  Kind kind = whole;
  std::size_t count = 0;
};
SelectorNeed selector_need(const Json& selector);

// For a prefix_lines need: the length of the shortest prefix of `bytes` that
// holds the first `lines` lines with their terminators, so that
// apply_selector(bytes.substr(0, length)) == apply_selector(bytes). Returns
// std::string_view::npos when `bytes` may be cut short (more data might
// follow, `at_eof` false) and the answer is not yet certain.
std::size_t lines_prefix_length(std::string_view bytes, std::size_t lines, bool at_eof);

}  // namespace contextweaver
