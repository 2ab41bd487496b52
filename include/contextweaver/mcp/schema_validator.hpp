// JSON Schema validation of tool arguments (tool_execute step 3), with
// RapidJSON's schema validator (Debian rapidjson-dev 1.1, header-only).
//
// What RapidJSON 1.1 implements is JSON Schema draft-04. MCP tool schemas are
// nominally 2020-12; with this validator:
//   - keywords draft-04 does not know are ignored (const, prefixItems,
//     dependentRequired, unevaluatedProperties, contains, propertyNames, if/then/else …):
//     arguments they would reject are accepted and left to the upstream;
//   - numeric exclusiveMinimum/exclusiveMaximum (draft-06+) are ignored (draft-04
//     reads them as booleans);
//   - "$ref" is resolved as a JSON pointer within the schema ("#/$defs/x" and
//     "#/definitions/x" both work); remote references are not fetched (ignored);
//   - "format" is not asserted (as draft-04 allows);
//   - a boolean schema is honoured here: true accepts anything, false nothing.
// The conformance of this wrapper is checked against the Debian
// json-schema-test-suite draft4 files (tests/mcp/test_schema_suite.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// The first violation found.
struct SchemaViolation {
  std::string message;                 // e.g. "'required' failed at instance path /user (schema #/properties/user)"
  std::string keyword;                 // the failing keyword ("required", "type", …)
  Json instance_path = Json::array();  // segments from the root: strings, or integers for array indexes
  std::string schema_path;             // JSON pointer (URI fragment form) of the failing schema
};

// A compiled schema; immutable and safe to use from several threads.
class JsonSchemaValidator {
 public:
  // Compiles `schema`. An empty object or null accepts anything. ValueError
  // "invalid JSON Schema: …" when the schema is neither an object nor a
  // boolean, or RapidJSON rejects it.
  explicit JsonSchemaValidator(const Json& schema);
  ~JsonSchemaValidator();
  JsonSchemaValidator(const JsonSchemaValidator&) = delete;
  JsonSchemaValidator& operator=(const JsonSchemaValidator&) = delete;

  // nullopt when `instance` conforms; the first violation otherwise.
  std::optional<SchemaViolation> validate(const Json& instance) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace contextweaver
