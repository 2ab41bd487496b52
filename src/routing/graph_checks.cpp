// Graph analysis: topological order, statistics and validation.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <queue>
#include <set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "graph_store.hpp"

namespace contextweaver {
namespace {

// Python round(x, 2): correctly rounded, ties to even on the exact binary value.
double round2(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return std::strtod(buf, nullptr);
}

}  // namespace

std::vector<std::string> ChoiceGraph::topological_order() const {
  const auto& recs = store_->recs;
  std::vector<std::size_t> in_degree(recs.size(), 0);
  for (const auto& r : recs)
    for (const int c : r.children) ++in_degree[static_cast<std::size_t>(c)];
  const auto later = [&](int a, int b) {
    return recs[static_cast<std::size_t>(a)].id > recs[static_cast<std::size_t>(b)].id;
  };
  std::priority_queue<int, std::vector<int>, decltype(later)> ready(later);
  for (std::size_t i = 0; i < recs.size(); ++i)
    if (recs[i].is_node && in_degree[i] == 0) ready.push(static_cast<int>(i));
  std::vector<std::string> order;
  while (!ready.empty()) {
    const int n = ready.top();
    ready.pop();
    for (const int c : recs[static_cast<std::size_t>(n)].children)
      if (--in_degree[static_cast<std::size_t>(c)] == 0) ready.push(c);
    order.push_back(recs[static_cast<std::size_t>(n)].id);
  }
  if (order.size() != node_count_) throw GraphBuildError("Cycle detected during topological sort.");
  return order;
}

GraphStats ChoiceGraph::stats() const {
  const auto& recs = store_->recs;
  GraphStats s;
  std::int64_t branching_sum = 0;
  std::set<std::string> namespaces;
  for (const auto& r : recs) {
    if (r.is_item) {
      ++s.total_items;
      const auto dot = r.id.find('.');
      if (dot != std::string::npos) namespaces.insert(r.id.substr(0, dot));
      continue;
    }
    if (!r.is_node) continue;
    ++s.total_nodes;
    const auto degree = static_cast<std::int64_t>(r.children.size());
    branching_sum += degree;
    s.max_branching_factor = std::max(s.max_branching_factor, degree);
    if (degree == 0) ++s.leaf_node_count;
  }
  if (s.total_nodes > 0) {
    s.avg_branching_factor = round2(static_cast<double>(branching_sum) / static_cast<double>(s.total_nodes));
  }
  const int root = find(root_id_);
  if (root >= 0 && recs[static_cast<std::size_t>(root)].is_node) {
    std::vector<char> visited(recs.size(), 0);
    std::deque<std::pair<int, std::int64_t>> queue{{root, 0}};
    while (!queue.empty()) {
      const auto [n, depth] = queue.front();
      queue.pop_front();
      if (visited[static_cast<std::size_t>(n)]) continue;
      visited[static_cast<std::size_t>(n)] = 1;
      s.max_depth = std::max(s.max_depth, depth);
      for (const int c : recs[static_cast<std::size_t>(n)].children)
        if (recs[static_cast<std::size_t>(c)].is_node && !visited[static_cast<std::size_t>(c)])
          queue.emplace_back(c, depth + 1);
    }
  }
  s.namespaces.assign(namespaces.begin(), namespaces.end());
  return s;
}

void ChoiceGraph::validate() const {
  const auto& recs = store_->recs;
  if (!has_node(root_id_)) throw GraphBuildError("Root node " + py_repr(root_id_) + " not found in graph.");
  for (const auto& r : recs) {
    for (const int c : r.children) {
      const auto& child = recs[static_cast<std::size_t>(c)];
      if (!child.is_node && !child.is_item) {
        throw GraphBuildError("Child ref " + py_repr(child.id) + " from " + py_repr(r.id) + " not found in graph.");
      }
    }
  }
  topological_order();
  std::vector<char> reachable(recs.size(), 0);
  std::vector<int> stack{find(root_id_)};
  while (!stack.empty()) {
    const int n = stack.back();
    stack.pop_back();
    if (reachable[static_cast<std::size_t>(n)]) continue;
    reachable[static_cast<std::size_t>(n)] = 1;
    for (const int c : recs[static_cast<std::size_t>(n)].children)
      if (!reachable[static_cast<std::size_t>(c)]) stack.push_back(c);
  }
  std::vector<std::string> unreachable;
  for (std::size_t i = 0; i < recs.size(); ++i)
    if (recs[i].is_item && !reachable[i]) unreachable.push_back(recs[i].id);
  std::sort(unreachable.begin(), unreachable.end());
  if (!unreachable.empty()) {
    std::string list;
    for (std::size_t i = 0; i < unreachable.size(); ++i) list.append(i ? ", " : "").append(py_repr(unreachable[i]));
    throw GraphBuildError("Items not reachable from root: [" + list + "]");
  }
}

}  // namespace contextweaver
