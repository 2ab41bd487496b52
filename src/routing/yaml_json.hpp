// YAML <-> Json for catalogs and graphs, with PyYAML's safe_load typing of
// plain scalars (YAML 1.1: null, bool, int, float; everything else a string).
#pragma once

#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver::routing_detail {

// Parses one YAML document (an empty document is null). Throws
// YamlSyntaxError "line L, column C: <problem>" on malformed text.
Json parse_yaml(std::string_view text);

// Block-style YAML with sorted mapping keys (yaml.safe_dump(sort_keys=True,
// default_flow_style=False)); strings that would load as another type are quoted.
std::string dump_yaml(const Json& value);

class YamlSyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes bytes to `path` through a temporary file in the same folder and a
// rename, so readers never see a half-written file. Returns "" on success,
// else the OS error text.
std::string write_file_atomic(const std::string& path, std::string_view bytes);

// Reads a whole file; returns false and sets `error` on failure.
bool read_file(const std::string& path, std::string& out, std::string& error);

}  // namespace contextweaver::routing_detail
