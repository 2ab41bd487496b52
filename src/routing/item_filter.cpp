#include "contextweaver/routing/item_filter.hpp"

#include <algorithm>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {
namespace {

using StringSet = std::unordered_set<std::string>;

bool any_tag_in(const SelectableItem& item, const StringSet& set) {
  return std::any_of(item.tags.begin(), item.tags.end(), [&](const std::string& t) { return set.count(t) != 0; });
}

StringSet to_set(const std::vector<std::string>& values) {
  return StringSet(values.begin(), values.end());
}

}  // namespace

FilteredItems filter_items(const ItemFilter& filter, const std::vector<SelectableItem>& items,
                           const std::function<bool(std::size_t)>& present) {
  const StringSet ex_ids = to_set(filter.exclude_ids);
  const StringSet ex_tags = to_set(filter.exclude_tags);
  const StringSet allowed_ns = filter.allowed_namespaces ? to_set(*filter.allowed_namespaces) : StringSet{};
  const StringSet allowed_tags = filter.allowed_tags ? to_set(*filter.allowed_tags) : StringSet{};
  FilteredItems out;
  out.kept.assign(items.size(), 0);
  bool any_present = false, any_kept = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (present && !present(i)) continue;
    any_present = true;
    const SelectableItem& item = items[i];
    if ((!ex_ids.empty() && ex_ids.count(item.id)) || (!ex_tags.empty() && any_tag_in(item, ex_tags))) {
      ++out.excluded_count;
    } else if ((filter.allowed_namespaces && !allowed_ns.count(item.namespace_)) ||
               (filter.allowed_tags && !any_tag_in(item, allowed_tags))) {
      ++out.gated_count;
    } else {
      out.kept[i] = 1;
      any_kept = true;
    }
  }
  if (any_present && !any_kept) {
    throw RouteError("All items were filtered out by exclude_ids / exclude_tags / allowed_namespaces / allowed_tags.");
  }
  return out;
}

}  // namespace contextweaver
