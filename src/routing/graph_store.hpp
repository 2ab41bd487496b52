// The interned storage behind ChoiceGraph (shared by graph.cpp and graph_checks.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "contextweaver/routing/graph.hpp"

namespace contextweaver {

struct ChoiceGraph::Store {
  struct Rec {
    std::string id;
    bool is_node = false;
    bool is_item = false;
    std::string label;
    std::string hint;
    std::optional<std::string> node_id;  // from_dict: a node_id differing from its key
    std::optional<Json> stats;           // absent = {}
    std::vector<int> children;           // insertion order
    std::vector<char> child_item;        // "item" type recorded when the edge was added
    std::vector<int> parents;
  };
  std::deque<Rec> recs;  // stable addresses: the index keys view the ids
  std::unordered_map<std::string_view, int> index;
  std::unordered_set<std::uint64_t> edges;

  void reindex() {
    index.clear();
    index.reserve(recs.size());
    for (std::size_t i = 0; i < recs.size(); ++i) index.emplace(recs[i].id, static_cast<int>(i));
  }
};

// One key per (src, dst) edge, for set semantics without per-node sets.
namespace graph_detail {
inline std::uint64_t edge_key(int src, int dst) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(src)) << 32) | static_cast<std::uint32_t>(dst);
}
}  // namespace graph_detail

}  // namespace contextweaver
