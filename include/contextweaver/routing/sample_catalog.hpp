// The project's own sample tool catalog, for `init` and `demo` (no
// reference text is embedded).
#pragma once

#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// 56 realistic tools in 7 namespaces (calendar, files, git, hr, monitoring,
// support, travel), sorted by id; deterministic. Ids are "<ns>.<group>.<verb>",
// names "<group>_<verb>"; tools that change state have side_effects set.
std::vector<SelectableItem> sample_catalog();

}  // namespace contextweaver
