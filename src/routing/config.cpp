#include "contextweaver/routing/config.hpp"

#include <string>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

RoutingConfig routing_profile(std::string_view name) {
  if (name == "fast") return RoutingConfig{1, 4, 5, 0.20, 15};
  if (name == "balanced") return RoutingConfig{2, 8, 10, 0.15, 20};
  if (name == "accurate") return RoutingConfig{4, 12, 20, 0.10, 30};
  throw ConfigError("Unknown routing profile " + py_repr(name) + "; valid options: ['accurate', 'balanced', 'fast']");
}

}  // namespace contextweaver
