#include "contextweaver/context/profiles.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::strict:
      return "strict";
    case Mode::seeded:
      return "seeded";
    case Mode::adaptive:
      break;
  }
  return "adaptive";
}

ProfileConfig ProfileConfig::from_preset(std::string_view name) {
  struct Preset {
    std::string_view name;
    RoutingConfig routing;
    std::int64_t answer;
  };
  static const Preset kPresets[] = {
      {"fast", {1, 4, 5, 0.20, 15}, 3000},
      {"balanced", {2, 8, 10, 0.15, 20}, 6000},
      {"accurate", {4, 12, 20, 0.10, 30}, 8000},
  };
  for (const auto& p : kPresets) {
    if (p.name != name) continue;
    ProfileConfig profile;
    profile.budget.answer = p.answer;
    profile.routing = p.routing;
    return profile;
  }
  throw ConfigError("Unknown preset " + py_repr(name) + ". Valid presets: \"accurate\", \"balanced\", \"fast\".");
}

Json ProfileConfig::to_dict() const {
  Json out = Json::object();
  out["mode"] = std::string(to_string(mode));
  out["seed"] = seed ? Json(*seed) : Json(nullptr);
  out["budget"] = budget.to_dict();
  out["policy"] = policy.to_dict();
  out["scoring"] = scoring.to_dict();
  out["routing"] = routing_config_to_dict(routing);
  return out;
}

ProfileConfig ProfileConfig::from_dict(const Json& data) {
  if (!data.is_object()) throw TypeError("ProfileConfig must be a JSON object");
  ProfileConfig profile;
  if (auto it = data.find("mode"); it != data.end()) {
    const std::string raw = it->is_string() ? it->get<std::string>() : std::string();
    if (raw == "strict") {
      profile.mode = Mode::strict;
    } else if (raw == "seeded") {
      profile.mode = Mode::seeded;
    } else if (raw == "adaptive") {
      profile.mode = Mode::adaptive;
    } else {
      const std::string shown = it->is_string() ? py_repr(raw) : dumps(*it);
      throw ConfigError("Unknown mode " + shown + ". Valid modes: \"strict\", \"seeded\", \"adaptive\".");
    }
  }
  if (auto it = data.find("seed"); it != data.end() && !it->is_null()) profile.seed = py_int(*it, "seed");
  auto section = [&](const char* key) -> Json {
    auto it = data.find(key);
    return it == data.end() ? Json::object() : *it;
  };
  profile.budget = ContextBudget::from_dict(section("budget"));
  profile.policy = ContextPolicy::from_dict(section("policy"));
  profile.scoring = ScoringConfig::from_dict(section("scoring"));
  profile.routing = routing_config_from_dict(section("routing"));
  return profile;
}

}  // namespace contextweaver
