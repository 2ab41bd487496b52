#include "contextweaver/context/candidates.hpp"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {

namespace {

bool allowed(const std::vector<ItemKind>& kinds, ItemKind kind) {
  for (ItemKind k : kinds) {
    if (k == kind) return true;
  }
  return false;
}

}  // namespace

std::vector<ContextItem> generate_candidates(const EventLog& log, Phase phase, const ContextPolicy& policy) {
  const auto& kinds = policy.allowed_kinds(phase);
  std::vector<ContextItem> out;
  for (auto& item : log.all()) {
    if (allowed(kinds, item.kind)) out.push_back(std::move(item));
  }
  return out;
}

std::pair<std::vector<ContextItem>, std::int64_t> resolve_dependency_closure(std::vector<ContextItem> items,
                                                                             const EventLog& log) {
  std::unordered_set<std::string> present;
  for (const auto& item : items) present.insert(item.id);
  std::int64_t added = 0;
  const std::size_t original = items.size();
  for (std::size_t i = 0; i < original; ++i) {
    std::optional<std::string> pid = items[i].parent_id;
    while (pid && !present.count(*pid)) {
      ContextItem parent;
      try {
        parent = log.get(*pid);
      } catch (const ItemNotFoundError&) {
        break;
      }
      present.insert(*pid);
      ++added;
      pid = parent.parent_id;
    }
  }
  std::vector<ContextItem> ordered;
  for (auto& item : log.all()) {
    if (present.count(item.id)) ordered.push_back(std::move(item));
  }
  return {std::move(ordered), added};
}

std::pair<std::vector<ContextItem>, std::int64_t> candidates_with_closure(std::vector<ContextItem> all, Phase phase,
                                                                          const ContextPolicy& policy) {
  const auto& kinds = policy.allowed_kinds(phase);
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) index.emplace(all[i].id, i);  // first occurrence wins, as log.get
  std::vector<char> keep(all.size(), 0);
  std::unordered_set<std::string_view> present;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (allowed(kinds, all[i].kind)) {
      keep[i] = 1;
      present.insert(all[i].id);
    }
  }
  std::int64_t added = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!allowed(kinds, all[i].kind)) continue;
    const std::optional<std::string>* pid = &all[i].parent_id;
    while (pid->has_value() && !present.count(**pid)) {
      auto it = index.find(**pid);
      if (it == index.end()) break;
      keep[it->second] = 1;
      present.insert(all[it->second].id);
      ++added;
      pid = &all[it->second].parent_id;
    }
  }
  std::vector<ContextItem> out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (keep[i]) out.push_back(std::move(all[i]));
  }
  return {std::move(out), added};
}

}  // namespace contextweaver
