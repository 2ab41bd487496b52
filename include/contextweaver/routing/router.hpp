// Beam-search router over a ChoiceGraph (routing/router.py, filters.py).
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

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"
#include "contextweaver/routing/item_filter.hpp"
#include "contextweaver/routing/config.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/routing/retriever.hpp"
#include "contextweaver/routing/routing_decision.hpp"
#include "contextweaver/routing/trace.hpp"

namespace contextweaver {

class EngineRegistry;

struct RouterOptions {
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

// Per-call filters (ItemFilter) and hints of route().
struct RouteOptions : ItemFilter {
  bool debug = false;                      // record TraceSteps
  std::vector<std::string> context_hints;  // appended to the scoring query
};

struct RouteResult {
  std::vector<SelectableItem> candidate_items;
  std::vector<std::string> candidate_ids;
  std::vector<std::vector<std::string>> paths;  // node ids below the root down to the item
  std::vector<double> scores;
  bool is_ambiguous = false;
  std::optional<std::string> clarifying_question;
  std::int64_t excluded_count = 0;
  std::int64_t gated_count = 0;
  std::vector<std::string> context_hints;  // the hints applied (stripped, non-blank)
  bool context_boost_applied = false;
  RouteTrace trace;

  // trace.to_legacy_dicts().
  Json debug_trace() const { return trace.to_legacy_dicts(); }
  // The rationale as Markdown (explanation_markdown) or as the versioned dict.
  std::string explanation() const;
  Json explanation_dict() const;

  // The weaver-spec RoutingDecision of this result: one ChoiceCard per
  // candidate (all of them, with their scores, best first), the selection,
  // a timestamp, and the router's diagnostics under metadata["contextweaver"]
  // (is_ambiguous, excluded_count, gated_count, context_boost_applied, and
  // context_hints / clarifying_question when present), merged into a caller's
  // own "contextweaver" object without overriding its keys.
  // RouteError "RoutingDecision requires at least one candidate item" when empty.
  RoutingDecision to_routing_decision(const RoutingDecisionOptions& options = {}) const;
};

// "Did you mean 'a', 'b'? Multiple namespaces matched 'q'." when the pool
// spans >= 2 namespaces, else "Multiple tools could handle 'q': 'x', 'y'.
// Which did you mean?"; nullopt for fewer than 2 items.
std::optional<std::string> suggest_clarifying_question(std::string_view query,
                                                       const std::vector<const SelectableItem*>& pool);

class Router {
 public:
  // ConfigError "confidence_gap must be in [0.0, 1.0], got X", for an
  // unknown scorer_backend, or from the engine registry. The graph is copied; later changes to the
  // caller's graph do not affect the router.
  explicit Router(ChoiceGraph graph, std::vector<SelectableItem> items = {}, RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

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
  class Search;  // one route() call, in stages (router.cpp)
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

}  // namespace contextweaver
