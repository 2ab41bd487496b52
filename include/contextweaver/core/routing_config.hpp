// The router's parameters and their presets (the reference's
// profiles.RoutingConfig). A plain value type shared by the routing module,
// which consumes it, and the context module's profiles, which carry it
// (context/profiles.hpp) without using routing: hence its home in core.
#pragma once

#include <cstdint>
#include <string_view>

#include "contextweaver/core/json.hpp"

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

// {"beam_width","max_depth","top_k","confidence_gap"}: the router's keyword arguments.
Json routing_kwargs(const RoutingConfig& config);

// {"beam_width","max_depth","top_k","confidence_gap","max_children"}.
Json routing_config_to_dict(const RoutingConfig& config);

// Missing keys default; Python int()/float() coercions; TypeError unless an object.
RoutingConfig routing_config_from_dict(const Json& data);

}  // namespace contextweaver
