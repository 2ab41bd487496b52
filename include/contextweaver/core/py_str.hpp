// str() and repr() of a JSON value as Python prints the parsed object:
// strings bare (str) or quoted (repr), True/False/None, floats in repr, lists
// and dicts in repr form ("[1, 2]", "{'a': 1}"). Used wherever the reference
// formats a parsed value with str() or repr(): summaries and extracted facts,
// drill-down and schema error messages, CLI output.
#pragma once

#include <string>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// str(value).
std::string py_str(const Json& value);

// repr(value).
std::string py_repr_json(const Json& value);

}  // namespace contextweaver
