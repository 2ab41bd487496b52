#include "contextweaver/context/candidates.hpp"

#include <cstdint>
#include <functional>
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
  // id -> first position (as log.get), in one flat open-addressing table:
  // no node allocation per item. An id is "present" when its item is kept.
  std::size_t cap = 16;
  while (cap < 2 * all.size()) cap *= 2;
  std::vector<std::uint32_t> slots(cap, UINT32_MAX);
  const std::hash<std::string_view> hasher;
  auto find_slot = [&](std::string_view id) {
    std::size_t i = hasher(id) & (cap - 1);
    while (slots[i] != UINT32_MAX && all[slots[i]].id != id) i = (i + 1) & (cap - 1);
    return i;
  };
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::size_t slot = find_slot(all[i].id);
    if (slots[slot] == UINT32_MAX) slots[slot] = static_cast<std::uint32_t>(i);  // first occurrence wins
  }
  std::vector<char> keep(all.size(), 0);
  std::vector<char> present(cap, 0);  // per slot: an item with that id is kept
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (allowed(kinds, all[i].kind)) {
      keep[i] = 1;
      present[find_slot(all[i].id)] = 1;
    }
  }
  std::int64_t added = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!allowed(kinds, all[i].kind)) continue;
    const std::optional<std::string>* pid = &all[i].parent_id;
    while (pid->has_value()) {
      const std::size_t slot = find_slot(**pid);
      if (slots[slot] == UINT32_MAX || present[slot]) break;
      const std::uint32_t pos = slots[slot];
      keep[pos] = 1;
      present[slot] = 1;
      ++added;
      pid = &all[pos].parent_id;
    }
  }
  std::size_t kept = 0;
  for (char k : keep) kept += k != 0;
  if (kept == all.size()) return {std::move(all), added};  // the answer phase keeps every kind: nothing to move
  std::vector<ContextItem> out;
  out.reserve(kept);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (keep[i]) out.push_back(std::move(all[i]));
  }
  return {std::move(out), added};
}

}  // namespace contextweaver
