// The routing DAG (routing/graph_node.py, graph.py, graph_io.py): navigation
// nodes with labels and hints, item leaves, and sorted adjacency.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/routing/manifest.hpp"

namespace contextweaver {

struct ChoiceNode {
  std::string node_id;
  std::string label;
  std::string routing_hint;
  std::vector<std::string> children;                             // in insertion order
  std::vector<std::pair<std::string, std::string>> child_types;  // child id -> "node" | "item", in insertion order
  Json stats = Json::object();

  // Keys node_id, label, routing_hint, children, child_types, stats.
  Json to_dict() const;
  // Missing keys take defaults; TypeError on a wrongly typed field.
  static ChoiceNode from_dict(const Json& data);
  bool operator==(const ChoiceNode&) const = default;
};

struct GraphStats {
  std::int64_t total_items = 0;
  std::int64_t total_nodes = 0;       // navigation nodes only
  std::int64_t max_depth = 0;         // BFS depth from the root, item leaves included
  double avg_branching_factor = 0.0;  // round(mean out-degree of navigation nodes, 2)
  std::int64_t max_branching_factor = 0;
  std::int64_t leaf_node_count = 0;     // navigation nodes without children
  std::vector<std::string> namespaces;  // first "."-segment of dotted item ids, sorted

  Json to_dict() const;
};

// Ids are interned once (tree node ids can be tens of kilobytes long, since a
// child's id extends its parent's), and edges are kept as integer adjacency,
// so a 10,000-item tree builds in linear memory.
// Thread-safety: const members may run concurrently; building or changing a
// graph needs exclusive access (routers copy the graph they are given).
class ChoiceGraph {
 public:
  // max_children is recorded and serialised; the graph itself does not enforce it.
  explicit ChoiceGraph(std::int64_t max_children = 20);
  ChoiceGraph(const ChoiceGraph& other);
  ChoiceGraph& operator=(const ChoiceGraph& other);
  ChoiceGraph(ChoiceGraph&& other) noexcept;
  ChoiceGraph& operator=(ChoiceGraph&& other) noexcept;
  ~ChoiceGraph();

  // Creates the node if absent; otherwise a non-empty label/hint replaces the old one.
  void add_node(const std::string& node_id, const std::string& label = "", const std::string& routing_hint = "");
  // Registers an item id (no node is created).
  void add_item(const std::string& item_id);
  // Adds both endpoints and the edge. GraphBuildError "Adding edge 'a' -> 'b'
  // would create a cycle." (and no change) when dst reaches src.
  void add_edge(const std::string& src, const std::string& dst);

  std::vector<std::string> nodes() const;                                   // sorted
  std::vector<std::string> items() const;                                   // sorted
  std::vector<std::string> successors(const std::string& node_id) const;    // sorted; [] when unknown
  std::vector<std::string> predecessors(const std::string& node_id) const;  // sorted; [] when unknown
  std::vector<std::string> roots() const;                                   // nodes without an incoming edge, sorted
  bool has_node(const std::string& node_id) const;
  bool is_item(const std::string& id) const;
  std::size_t node_count() const { return node_count_; }

  // A copy of the node (children in insertion order with their types).
  // GraphBuildError "Node 'x' not found." when absent.
  ChoiceNode get_node(const std::string& node_id) const;

  // Kahn's algorithm taking the smallest ready id first; GraphBuildError
  // "Cycle detected during topological sort." when the graph has a cycle.
  std::vector<std::string> topological_order() const;

  GraphStats stats() const;

  const std::string& root_id() const { return root_id_; }
  void set_root_id(std::string root_id) { root_id_ = std::move(root_id); }
  std::int64_t max_children() const { return max_children_; }
  const Json& build_meta() const { return build_meta_; }
  void set_build_meta(Json meta) { build_meta_ = std::move(meta); }

  // build_meta["manifest"] as a manifest, or nullopt when it is not an object.
  std::optional<GraphManifest> manifest() const;
  void set_manifest(const GraphManifest& manifest);

  // {"root_id","nodes","items","edges","max_children","build_meta"}, ids sorted.
  Json to_dict() const;
  // Loads nodes and edges (children lists are rebuilt from the edges).
  // GraphBuildError "Cycle detected loading edge 'a' -> 'b'." on a cyclic edge.
  static ChoiceGraph from_dict(const Json& data);

  // Root exists, every edge target is a node or item, no cycle, every item
  // reachable from the root; GraphBuildError naming the problem otherwise.
  void validate() const;

 private:
  friend class GraphBuildAccess;  // the tree builder's handle-based fast path (src/routing)
  struct Store;

  int intern(const std::string& id);
  int find(const std::string& id) const;
  int ensure_node(const std::string& id, const std::string& label, const std::string& hint);
  int ensure_node(int rec, const std::string& label, const std::string& hint);
  void link(int src, int dst, bool check_cycle);
  bool reaches(int from, int to) const;
  std::vector<int> sorted_nodes() const;
  std::vector<int> sorted_children(int rec) const;

  std::int64_t max_children_;
  std::string root_id_ = "root";
  std::unique_ptr<Store> store_;
  std::size_t node_count_ = 0;
  Json build_meta_ = Json::object();
};

// Writes the graph: .yaml/.yml as block YAML with sorted keys, anything else
// as JSON (indent 2, sorted keys, ASCII-escaped, final newline). Atomic replace.
void save_graph(const ChoiceGraph& graph, const std::filesystem::path& path);

// Reads and validates a graph file. GraphBuildError "Cannot read graph file: …",
// "Invalid JSON in graph file: …" / "Invalid YAML in graph file: …" (with the
// line), a dangling edge ("Child ref 'x' from 'y' not found in graph."), a
// cycle, or any validate() failure.
ChoiceGraph load_graph(const std::filesystem::path& path);

}  // namespace contextweaver
