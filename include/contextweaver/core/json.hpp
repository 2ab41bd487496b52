// JSON values and Python-compatible JSON text.
//
// The reference stores and prints JSON with Python's json module, and several
// outputs (SQLite columns, artifact metadata files, json_keys drill-downs,
// prompt text) must match it byte for byte. nlohmann::ordered_json keeps
// insertion order, like a Python dict; dumps()/loads() reproduce json.dumps and
// json.loads. The functions are thread-safe; a Json value is like any
// standard container (concurrent reads fine, no read during a write).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace contextweaver {

// An insertion-ordered JSON value (a Python dict keeps insertion order, and
// re-assigning a key keeps its position).
using Json = nlohmann::ordered_json;

struct DumpOptions {
  bool sort_keys = false;    // sort object keys by code point, recursively
  int indent = -1;           // < 0: one line with ", " and ": "; >= 0: pretty, "," and ": "
  bool ensure_ascii = true;  // escape everything outside U+0020..U+007E as \uXXXX
};

// Python json.dumps(value, sort_keys=…, indent=…, ensure_ascii=…).
// Floats print as Python repr (shortest round trip, "1.0", "1e-05", "1e+16");
// NaN and infinities print bare (NaN, Infinity, -Infinity) as Python does.
std::string dumps(const Json& value, const DumpOptions& options = {});

// Python json.dumps(value, sort_keys=True): the form of every JSON column and
// metadata file the stores write.
inline std::string dumps_sorted(const Json& value) {
  return dumps(value, DumpOptions{true, -1, true});
}

// Python json.loads(text): surrounding whitespace allowed, NaN/Infinity/-Infinity
// accepted, duplicate keys keep the first position and the last value, a byte
// order mark or trailing data rejected. Integers beyond 64 bits become doubles
// (docs/compat.md). Throws JsonDecodeError with Python's message, e.g.
// "Expecting value: line 1 column 1 (char 0)".
Json loads(std::string_view text);

// What loads() does with a \uXXXX escape in D800-DFFF that is not part of a
// high-low pair (a lone surrogate), which UTF-8 cannot hold.
struct LoadOptions {
  // false: it becomes U+FFFD (docs/compat.md), so "\ud800" and "\udfff"
  // read equal. true: JsonDecodeError "Lone surrogate \ud800 in string: line
  // L column C (char N)" at the escape — for input whose strings are ids.
  bool reject_lone_surrogates = false;
};

// loads(text) with `options`.
Json loads(std::string_view text, const LoadOptions& options);

// Python repr(float): the shortest text that round-trips.
std::string float_repr(double value);

}  // namespace contextweaver
