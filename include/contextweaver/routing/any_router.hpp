// make_router: every router by name, behind one route() call shape (AnyRouter).
// It is the entry point to start from.
//
//   "default"          DefaultRouter: every eligible tool ranked directly (BM25F,
//                      identifier splitting, stemming, related words, typos),
//                      with an explicit "no suitable tool" answer.
//   "reference-tfidf"  the reference's beam search over the tree (ReferenceRouter),
//   "reference-bm25"   unchanged, with scorer_backend tfidf / bm25 / fuzzy:
//   "reference-fuzzy"  the parity routers.
//
// Every router takes the reference's RouteOptions (filters, hints, debug) and
// answers a RouteResult (candidates, paths in the tree, scores, ambiguity and
// clarifying question, filter counts, trace, explanation(), routing decision),
// so choice cards and explanations are made the same way whichever router ran.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/routing/default_router.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/routing/reference_router.hpp"

namespace contextweaver {

// "default", "reference-tfidf", "reference-bm25", "reference-fuzzy".
const std::vector<std::string>& router_names();

struct AnyRouterOptions {
  std::int64_t top_k = 10;
  double confidence_gap = 0.15;        // ambiguity: top-two score gap (relative to the best for "default")
  std::int64_t beam_width = 2;         // reference routers only
  std::int64_t max_depth = 8;          // reference routers only
  DefaultRouterConfig default_router;  // "default" only
};

// A route() answer: the reference's result, plus the refusal of routers that
// can say "nothing here fits" (the default router; never set by the reference ones).
struct AnyRouteResult {
  RouteResult result;
  bool refused = false;
  std::string refusal_reason;            // empty unless refused
  std::optional<double> confidence;      // default router: RankResult::confidence
  std::vector<RankedCandidate> matches;  // default router: why each candidate scored (same order)
};

// Thread-safety: route(), ensure_index() and graph() may run concurrently
// from any thread; a router is never changed after make_router.
class AnyRouter {
 public:
  virtual ~AnyRouter() = default;
  // The name it was made with (one of router_names()).
  virtual const std::string& name() const = 0;
  // Routes a query with the reference's filters and hints. RouteError when the
  // filters leave no item (the reference's message) or nothing is routable;
  // thread-safe for concurrent route() calls.
  virtual AnyRouteResult route(std::string_view query, const RouteOptions& options = {}) const = 0;
  // Builds whatever index is built lazily (the reference routers' backend);
  // the default router indexes when constructed, so this does nothing there.
  virtual void ensure_index() const {}
  // The tree (for browsing, paths and choice cards).
  virtual const ChoiceGraph& graph() const = 0;
};

// A router by name over `graph` and the catalog `items` (items outside the
// graph are ignored by the reference routers and not indexed by the default
// one). ConfigError "Unknown router 'x'; valid routers: default, …" for an
// unknown name; ConfigError from a bad option.
std::unique_ptr<AnyRouter> make_router(std::string_view name, ChoiceGraph graph, std::vector<SelectableItem> items,
                                       const AnyRouterOptions& options = {});

// The "default" router over an existing DefaultRouter (e.g. one loaded with
// the graph, see load_graph_with_index); that router's own config is used.
std::unique_ptr<AnyRouter> make_router(ChoiceGraph graph, DefaultRouter router, const AnyRouterOptions& options = {});

}  // namespace contextweaver
