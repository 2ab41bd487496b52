// Routers selected by name, behind one route() call shape (issue 6).
//
//   "default"          ToolRanker: every eligible tool ranked directly (BM25F,
//                      identifier splitting, stemming, related words, typos),
//                      with an explicit "no suitable tool" answer.
//   "reference-tfidf"  the reference's beam search over the tree (Router),
//   "reference-bm25"   unchanged, with scorer_backend tfidf / bm25 / fuzzy:
//   "reference-fuzzy"  the parity routers.
//
// Every router takes the reference's RouteOptions (filters, hints, debug) and
// answers a RouteResult (candidates, paths in the tree, scores, ambiguity and
// clarifying question, filter counts, trace, explanation(), routing decision),
// so choice cards and explanations are made the same way whichever router ran.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/routing/tool_ranker.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/routing/router.hpp"

namespace contextweaver {

// "default", "reference-tfidf", "reference-bm25", "reference-fuzzy".
const std::vector<std::string>& router_names();

struct RouterFactoryOptions {
  std::int64_t top_k = 10;
  double confidence_gap = 0.15;  // ambiguity: top-two score gap (relative to the best for "default")
  std::int64_t beam_width = 2;   // reference routers only
  std::int64_t max_depth = 8;    // reference routers only
  RankerConfig ranker;           // "default" only
};

// A route() answer: the reference's result, plus the refusal of routers that
// can say "nothing here fits" (the default router; never set by the reference ones).
struct NamedRouteResult {
  RouteResult result;
  bool refused = false;
  std::string refusal_reason;            // empty unless refused
  std::optional<double> confidence;      // default router: RankResult::confidence
  std::vector<RankedCandidate> matches;  // default router: why each candidate scored (same order)
};

class ToolRouter {
 public:
  virtual ~ToolRouter() = default;
  // The name it was made with (one of router_names()).
  virtual const std::string& name() const = 0;
  // Routes a query with the reference's filters and hints. RouteError when the
  // filters leave no item (the reference's message) or nothing is routable;
  // thread-safe for concurrent route() calls.
  virtual NamedRouteResult route(std::string_view query, const RouteOptions& options = {}) const = 0;
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
std::unique_ptr<ToolRouter> make_router(std::string_view name, ChoiceGraph graph, std::vector<SelectableItem> items,
                                        const RouterFactoryOptions& options = {});

// The default router over an existing ranking index (e.g. one loaded with the
// graph, see load_graph_with_index); the ranker's own config is used.
std::unique_ptr<ToolRouter> make_default_router(ChoiceGraph graph, ToolRanker ranker,
                                                const RouterFactoryOptions& options = {});

// --- The ranking index saved with the graph (docs/ranking-index.md) -------

// The index file that goes with a graph file: same folder and stem,
// suffix ".ranking.json" ("graph.json" → "graph.ranking.json").
std::filesystem::path ranking_index_path(const std::filesystem::path& graph_path);

// Writes the graph (save_graph) and the ranker's index beside it, tagged with
// the graph's catalog hash so that a stale index is detected on load.
// ValueError when the ranker does not index exactly the graph's items;
// StorageError / GraphBuildError from the writes.
void save_graph_with_index(const ChoiceGraph& graph, const ToolRanker& ranker, const std::filesystem::path& graph_path);

struct GraphWithIndex {
  ChoiceGraph graph;
  std::optional<ToolRanker> ranker;  // nullopt: no index file, or a stale one
  std::string index_status;          // "loaded", "missing" or "stale: <why>"
};

// Loads the graph (load_graph) and, when present and matching the graph's
// items and catalog hash, its ranking index. A stale or missing index is
// reported, not an error (rebuild it from the catalog); a corrupt one throws
// as ToolRanker::load.
GraphWithIndex load_graph_with_index(const std::filesystem::path& graph_path);

}  // namespace contextweaver
