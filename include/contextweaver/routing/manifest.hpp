// Build manifest of a routing graph (routing/manifest.py): which catalog the
// graph was built from, so a stale graph can be detected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

// SHA-256 hex over "id|name|description|namespace|sorted,tags" lines of the
// items sorted by id, joined by "\n". Item order and tag order do not matter;
// kind, schemas, examples and metadata are not part of it.
std::string compute_catalog_hash(const std::vector<SelectableItem>& items);

struct GraphManifest {
  std::int64_t manifest_version = 1;
  std::string build_hash;
  std::optional<std::int64_t> seed;
  Json engine_versions = Json::object();  // name -> version string
  double timestamp = 0.0;
  std::int64_t item_count = 0;
  std::string strategy = "auto";
  std::int64_t max_depth = 0;
  Json extra = Json::object();

  // Fills build_hash and item_count from `items`; a null timestamp means now
  // (Unix seconds). `build_hash`: compute_catalog_hash(items) when the caller
  // already has it (TreeBuilder's cache key), so a build hashes the catalog once.
  static GraphManifest for_build(const std::vector<SelectableItem>& items, const std::string& strategy = "auto",
                                 std::int64_t max_depth = 0, std::optional<std::int64_t> seed = std::nullopt,
                                 Json engine_versions = Json::object(), Json extra = Json::object(),
                                 std::optional<double> timestamp = std::nullopt,
                                 std::optional<std::string> build_hash = std::nullopt);

  // Keys in field order.
  Json to_dict() const;
  // Missing keys take the defaults; values are coerced as the reference does (TypeError/ValueError otherwise).
  static GraphManifest from_dict(const Json& data);

  // True when build_hash is non-empty and equals the hash of `items`.
  bool matches_catalog(const std::vector<SelectableItem>& items) const;

  bool operator==(const GraphManifest&) const = default;
};

}  // namespace contextweaver
