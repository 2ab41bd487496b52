// TreeBuilder (routing/tree.py): turns a flat catalog into a ChoiceGraph whose
// nodes have at most max_children children, grouping by namespace, then by
// Jaccard clustering, then alphabetically. Deterministic: identical input
// gives an identical graph.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/routing/clustering.hpp"
#include "contextweaver/core/routing_config.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/routing/labeler.hpp"

namespace contextweaver {

class EngineRegistry;

struct TreeBuilderOptions {
  std::int64_t max_children = 20;
  KeywordLabeler labeler{};
  std::optional<std::int64_t> target_group_size;       // cluster size hint; default max_children
  std::optional<RoutingConfig> routing_config;         // when set, its max_children wins
  std::shared_ptr<const ClusteringEngine> clustering;  // default: the registry's "clustering" default
  // Consulted only by the constructor, when `clustering` is not set; null
  // means default_registry() (whose default is JaccardClusteringEngine).
  const EngineRegistry* engine_registry = nullptr;
};

// Thread-safety: build() fills the builder's cache, so one builder serves one
// thread at a time; separate builders may run concurrently.
class TreeBuilder {
 public:
  // GraphBuildError "max_children must be >= 2, got N" (the reference accepted
  // 1 and then recursed forever) or "target_group_size must be
  // >= 1, got N"; ConfigError from the registry when it has no usable
  // clustering engine.
  explicit TreeBuilder(TreeBuilderOptions options = {});
  explicit TreeBuilder(std::int64_t max_children) : TreeBuilder(options_with(max_children)) {}

  // Builds the graph rooted at "root". GraphBuildError "Cannot build tree
  // from empty item list." for no items, or when the tree would be deeper
  // than kMaxTreeDepth levels. With use_cache, a catalog whose hash was built
  // before returns that graph again. Every item is reachable.
  ChoiceGraph build(const std::vector<SelectableItem>& items, bool use_cache = true);

  void clear_cache() { cache_.clear(); }
  std::int64_t max_children() const { return max_children_; }

  // The reference stopped at Python's recursion limit; this port stops with a
  // GraphBuildError instead of exhausting the stack.
  static constexpr int kMaxTreeDepth = 500;

 private:
  static TreeBuilderOptions options_with(std::int64_t max_children) {
    TreeBuilderOptions options;
    options.max_children = max_children;
    return options;
  }

  std::int64_t max_children_;
  std::int64_t target_group_size_;
  KeywordLabeler labeler_;
  std::shared_ptr<const ClusteringEngine> clustering_;
  std::map<std::string, ChoiceGraph> cache_;
};

}  // namespace contextweaver
