// Named configuration profiles (profiles.py): fast / balanced / accurate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "contextweaver/context/config.hpp"
#include "contextweaver/core/routing_config.hpp"

namespace contextweaver {

// Determinism mode. Informational only at this version (no behaviour attached).
enum class Mode { strict, seeded, adaptive };
std::string_view to_string(Mode mode);

// A profile carries a RoutingConfig (core/routing_config.hpp, with its dict
// forms); the context engine itself does not consume it.
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
