// A JSON Schema checker for the subset of draft 2020-12 that the reference's
// schemas use (type, properties, required, additionalProperties, items, anyOf,
// enum, const, maxLength, maxItems, minimum, local $ref into $defs), so the
// CLI's --json output can be validated against them.
#pragma once

#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace cwtest {

// Every violation of `schema` by `value`, as "<json pointer>: <reason>";
// empty when the value is valid. An unsupported keyword is reported as a
// violation, so a schema this checker cannot read never passes silently.
std::vector<std::string> schema_violations(const contextweaver::Json& schema, const contextweaver::Json& value);

}  // namespace cwtest
