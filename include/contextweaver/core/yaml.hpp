// YAML <-> Json for catalogs, graphs and gateway configs, with PyYAML's
// safe_load typing of plain scalars (YAML 1.1: null, bool, int, float;
// everything else a string).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// yaml.safe_load(text): one YAML document (an empty document is null). Throws
// YamlSyntaxError (core/errors.hpp) "line L, column C: <problem>" on malformed
// text; callers prefix the file they read.
Json parse_yaml(std::string_view text);

// yaml.safe_dump(value, sort_keys=True, default_flow_style=False): block
// style, sorted mapping keys; strings that would load as another type are
// quoted.
std::string dump_yaml(const Json& value);

// True when the path's suffix is .yaml or .yml (any case), as Python's
// Path.suffix.lower() sees it: the files read and written as YAML.
bool is_yaml_path(const std::filesystem::path& path);

}  // namespace contextweaver
