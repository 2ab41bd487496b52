// Private to the context module: an item's tag set as scoring sees it, shared
// by score_candidates (scoring.cpp) and the warm build's records
// (build_cache.cpp).
#pragma once

#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver::context_detail {

// set(item.metadata.get("tags", [])), sorted: strings as themselves, other
// JSON values by their JSON text behind a \x01 mark (so 1 and "1" stay
// distinct, as in Python); a string is a set of characters, an object a set
// of keys.
std::vector<std::string> tag_set(const Json& metadata);

}  // namespace contextweaver::context_detail
