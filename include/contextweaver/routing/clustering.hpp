// Clustering engines for TreeBuilder (protocols.ClusteringEngine and
// registry.JaccardClusteringEngine).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// label -> indices into the `items` argument, labels in the order the engine
// produced them. (The reference returns label -> items; indices avoid copies.)
using Clusters = std::vector<std::pair<std::string, std::vector<std::size_t>>>;

// Thread-safety: an engine holds no state between calls; cluster() may run
// concurrently on one instance unless an implementation says otherwise.
class ClusteringEngine {
 public:
  virtual ~ClusteringEngine() = default;
  // Partitions `items` into at most `k` labelled groups.
  virtual Clusters cluster(const std::vector<const SelectableItem*>& items, std::int64_t k) const = 0;
};

// Farthest-first Jaccard seeding over item token sets, then nearest-seed
// assignment (ties to the earlier item); clusters named cluster_000, … in seed order.
class JaccardClusteringEngine final : public ClusteringEngine {
 public:
  Clusters cluster(const std::vector<const SelectableItem*>& items, std::int64_t k) const override;

  // The same with precomputed token sets (`token_ids[i]` = the unique token
  // ids of items[i], any order); interned ids give the same Jaccard values as
  // strings. `sorted_by_id`: the caller promises `items` is already in stable
  // id order, which skips that sort.
  Clusters cluster_tokens(const std::vector<const SelectableItem*>& items,
                          const std::vector<const std::vector<std::uint32_t>*>& token_ids, std::int64_t k,
                          bool sorted_by_id = false) const;
};

}  // namespace contextweaver
