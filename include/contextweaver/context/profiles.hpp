// Named configuration profiles (profiles.py): fast / balanced / accurate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "contextweaver/context/config.hpp"
#include "contextweaver/routing/config.hpp"

namespace contextweaver {

// Determinism mode. Informational only at this version (no behaviour attached).
enum class Mode { strict, seeded, adaptive };
std::string_view to_string(Mode mode);

// RoutingConfig (beam_width, max_depth, top_k, confidence_gap, max_children)
// is the routing module's struct (routing/config.hpp, a plain header-only
// type, so no link dependency); a profile carries it and the context engine
// does not consume it. Its dict forms:

// {"beam_width","max_depth","top_k","confidence_gap"}: the router's keyword arguments.
Json routing_kwargs(const RoutingConfig& config);
// {"beam_width","max_depth","top_k","confidence_gap","max_children"}.
Json routing_config_to_dict(const RoutingConfig& config);
// Missing keys default; Python int()/float() coercions.
RoutingConfig routing_config_from_dict(const Json& data);

struct ProfileConfig {
  Mode mode = Mode::strict;
  ContextBudget budget;
  ContextPolicy policy;
  ScoringConfig scoring;
  RoutingConfig routing;
  std::optional<std::int64_t> seed;

  // "fast" (answer budget 3000), "balanced" (6000), "accurate" (8000); other
  // phases, policy and scoring default. ConfigError
  // "Unknown preset 'x'. Valid presets: \"accurate\", \"balanced\", \"fast\"." otherwise.
  static ProfileConfig from_preset(std::string_view name);
  static ProfileConfig from_profile(std::string_view name) { return from_preset(name); }

  // {"mode","seed","budget","policy","scoring","routing"}.
  Json to_dict() const;
  // Missing sections default; ConfigError "Unknown mode 'x'. Valid modes: …" for a bad mode.
  static ProfileConfig from_dict(const Json& data);
  bool operator==(const ProfileConfig&) const = default;
};

}  // namespace contextweaver
