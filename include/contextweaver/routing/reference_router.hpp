// ReferenceRouter: the reference's beam-search router over a ChoiceGraph
// (routing/router.py, filters.py). make_router (any_router.hpp) offers it by
// name as "reference-tfidf", "reference-bm25" and "reference-fuzzy".
//
// The search is the reference's, step for step, so candidate ids, their order
// and their scores are identical. Unlike the reference, the graph's reverse
// edges and the eligibility of every node are computed once when the index is
// built, so a query costs what the beam touches, not O(items × nodes).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/core/routing_config.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/routing/retriever.hpp"
#include "contextweaver/routing/route_result.hpp"

namespace contextweaver {

class EngineRegistry;

struct ReferenceRouterOptions {
  std::int64_t beam_width = 2;
  std::int64_t max_depth = 8;
  std::int64_t top_k = 10;
  double confidence_gap = 0.15;                 // must be in [0, 1]
  std::string scorer_backend = "tfidf";         // tfidf | bm25 | fuzzy
  std::optional<RoutingConfig> routing_config;  // when set, overrides the four values above
  std::shared_ptr<Retriever> retriever;         // when set, used instead of scorer_backend
  // Supplies the retriever when neither `retriever` nor a non-"tfidf"
  // scorer_backend is given (its "retriever" default). Consulted only by the
  // constructor; null means default_registry().
  const EngineRegistry* engine_registry = nullptr;
};

// Thread-safety: route() and ensure_index() may run concurrently from any
// thread (the lazily built index is guarded by a mutex); set_items() must not
// run while another thread routes through the same router.
class ReferenceRouter {
 public:
  // ConfigError "confidence_gap must be in [0.0, 1.0], got X", for an
  // unknown scorer_backend, or from the engine registry. The graph is copied; later changes to the
  // caller's graph do not affect the router.
  explicit ReferenceRouter(ChoiceGraph graph, std::vector<SelectableItem> items = {},
                           ReferenceRouterOptions options = {});
  ~ReferenceRouter();
  ReferenceRouter(const ReferenceRouter&) = delete;
  ReferenceRouter& operator=(const ReferenceRouter&) = delete;

  // Replaces the routable items (a later duplicate id wins) and drops the index.
  void set_items(std::vector<SelectableItem> items);

  // Builds the corpus and fits the retriever now instead of on the first route().
  void ensure_index() const;

  // Routes a query. RouteError "No items registered. …", "Root node 'x' not
  // in graph." or "All items were filtered out by …". Thread-safe.
  RouteResult route(std::string_view query, const RouteOptions& options = {}) const;

  std::int64_t beam_width() const { return beam_width_; }
  std::int64_t max_depth() const { return max_depth_; }
  std::int64_t top_k() const { return top_k_; }
  double confidence_gap() const { return confidence_gap_; }
  const std::string& retriever_engine() const { return engine_name_; }
  const ChoiceGraph& graph() const { return graph_; }

 private:
  struct Index;
  class Search;  // one route() call, in stages (reference_router.cpp)
  std::shared_ptr<const Index> index() const;

  ChoiceGraph graph_;
  std::vector<SelectableItem> items_;  // id insertion order; a later duplicate replaced in place
  std::int64_t beam_width_, max_depth_, top_k_;
  double confidence_gap_;
  std::shared_ptr<Retriever> retriever_;
  std::string engine_name_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Index> index_;
};

// The Python reference's name for this class: code ported from the reference
// (or read beside it) finds `Router` here.
using Router = ReferenceRouter;

}  // namespace contextweaver
