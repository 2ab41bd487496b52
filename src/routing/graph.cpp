#include "contextweaver/routing/graph.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <queue>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

// Python round(x, 2): correctly rounded, ties to even on the exact binary value.
double round2(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return std::strtod(buf, nullptr);
}

Json string_array(const std::vector<std::string>& values) {
  Json out = Json::array();
  for (const auto& v : values) out.push_back(v);
  return out;
}

}  // namespace

Json ChoiceNode::to_dict() const {
  Json out = Json::object();
  out["node_id"] = node_id;
  out["label"] = label;
  out["routing_hint"] = routing_hint;
  out["children"] = string_array(children);
  Json types = Json::object();
  for (const auto& [id, type] : child_types) types[id] = type;
  out["child_types"] = types;
  out["stats"] = stats;
  return out;
}

ChoiceNode ChoiceNode::from_dict(const Json& data) {
  ChoiceNode node;
  node.node_id = as_string(require_key(data, "node_id"), "node_id");
  if (data.contains("label")) node.label = as_string(data.at("label"), "label");
  if (data.contains("routing_hint")) node.routing_hint = as_string(data.at("routing_hint"), "routing_hint");
  if (data.contains("children")) node.children = as_string_list(data.at("children"), "children");
  if (data.contains("child_types")) {
    const Json types = as_object(data.at("child_types"), "child_types");
    for (auto it = types.begin(); it != types.end(); ++it) {
      node.child_types.emplace_back(it.key(), as_string(it.value(), "child_types"));
    }
  }
  if (data.contains("stats")) node.stats = as_object(data.at("stats"), "stats");
  return node;
}

Json GraphStats::to_dict() const {
  Json out = Json::object();
  out["total_items"] = total_items;
  out["total_nodes"] = total_nodes;
  out["max_depth"] = max_depth;
  out["avg_branching_factor"] = avg_branching_factor;
  out["max_branching_factor"] = max_branching_factor;
  out["leaf_node_count"] = leaf_node_count;
  out["namespaces"] = string_array(namespaces);
  return out;
}

ChoiceGraph::ChoiceGraph(std::int64_t max_children) : max_children_(max_children) {}

void ChoiceGraph::add_node(const std::string& node_id, const std::string& label, const std::string& routing_hint) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) {
    ChoiceNode node;
    node.node_id = node_id;
    node.label = label;
    node.routing_hint = routing_hint;
    nodes_.emplace(node_id, std::move(node));
  } else {
    if (!label.empty()) it->second.label = label;
    if (!routing_hint.empty()) it->second.routing_hint = routing_hint;
  }
  edges_.try_emplace(node_id);
}

void ChoiceGraph::add_item(const std::string& item_id) {
  items_.insert(item_id);
}

bool ChoiceGraph::reaches(const std::string& from, const std::string& to) const {
  if (from == to) return true;
  std::vector<const std::string*> stack{&from};
  std::set<std::string> seen;
  while (!stack.empty()) {
    const std::string& n = *stack.back();
    stack.pop_back();
    if (n == to) return true;
    if (!seen.insert(n).second) continue;
    const auto it = edges_.find(n);
    if (it == edges_.end()) continue;
    for (const auto& child : it->second)
      if (seen.count(child) == 0) stack.push_back(&child);
  }
  return false;
}

void ChoiceGraph::add_edge(const std::string& src, const std::string& dst) {
  add_node(src);
  add_node(dst);
  if (reaches(dst, src)) {
    throw GraphBuildError("Adding edge " + py_repr(src) + " -> " + py_repr(dst) + " would create a cycle.");
  }
  if (!edges_[src].insert(dst).second) return;
  reverse_[dst].insert(src);
  ChoiceNode& node = nodes_.at(src);
  node.children.push_back(dst);
  node.child_types.emplace_back(dst, items_.count(dst) ? "item" : "node");
}

std::vector<std::string> ChoiceGraph::nodes() const {
  std::vector<std::string> out;
  out.reserve(nodes_.size());
  for (const auto& [id, node] : nodes_) out.push_back(id);
  return out;
}

