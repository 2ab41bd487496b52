// The default router's index saved beside the graph file
// (docs/ranking-index.md): "graph.json" + "graph.ranking.json", so that a
// loaded graph routes without re-analyzing its catalog.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "contextweaver/routing/default_router.hpp"
#include "contextweaver/routing/graph.hpp"

namespace contextweaver {

// The index file that goes with a graph file: same folder and stem,
// suffix ".ranking.json" ("graph.json" → "graph.ranking.json").
std::filesystem::path ranking_index_path(const std::filesystem::path& graph_path);

// Writes the graph (save_graph) and the default router's index beside it, tagged with
// the graph's catalog hash so that a stale index is detected on load.
// ValueError when the router does not index exactly the graph's items;
// StorageError / GraphBuildError from the writes.
void save_graph_with_index(const ChoiceGraph& graph, const DefaultRouter& router,
                           const std::filesystem::path& graph_path);

struct GraphWithIndex {
  ChoiceGraph graph;
  std::optional<DefaultRouter> router;  // nullopt: no index file, or a stale one
  std::string index_status;             // "loaded", "missing" or "stale: <why>"
};

// Loads the graph (load_graph) and, when present and matching the graph's
// items and catalog hash, its ranking index. A stale or missing index is
// reported, not an error (rebuild it from the catalog); a corrupt one throws
// as DefaultRouter::load.
GraphWithIndex load_graph_with_index(const std::filesystem::path& graph_path);

}  // namespace contextweaver
