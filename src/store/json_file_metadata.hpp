// Reading JsonFileArtifactStore metadata files (docs/artifact-files.md).
#pragma once

#include <string_view>

#include "contextweaver/core/types.hpp"

namespace contextweaver::store_detail {

// Python's Path.read_text() + json.loads + ArtifactRef.from_dict, with its
// exceptions (ValueError for non-UTF-8, JsonDecodeError, KeyError, TypeError).
// Files in the exact form the store writes are decoded directly.
ArtifactRef parse_artifact_metadata(std::string_view text);

}  // namespace contextweaver::store_detail
