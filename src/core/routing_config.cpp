#include "contextweaver/core/routing_config.hpp"

#include <string>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

RoutingConfig routing_profile(std::string_view name) {
  if (name == "fast") return RoutingConfig{1, 4, 5, 0.20, 15};
  if (name == "balanced") return RoutingConfig{2, 8, 10, 0.15, 20};
  if (name == "accurate") return RoutingConfig{4, 12, 20, 0.10, 30};
  throw ConfigError("Unknown routing profile " + py_repr(name) + "; valid options: ['accurate', 'balanced', 'fast']");
}

Json routing_kwargs(const RoutingConfig& c) {
  Json out = Json::object();
  out["beam_width"] = c.beam_width;
  out["max_depth"] = c.max_depth;
  out["top_k"] = c.top_k;
  out["confidence_gap"] = c.confidence_gap;
  return out;
}

Json routing_config_to_dict(const RoutingConfig& c) {
  Json out = routing_kwargs(c);
  out["max_children"] = c.max_children;
  return out;
}

RoutingConfig routing_config_from_dict(const Json& data) {
  if (!data.is_object()) throw TypeError("RoutingConfig must be a JSON object");
  RoutingConfig c;
  auto get_int = [&](const char* key, std::int64_t& field) {
    if (auto it = data.find(key); it != data.end()) field = py_int(*it, key);
  };
  get_int("beam_width", c.beam_width);
  get_int("max_depth", c.max_depth);
  get_int("top_k", c.top_k);
  if (auto it = data.find("confidence_gap"); it != data.end()) c.confidence_gap = py_float(*it, "confidence_gap");
  get_int("max_children", c.max_children);
  return c;
}

}  // namespace contextweaver
