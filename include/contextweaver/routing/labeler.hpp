// Keyword labels for items and groups (routing/labeler.py). Group labels are
// the text of the tree's navigation nodes, and so part of the routing corpus.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// Thread-safety: stateless after construction; every member is const and may
// run concurrently.
class KeywordLabeler {
 public:
  // top_k: tokens per group label; namespace_threshold: share of a group's
  // items in one namespace needed to prefix the label with "ns: ".
  explicit KeywordLabeler(std::int64_t top_k = 3, double namespace_threshold = 0.6);

  // (category, confidence) of one item from fixed keyword lists: the category
  // with the largest share of the item's tokens (ties alphabetical);
  // confidence "high" (>= 0.5), "medium" (>= 0.2), "low" (> 0); else ("general", "none").
  std::pair<std::string, std::string> label(const SelectableItem& item) const;

  // (label, routing_hint) of a group: the top_k tokens by item frequency
  // (ties alphabetical) joined by " ", prefixed by the dominant namespace when
  // it holds >= namespace_threshold of the items; hint "Tools related to <label>".
  // An empty group gives ("general", "Tools related to general").
  std::pair<std::string, std::string> label_group(const std::vector<SelectableItem>& items) const;

  // The same over item pointers with their precomputed token sets (sorted,
  // unique; `token_sets[i]` belongs to `items[i]`): what TreeBuilder uses so
  // each item is tokenized once per build.
  std::pair<std::string, std::string> label_group(const std::vector<const SelectableItem*>& items,
                                                  const std::vector<const std::vector<std::string>*>& token_sets) const;

  // The same from the group's token counts: each distinct token once, with
  // the number of items whose token set holds it, in any order. TreeBuilder
  // counts interned token ids and passes their texts.
  std::pair<std::string, std::string> label_group_counted(
      const std::vector<const SelectableItem*>& items,
      std::vector<std::pair<std::string_view, std::int64_t>> token_counts) const;

  std::int64_t top_k() const { return top_k_; }
  double namespace_threshold() const { return namespace_threshold_; }

 private:
  std::int64_t top_k_;
  double namespace_threshold_;
};

}  // namespace contextweaver
