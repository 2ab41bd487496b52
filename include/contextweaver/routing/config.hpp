// Routing parameters and presets (profiles.RoutingConfig / ProfileConfig).
#pragma once

#include <cstdint>
#include <string_view>

namespace contextweaver {

struct RoutingConfig {
  std::int64_t beam_width = 2;
  std::int64_t max_depth = 8;
  std::int64_t top_k = 10;
  double confidence_gap = 0.15;
  std::int64_t max_children = 20;

  bool operator==(const RoutingConfig&) const = default;
};

// The reference's presets: "fast" (1, 4, 5, 0.20, 15), "balanced" (2, 8, 10,
// 0.15, 20), "accurate" (4, 12, 20, 0.10, 30). ConfigError for another name.
RoutingConfig routing_profile(std::string_view name);

}  // namespace contextweaver
