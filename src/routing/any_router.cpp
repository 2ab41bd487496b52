// make_router by name, and the reference beam routers behind the AnyRouter
// interface. The "default" adapter lives in any_router_default.cpp.
#include "contextweaver/routing/any_router.hpp"

#include <algorithm>
#include <set>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {

namespace {

constexpr std::string_view kReferencePrefix = "reference-";

// The parity ReferenceRouter, unchanged: only the name and the result wrapper are added.
class ReferenceAnyRouter final : public AnyRouter {
 public:
  ReferenceAnyRouter(std::string name, ChoiceGraph graph, std::vector<SelectableItem> items,
                     ReferenceRouterOptions options)
      : name_(std::move(name)), router_(std::move(graph), std::move(items), std::move(options)) {}
  const std::string& name() const override { return name_; }
  AnyRouteResult route(std::string_view query, const RouteOptions& options) const override {
    AnyRouteResult out;
    out.result = router_.route(query, options);
    return out;
  }
  void ensure_index() const override { router_.ensure_index(); }
  const ChoiceGraph& graph() const override { return router_.graph(); }

 private:
  std::string name_;
  ReferenceRouter router_;
};

std::string valid_names() {
  std::string out;
  for (const auto& n : router_names()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

const std::vector<std::string>& router_names() {
  static const std::vector<std::string> names{"default", "reference-tfidf", "reference-bm25", "reference-fuzzy"};
  return names;
}

std::unique_ptr<AnyRouter> make_router(std::string_view name, ChoiceGraph graph, std::vector<SelectableItem> items,
                                       const AnyRouterOptions& options) {
  const auto& names = router_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    throw ConfigError("Unknown router '" + std::string(name) + "'; valid routers: " + valid_names());
  }
  if (name == "default") {
    // Only the graph's items are routable, as for the reference routers.
    const auto in_graph = graph.items();
    const std::set<std::string> ids(in_graph.begin(), in_graph.end());
    std::vector<SelectableItem> routable;
    for (auto& item : items) {
      if (ids.count(item.id)) routable.push_back(std::move(item));
    }
    DefaultRouter ranker(routable, options.default_router);
    return make_router(std::move(graph), std::move(ranker), options);
  }
  ReferenceRouterOptions ro;
  ro.top_k = options.top_k;
  ro.beam_width = options.beam_width;
  ro.max_depth = options.max_depth;
  ro.confidence_gap = options.confidence_gap;
  ro.scorer_backend = std::string(name.substr(kReferencePrefix.size()));
  return std::make_unique<ReferenceAnyRouter>(std::string(name), std::move(graph), std::move(items), std::move(ro));
}

}  // namespace contextweaver