std::vector<std::string> ChoiceGraph::items() const {
  return {items_.begin(), items_.end()};
}

std::vector<std::string> ChoiceGraph::successors(const std::string& node_id) const {
  const auto it = edges_.find(node_id);
  if (it == edges_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> ChoiceGraph::predecessors(const std::string& node_id) const {
  const auto it = reverse_.find(node_id);
  if (it == reverse_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> ChoiceGraph::roots() const {
  std::vector<std::string> out;
  for (const auto& [id, node] : nodes_) {
    const auto it = reverse_.find(id);
    if (it == reverse_.end() || it->second.empty()) out.push_back(id);
  }
  return out;
}

const ChoiceNode& ChoiceGraph::get_node(const std::string& node_id) const {
  const auto it = nodes_.find(node_id);
  if (it == nodes_.end()) throw GraphBuildError("Node " + py_repr(node_id) + " not found.");
  return it->second;
}

std::vector<std::string> ChoiceGraph::topological_order() const {
  std::map<std::string, std::size_t> in_degree;
  for (const auto& [id, node] : nodes_) in_degree[id] = 0;
  for (const auto& [src, dsts] : edges_) {
    in_degree.try_emplace(src, 0);
    for (const auto& dst : dsts) ++in_degree[dst];
  }
  std::priority_queue<std::string, std::vector<std::string>, std::greater<>> ready;
  for (const auto& [id, degree] : in_degree)
    if (degree == 0) ready.push(id);
  std::vector<std::string> order;
  while (!ready.empty()) {
    std::string n = ready.top();
    ready.pop();
    const auto it = edges_.find(n);
    if (it != edges_.end()) {
      for (const auto& child : it->second)
        if (--in_degree[child] == 0) ready.push(child);
    }
    order.push_back(std::move(n));
  }
  if (order.size() != in_degree.size()) throw GraphBuildError("Cycle detected during topological sort.");
  return order;
}

GraphStats ChoiceGraph::stats() const {
  GraphStats s;
  s.total_items = static_cast<std::int64_t>(items_.size());
  std::int64_t branching_sum = 0;
  for (const auto& [id, node] : nodes_) {
    if (items_.count(id)) continue;
    ++s.total_nodes;
    const auto it = edges_.find(id);
    const auto degree = static_cast<std::int64_t>(it == edges_.end() ? 0 : it->second.size());
    branching_sum += degree;
    s.max_branching_factor = std::max(s.max_branching_factor, degree);
    if (degree == 0) ++s.leaf_node_count;
  }
  if (s.total_nodes > 0) {
    s.avg_branching_factor = round2(static_cast<double>(branching_sum) / static_cast<double>(s.total_nodes));
  }
  if (nodes_.count(root_id_)) {
    std::deque<std::pair<const std::string*, std::int64_t>> queue{{&root_id_, 0}};
    std::set<std::string> visited;
    while (!queue.empty()) {
      const auto [id, depth] = queue.front();
      queue.pop_front();
      if (!visited.insert(*id).second) continue;
      s.max_depth = std::max(s.max_depth, depth);
      const auto it = edges_.find(*id);
      if (it == edges_.end()) continue;
      for (const auto& child : it->second)
        if (nodes_.count(child) && !visited.count(child)) queue.emplace_back(&child, depth + 1);
    }
  }
  std::set<std::string> namespaces;
  for (const auto& id : items_) {
    const auto dot = id.find('.');
    if (dot != std::string::npos) namespaces.insert(id.substr(0, dot));
  }
  s.namespaces.assign(namespaces.begin(), namespaces.end());
  return s;
}

std::optional<GraphManifest> ChoiceGraph::manifest() const {
  const auto it = build_meta_.find("manifest");
  if (it == build_meta_.end() || !it->is_object()) return std::nullopt;
  return GraphManifest::from_dict(*it);
}

void ChoiceGraph::set_manifest(const GraphManifest& manifest) {
  build_meta_["manifest"] = manifest.to_dict();
}

Json ChoiceGraph::to_dict() const {
  Json out = Json::object();
  out["root_id"] = root_id_;
  Json nodes = Json::object();
  for (const auto& [id, node] : nodes_) nodes[id] = node.to_dict();
  out["nodes"] = nodes;
  out["items"] = string_array(items());
  Json edges = Json::object();
  for (const auto& [src, dsts] : edges_) edges[src] = string_array({dsts.begin(), dsts.end()});
  out["edges"] = edges;
  out["max_children"] = max_children_;
  out["build_meta"] = build_meta_;
  return out;
}

ChoiceGraph ChoiceGraph::from_dict(const Json& data) {
  if (!data.is_object()) throw GraphBuildError("Graph data must be an object, got " + std::string(py_type_name(data)));
  ChoiceGraph graph(data.contains("max_children") ? py_int(data.at("max_children"), "max_children") : 20);
  if (data.contains("root_id")) graph.root_id_ = as_string(data.at("root_id"), "root_id");
  if (data.contains("build_meta")) graph.build_meta_ = as_object(data.at("build_meta"), "build_meta");
  if (data.contains("items")) {
    for (auto& id : as_string_list(data.at("items"), "items")) graph.items_.insert(std::move(id));
  }
  if (data.contains("nodes")) {
    const Json nodes = as_object(data.at("nodes"), "nodes");
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
      graph.nodes_[it.key()] = ChoiceNode::from_dict(it.value());
      graph.edges_.try_emplace(it.key());
    }
  }
  if (data.contains("edges")) {
    const Json edges = as_object(data.at("edges"), "edges");
    for (auto it = edges.begin(); it != edges.end(); ++it) {
      const std::string& src = it.key();
      for (const auto& dst : as_string_list(it.value(), "edges")) {
        if (!graph.nodes_.count(src)) graph.add_node(src);
        if (!graph.nodes_.count(dst)) graph.add_node(dst);
        if (graph.reaches(dst, src)) {
          throw GraphBuildError("Cycle detected loading edge " + py_repr(src) + " -> " + py_repr(dst) + ".");
        }
        graph.edges_[src].insert(dst);
        graph.reverse_[dst].insert(src);
      }
    }
  }
  // Children lists are derived from the edges, never trusted from the file.
  for (auto& [id, node] : graph.nodes_) {
    node.children.clear();
    node.child_types.clear();
    const auto it = graph.edges_.find(id);
    if (it == graph.edges_.end()) continue;
    for (const auto& dst : it->second) {
      node.children.push_back(dst);
      node.child_types.emplace_back(dst, graph.items_.count(dst) ? "item" : "node");
    }
  }
  return graph;
}

void ChoiceGraph::validate() const {
  if (!nodes_.count(root_id_)) throw GraphBuildError("Root node " + py_repr(root_id_) + " not found in graph.");
  for (const auto& [src, dsts] : edges_) {
    for (const auto& dst : dsts) {
      if (!nodes_.count(dst) && !items_.count(dst)) {
        throw GraphBuildError("Child ref " + py_repr(dst) + " from " + py_repr(src) + " not found in graph.");
      }
    }
  }
  topological_order();
  std::set<std::string> reachable;
  std::vector<std::string> stack{root_id_};
  while (!stack.empty()) {
    std::string n = std::move(stack.back());
    stack.pop_back();
    if (!reachable.insert(n).second) continue;
    const auto it = edges_.find(n);
    if (it == edges_.end()) continue;
    for (const auto& child : it->second)
      if (!reachable.count(child)) stack.push_back(child);
  }
  std::vector<std::string> unreachable;
  for (const auto& id : items_)
    if (!reachable.count(id)) unreachable.push_back(id);
  if (!unreachable.empty()) {
    std::string list;
    for (std::size_t i = 0; i < unreachable.size(); ++i) list += (i ? ", " : "") + py_repr(unreachable[i]);
    throw GraphBuildError("Items not reachable from root: [" + list + "]");
  }
}

}  // namespace contextweaver
