// str() of a JSON value as Python prints the parsed object: strings bare,
// True/False/None, floats in repr, lists and dicts in repr form
// ("[1, 2]", "{'a': 1}"). Used in summaries and extracted facts.
#pragma once

#include <string>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

std::string py_str(const Json& value);

// repr() of the same value (strings quoted).
std::string py_repr_json(const Json& value);

}  // namespace contextweaver
