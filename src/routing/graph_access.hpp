// Handle-based graph construction for the tree builder: a node id is hashed
// once when created, then edges are added by handle.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/routing/graph.hpp"

namespace contextweaver {

class GraphBuildAccess {
 public:
  // add_node() returning the node's handle.
  static int ensure_node(ChoiceGraph& graph, const std::string& id, const std::string& label, const std::string& hint) {
    return graph.ensure_node(id, label, hint);
  }
  // add_edge() between two handles (same cycle check and set semantics).
  static void link(ChoiceGraph& graph, int src, int dst) { graph.link(src, dst, true); }

  // The graph's nodes in sorted id order with sorted children as positions in
  // that order, and each node's "label hint" text: what the router indexes.
  // `ids` view the graph's own strings: valid while the graph lives unchanged.
  struct Snapshot {
    std::vector<std::string_view> ids;
    std::vector<std::vector<int>> kids;
    std::vector<std::string> texts;
    std::vector<int> position;  // internal record -> position in `ids`, or -1
  };
  static Snapshot snapshot(const ChoiceGraph& graph);
  // The position in `snap` of node `id`, or -1 (one hash of `id`).
  static int position_of(const ChoiceGraph& graph, const Snapshot& snap, const std::string& id) {
    const int rec = graph.find(id);
    return rec < 0 ? -1 : snap.position[static_cast<std::size_t>(rec)];
  }
};

}  // namespace contextweaver
