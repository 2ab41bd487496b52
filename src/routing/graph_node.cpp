// ChoiceNode and GraphStats serialisation (routing/graph_node.py).
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/routing/graph.hpp"

namespace contextweaver {
Json ChoiceNode::to_dict() const {
  Json out = Json::object();
  out["node_id"] = node_id;
  out["label"] = label;
  out["routing_hint"] = routing_hint;
  out["children"] = Json(children);
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
  out["namespaces"] = Json(namespaces);
  return out;
}

}  // namespace contextweaver
