#include "contextweaver/routing/graph.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "graph_access.hpp"
#include "graph_store.hpp"

namespace contextweaver {

ChoiceGraph::ChoiceGraph(std::int64_t max_children) : max_children_(max_children), store_(std::make_unique<Store>()) {}

ChoiceGraph::ChoiceGraph(const ChoiceGraph& other)
    : max_children_(other.max_children_),
      root_id_(other.root_id_),
      store_(std::make_unique<Store>(*other.store_)),
      node_count_(other.node_count_),
      build_meta_(other.build_meta_) {
  store_->reindex();
}

ChoiceGraph& ChoiceGraph::operator=(const ChoiceGraph& other) {
  if (this != &other) {
    ChoiceGraph copy(other);
    *this = std::move(copy);
  }
  return *this;
}

ChoiceGraph::~ChoiceGraph() = default;
ChoiceGraph::ChoiceGraph(ChoiceGraph&&) noexcept = default;
ChoiceGraph& ChoiceGraph::operator=(ChoiceGraph&&) noexcept = default;

int ChoiceGraph::find(const std::string& id) const {
  const auto it = store_->index.find(id);
  return it == store_->index.end() ? -1 : it->second;
}

int ChoiceGraph::intern(const std::string& id) {
  // One hash per call (ids of deep trees run to tens of KB): the id is stored
  // first and keyed by a view of the stored copy; a known id drops the copy.
  auto& recs = store_->recs;
  recs.emplace_back();
  recs.back().id = id;
  const int rec = static_cast<int>(recs.size() - 1);
  const auto [it, inserted] = store_->index.try_emplace(recs.back().id, rec);
  if (!inserted) {
    recs.pop_back();
    return it->second;
  }
  return rec;
}

int ChoiceGraph::ensure_node(int rec, const std::string& label, const std::string& hint) {
  auto& r = store_->recs[static_cast<std::size_t>(rec)];
  if (!r.is_node) {
    r.is_node = true;
    ++node_count_;
    r.label = label;
    r.hint = hint;
  } else {
    if (!label.empty()) r.label = label;
    if (!hint.empty()) r.hint = hint;
  }
  return rec;
}

int ChoiceGraph::ensure_node(const std::string& id, const std::string& label, const std::string& hint) {
  return ensure_node(intern(id), label, hint);
}

bool ChoiceGraph::reaches(int from, int to) const {
  if (from == to) return true;
  const auto& recs = store_->recs;
  if (recs[static_cast<std::size_t>(from)].children.empty()) return false;
  std::vector<int> stack{from};
  std::unordered_set<int> seen;
  while (!stack.empty()) {
    const int n = stack.back();
    stack.pop_back();
    if (n == to) return true;
    if (!seen.insert(n).second) continue;
    for (const int c : recs[static_cast<std::size_t>(n)].children)
      if (!seen.count(c)) stack.push_back(c);
  }
  return false;
}

void ChoiceGraph::link(int src, int dst, bool check_cycle) {
  if (check_cycle && reaches(dst, src)) {
    throw GraphBuildError("Adding edge " + py_repr(store_->recs[static_cast<std::size_t>(src)].id) + " -> " +
                          py_repr(store_->recs[static_cast<std::size_t>(dst)].id) + " would create a cycle.");
  }
  if (!store_->edges.insert(graph_detail::edge_key(src, dst)).second) return;
  auto& s = store_->recs[static_cast<std::size_t>(src)];
  auto& d = store_->recs[static_cast<std::size_t>(dst)];
  s.children.push_back(dst);
  s.child_item.push_back(d.is_item ? 1 : 0);
  d.parents.push_back(src);
}

void ChoiceGraph::add_node(const std::string& node_id, const std::string& label, const std::string& routing_hint) {
  ensure_node(node_id, label, routing_hint);
}

void ChoiceGraph::add_item(const std::string& item_id) {
  store_->recs[static_cast<std::size_t>(intern(item_id))].is_item = true;
}

void ChoiceGraph::add_edge(const std::string& src, const std::string& dst) {
  const int s = ensure_node(src, "", "");
  const int d = ensure_node(dst, "", "");
  link(s, d, true);
}

bool ChoiceGraph::has_node(const std::string& node_id) const {
  const int rec = find(node_id);
  return rec >= 0 && store_->recs[static_cast<std::size_t>(rec)].is_node;
}

bool ChoiceGraph::is_item(const std::string& id) const {
  const int rec = find(id);
  return rec >= 0 && store_->recs[static_cast<std::size_t>(rec)].is_item;
}

std::vector<int> ChoiceGraph::sorted_nodes() const {
  std::vector<int> out;
  out.reserve(node_count_);
  for (std::size_t i = 0; i < store_->recs.size(); ++i)
    if (store_->recs[i].is_node) out.push_back(static_cast<int>(i));
  const auto& recs = store_->recs;
  std::sort(out.begin(), out.end(),
            [&](int a, int b) { return recs[static_cast<std::size_t>(a)].id < recs[static_cast<std::size_t>(b)].id; });
  return out;
}

std::vector<int> ChoiceGraph::sorted_children(int rec) const {
  const auto& recs = store_->recs;
  std::vector<int> out = recs[static_cast<std::size_t>(rec)].children;
  std::sort(out.begin(), out.end(),
            [&](int a, int b) { return recs[static_cast<std::size_t>(a)].id < recs[static_cast<std::size_t>(b)].id; });
  return out;
}

std::vector<std::string> ChoiceGraph::nodes() const {
  std::vector<std::string> out;
  for (const int r : sorted_nodes()) out.push_back(store_->recs[static_cast<std::size_t>(r)].id);
  return out;
}

std::vector<std::string> ChoiceGraph::items() const {
  std::vector<std::string> out;
  for (const auto& r : store_->recs)
    if (r.is_item) out.push_back(r.id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ChoiceGraph::successors(const std::string& node_id) const {
  const int rec = find(node_id);
  if (rec < 0) return {};
  std::vector<std::string> out;
  for (const int c : sorted_children(rec)) out.push_back(store_->recs[static_cast<std::size_t>(c)].id);
  return out;
}

std::vector<std::string> ChoiceGraph::predecessors(const std::string& node_id) const {
  const int rec = find(node_id);
  if (rec < 0) return {};
  std::vector<std::string> out;
  for (const int p : store_->recs[static_cast<std::size_t>(rec)].parents)
    out.push_back(store_->recs[static_cast<std::size_t>(p)].id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ChoiceGraph::roots() const {
  std::vector<std::string> out;
  for (const int r : sorted_nodes())
    if (store_->recs[static_cast<std::size_t>(r)].parents.empty())
      out.push_back(store_->recs[static_cast<std::size_t>(r)].id);
  return out;
}

ChoiceNode ChoiceGraph::get_node(const std::string& node_id) const {
  const int rec = find(node_id);
  if (rec < 0 || !store_->recs[static_cast<std::size_t>(rec)].is_node) {
    throw GraphBuildError("Node " + py_repr(node_id) + " not found.");
  }
  const auto& r = store_->recs[static_cast<std::size_t>(rec)];
  ChoiceNode node;
  node.node_id = r.node_id ? *r.node_id : r.id;
  node.label = r.label;
  node.routing_hint = r.hint;
  for (std::size_t i = 0; i < r.children.size(); ++i) {
    const std::string& child = store_->recs[static_cast<std::size_t>(r.children[i])].id;
    node.children.push_back(child);
    node.child_types.emplace_back(child, r.child_item[i] ? "item" : "node");
  }
  if (r.stats) node.stats = *r.stats;
  return node;
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
  const auto& recs = store_->recs;
  const std::vector<int> sorted = sorted_nodes();
  Json out = Json::object();
  out["root_id"] = root_id_;
  Json nodes = Json::object();
  for (const int r : sorted)
    nodes[recs[static_cast<std::size_t>(r)].id] = get_node(recs[static_cast<std::size_t>(r)].id).to_dict();
  out["nodes"] = nodes;
  out["items"] = Json(items());
  Json edges = Json::object();
  for (const int r : sorted) {
    Json dsts = Json::array();
    for (const int c : sorted_children(r)) dsts.push_back(recs[static_cast<std::size_t>(c)].id);
    edges[recs[static_cast<std::size_t>(r)].id] = dsts;
  }
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
    for (const auto& id : as_string_list(data.at("items"), "items")) graph.add_item(id);
  }
  if (data.contains("nodes")) {
    const Json nodes = as_object(data.at("nodes"), "nodes");
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
      const ChoiceNode node = ChoiceNode::from_dict(it.value());
      const int rec = graph.intern(it.key());
      auto& r = graph.store_->recs[static_cast<std::size_t>(rec)];
      if (!r.is_node) ++graph.node_count_;
      r.is_node = true;
      r.label = node.label;
      r.hint = node.routing_hint;
      r.node_id = node.node_id == it.key() ? std::nullopt : std::optional<std::string>(node.node_id);
      r.stats = node.stats.empty() ? std::nullopt : std::optional<Json>(node.stats);
    }
  }
  if (data.contains("edges")) {
    const Json edges = as_object(data.at("edges"), "edges");
    for (auto it = edges.begin(); it != edges.end(); ++it) {
      for (const auto& dst : as_string_list(it.value(), "edges")) {
        const int s = graph.ensure_node(it.key(), "", "");
        const int d = graph.ensure_node(dst, "", "");
        if (graph.reaches(d, s)) {
          throw GraphBuildError("Cycle detected loading edge " + py_repr(it.key()) + " -> " + py_repr(dst) + ".");
        }
        graph.link(s, d, false);
      }
    }
  }
  // Children lists are derived from the edges, in sorted order, never trusted from the file.
  for (std::size_t i = 0; i < graph.store_->recs.size(); ++i) {
    std::vector<int> kids = graph.sorted_children(static_cast<int>(i));
    auto& r = graph.store_->recs[i];
    r.children = std::move(kids);
    r.child_item.clear();
    for (const int c : r.children)
      r.child_item.push_back(graph.store_->recs[static_cast<std::size_t>(c)].is_item ? 1 : 0);
  }
  return graph;
}

GraphBuildAccess::Snapshot GraphBuildAccess::snapshot(const ChoiceGraph& graph) {
  const auto& recs = graph.store_->recs;
  const std::vector<int> sorted = graph.sorted_nodes();
  Snapshot out;
  std::vector<int>& position = out.position;
  position.assign(recs.size(), -1);
  for (std::size_t i = 0; i < sorted.size(); ++i) position[static_cast<std::size_t>(sorted[i])] = static_cast<int>(i);
  out.ids.reserve(sorted.size());
  out.kids.resize(sorted.size());
  out.texts.reserve(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const auto& r = recs[static_cast<std::size_t>(sorted[i])];
    out.ids.push_back(r.id);
    out.texts.push_back(r.label + " " + r.hint);
    for (const int c : r.children) out.kids[i].push_back(position[static_cast<std::size_t>(c)]);
    std::sort(out.kids[i].begin(), out.kids[i].end());  // positions follow id order
  }
  return out;
}

}  // namespace contextweaver
