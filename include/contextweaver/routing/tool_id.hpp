// Canonical tool ids (routing/tool_id.py; docs/gateway.md):
// namespace ":" name ["@" version] ["#" hash8], at most 240 characters.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

struct ToolIdParts {
  std::string namespace_;              // [a-z][a-z0-9_-]{0,63}
  std::string name;                    // [A-Za-z_][A-Za-z0-9_.-]{0,127}
  std::optional<std::string> version;  // [A-Za-z0-9._-]{1,32}
  std::optional<std::string> hash8;    // [0-9a-f]{8}; required when version is absent
  bool operator==(const ToolIdParts&) const = default;
};

// "ns:name[@version][#hash8]". CatalogError "tool_id <field> not matching
// grammar: …", "tool_id requires hash8 when version is absent (§1.2)" or
// "tool_id exceeds 240-char limit: N chars".
std::string format_tool_id(const ToolIdParts& parts);

// The parts of an id (split at the first ':', then the last '#', then the last
// '@'), validated as format_tool_id does. CatalogError "tool_id missing
// namespace separator ':' in 's'" and the errors above.
ToolIdParts parse_tool_id(std::string_view id);

// First 8 hex digits of sha256(upstream_name + "\n" + shape), shape being
// {"properties":[sorted property names],"required":[sorted]} as compact,
// key-sorted, ASCII-escaped JSON. A null schema equals {}; property types and
// descriptions do not count. CatalogError when properties/required are malformed.
std::string compute_hash8(std::string_view upstream_name, const Json& input_schema);

// format_tool_id with hash8 computed only when `version` is absent.
std::string canonical_tool_id(const std::string& namespace_, const std::string& name, std::string_view upstream_name,
                              const Json& input_schema, const std::optional<std::string>& version = std::nullopt);

}  // namespace contextweaver
