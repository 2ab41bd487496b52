// What a route() call takes and answers, whichever router runs: the per-call
// RouteOptions (filters and hints) and the RouteResult (routing/router.py's
// RouteResult, with its explanation and routing decision).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"
#include "contextweaver/routing/item_filter.hpp"
#include "contextweaver/routing/routing_decision.hpp"
#include "contextweaver/routing/trace.hpp"

namespace contextweaver {

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

}  // namespace contextweaver
