// The per-call item filters both routers share (routing/filters.py): first
// matching rule wins — excluded id, excluded tag, namespace not allowed, no
// allowed tag. Empty exclude lists do nothing; an empty allowed list gates
// everything. Filters never change the corpus statistics.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

struct ItemFilter {
  std::vector<std::string> exclude_ids;                        // dropped before scoring
  std::vector<std::string> exclude_tags;                       // items with any of these tags dropped
  std::optional<std::vector<std::string>> allowed_namespaces;  // set: only these namespaces (empty = none)
  std::optional<std::vector<std::string>> allowed_tags;        // set: only items with one of these tags

  // No rule set: every item passes (and filter_items need not run).
  bool passes_all() const {
    return exclude_ids.empty() && exclude_tags.empty() && !allowed_namespaces && !allowed_tags;
  }
};

struct FilteredItems {
  std::vector<char> kept;  // by position in the judged vector: 1 when the item passes
  std::int64_t excluded_count = 0;
  std::int64_t gated_count = 0;
};

// Judges items[i] for every position where `present(i)` holds (every
// position when `present` is empty; a false one is a vacant slot, neither
// kept nor counted). RouteError "All items were filtered out by …" (the
// reference's message) when some item is present and none passes.
FilteredItems filter_items(const ItemFilter& filter, const std::vector<SelectableItem>& items,
                           const std::function<bool(std::size_t)>& present = {});

}  // namespace contextweaver
