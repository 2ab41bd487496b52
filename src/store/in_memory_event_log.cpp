#include "contextweaver/store/in_memory_event_log.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

constexpr const char* kLogger = "contextweaver.store";

std::size_t kind_index(ItemKind kind) {
  return static_cast<std::size_t>(kind);
}

}  // namespace

void InMemoryEventLog::push_locked(const ContextItem& item) {
  const std::size_t pos = items_.size();
  items_.push_back(item);
  try {
    by_id_.emplace(item.id, pos);
    if (item.parent_id) by_parent_[*item.parent_id].push_back(pos);
    by_kind_[kind_index(item.kind)].push_back(pos);
  } catch (...) {
    // Undo the partial insert so the indexes never point past the items.
    by_id_.erase(item.id);
    if (item.parent_id) {
      auto it = by_parent_.find(*item.parent_id);
      if (it != by_parent_.end() && !it->second.empty() && it->second.back() == pos) it->second.pop_back();
    }
    auto& kinds = by_kind_[kind_index(item.kind)];
    if (!kinds.empty() && kinds.back() == pos) kinds.pop_back();
    items_.pop_back();
    throw;
  }
  CW_LOG_DEBUG(kLogger, "event_log.append: id=" + item.id + ", kind=" + std::string(to_string(item.kind)));
}

void InMemoryEventLog::append(const ContextItem& item) {
  std::unique_lock lock(mutex_);
  if (by_id_.contains(item.id)) throw DuplicateItemError("Duplicate item id: " + py_repr(item.id));
  push_locked(item);
}

void InMemoryEventLog::append_many(std::span<const ContextItem> items) {
  std::unique_lock lock(mutex_);
  // Check the whole batch first: either all items go in or none does.
  std::unordered_set<std::string_view> batch;
  batch.reserve(items.size());
  for (const auto& item : items) {
    if (by_id_.contains(item.id) || !batch.insert(item.id).second) {
      throw DuplicateItemError("Duplicate item id: " + py_repr(item.id));
    }
  }
  const std::size_t before = items_.size();
  try {
    for (const auto& item : items) push_locked(item);
  } catch (...) {
    // Out of memory part-way: remove what this batch added (always the tail of every index).
    while (items_.size() > before) {
      const ContextItem& last = items_.back();
      const std::size_t pos = items_.size() - 1;
      by_id_.erase(last.id);
      if (last.parent_id) {
        auto& kids = by_parent_[*last.parent_id];
        if (!kids.empty() && kids.back() == pos) kids.pop_back();
      }
      auto& kinds = by_kind_[kind_index(last.kind)];
      if (!kinds.empty() && kinds.back() == pos) kinds.pop_back();
      items_.pop_back();
    }
    throw;
  }
}

ContextItem InMemoryEventLog::get(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) throw ItemNotFoundError("Item not found: " + py_repr(id));
  return items_[it->second];
}

std::vector<ContextItem> InMemoryEventLog::all() const {
  std::shared_lock lock(mutex_);
  return items_;
}

std::size_t InMemoryEventLog::scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                                   std::size_t batch) const {
  batch = std::max<std::size_t>(batch, 1);
  std::size_t position = start;
  std::vector<ContextItem> page;
  for (;;) {
    page.clear();
    {
      // A copy of one batch under the shared lock; the lock is released before
      // `visit` runs so that it may call the log (even append to it).
      std::shared_lock lock(mutex_);
      if (position >= items_.size()) break;
      const std::size_t end = std::min(items_.size(), position + batch);
      page.assign(items_.begin() + static_cast<std::ptrdiff_t>(position),
                  items_.begin() + static_cast<std::ptrdiff_t>(end));
    }
    position += page.size();
    for (auto& item : page) visit(std::move(item));
    if (page.size() < batch) break;
  }
  return position > start ? position - start : 0;
}

std::vector<ContextItem> InMemoryEventLog::filter_by_kind(std::span<const ItemKind> kinds) const {
  if (kinds.empty()) return {};
  std::shared_lock lock(mutex_);
  std::vector<ContextItem> out;
  for (std::size_t pos : positions_of_kinds(std::vector<ItemKind>(kinds.begin(), kinds.end()), 0)) {
    out.push_back(items_[pos]);
  }
  return out;
}

std::vector<ContextItem> InMemoryEventLog::tail(std::int64_t n) const {
  if (n <= 0) return {};
  std::shared_lock lock(mutex_);
  const std::size_t take = std::min(items_.size(), static_cast<std::size_t>(n));
  return std::vector<ContextItem>(items_.end() - static_cast<std::ptrdiff_t>(take), items_.end());
}

std::vector<ContextItem> InMemoryEventLog::children(const std::string& parent_id) const {
  std::shared_lock lock(mutex_);
  const auto it = by_parent_.find(parent_id);
  if (it == by_parent_.end()) return {};
  std::vector<ContextItem> out;
  out.reserve(it->second.size());
  for (std::size_t pos : it->second) out.push_back(items_[pos]);
  return out;
}

std::optional<ContextItem> InMemoryEventLog::parent(const std::string& id) const {
  std::shared_lock lock(mutex_);
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) throw ItemNotFoundError("Item not found: " + py_repr(id));
  const auto& parent_id = items_[it->second].parent_id;
  if (!parent_id) return std::nullopt;
  const auto p = by_id_.find(*parent_id);
  if (p == by_id_.end()) return std::nullopt;  // dangling parent_id
  return items_[p->second];
}

std::vector<std::size_t> InMemoryEventLog::positions_of_kinds(const std::vector<ItemKind>& kinds,
                                                              std::size_t from) const {
  // Each per-kind list is ascending: merge the distinct kinds' lists from `from` on.
  std::vector<std::pair<std::vector<std::size_t>::const_iterator, std::vector<std::size_t>::const_iterator>> heads;
  std::vector<bool> seen(by_kind_.size(), false);
  for (ItemKind kind : kinds) {
    const std::size_t k = kind_index(kind);
    if (seen[k]) continue;  // duplicate kinds are harmless
    seen[k] = true;
    const auto& list = by_kind_[k];
    const auto begin = std::lower_bound(list.begin(), list.end(), from);
    if (begin != list.end()) heads.emplace_back(begin, list.end());
  }
  std::vector<std::size_t> out;
  std::size_t total = 0;
  for (const auto& [b, e] : heads) total += static_cast<std::size_t>(e - b);
  out.reserve(total);
  if (heads.size() == 1) return std::vector<std::size_t>(heads[0].first, heads[0].second);
  while (!heads.empty()) {
    std::size_t best = 0;
    for (std::size_t h = 1; h < heads.size(); ++h) {
      if (*heads[h].first < *heads[best].first) best = h;
    }
    out.push_back(*heads[best].first);
    if (++heads[best].first == heads[best].second) heads.erase(heads.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return out;
}

std::vector<ContextItem> InMemoryEventLog::query(const std::optional<std::vector<ItemKind>>& kinds,
                                                 std::optional<std::int64_t> since,
                                                 std::optional<std::int64_t> limit) const {
  if (kinds && kinds->empty()) return {};
  std::shared_lock lock(mutex_);
  // since slices the whole log first, then kinds filter, then limit slices.
  const SliceRange window = py_slice(items_.size(), since, std::nullopt);
  std::vector<ContextItem> out;
  if (!kinds) {
    const SliceRange r = py_slice(window.end - window.begin, std::nullopt, limit);
    out.assign(items_.begin() + static_cast<std::ptrdiff_t>(window.begin + r.begin),
               items_.begin() + static_cast<std::ptrdiff_t>(window.begin + r.end));
    return out;
  }
  // Only the matching items are visited. A non-negative limit stops the merge
  // early; a negative one needs the match count first, which the per-kind
  // lists give by binary search.
  std::vector<ItemKind> distinct;
  std::vector<bool> seen(by_kind_.size(), false);
  std::size_t matches = 0;
  for (ItemKind kind : *kinds) {
    const std::size_t k = kind_index(kind);
    if (seen[k]) continue;
    seen[k] = true;
    distinct.push_back(kind);
    const auto& list = by_kind_[k];
    matches += static_cast<std::size_t>(list.end() - std::lower_bound(list.begin(), list.end(), window.begin));
  }
  const SliceRange r = py_slice(matches, std::nullopt, limit);
  if (r.end == 0) return out;
  if (distinct.size() == 1) {
    const auto& list = by_kind_[kind_index(distinct[0])];
    auto it = std::lower_bound(list.begin(), list.end(), window.begin);
    out.reserve(r.end);
    for (std::size_t i = 0; i < r.end; ++i, ++it) out.push_back(items_[*it]);
    return out;
  }
  const std::vector<std::size_t> positions = positions_of_kinds(distinct, window.begin);
  out.reserve(r.end);
  for (std::size_t i = 0; i < r.end; ++i) out.push_back(items_[positions[i]]);
  return out;
}

std::size_t InMemoryEventLog::count() const {
  std::shared_lock lock(mutex_);
  return items_.size();
}

Json InMemoryEventLog::to_dict() const {
  std::shared_lock lock(mutex_);
  Json items = Json::array();
  for (const auto& item : items_) items.push_back(item.to_dict());
  Json out = Json::object();
  out["items"] = std::move(items);
  return out;
}

std::unique_ptr<InMemoryEventLog> InMemoryEventLog::from_dict(const Json& data) {
  if (!data.is_object()) {
    throw TypeError("InMemoryEventLog.from_dict expects a dict, not '" + std::string(py_type_name(data)) + "'");
  }
  auto log = std::make_unique<InMemoryEventLog>();
  const auto it = data.find("items");
  if (it == data.end()) return log;
  if (!it->is_array()) {
    throw TypeError("InMemoryEventLog.from_dict: 'items' must be a list, not '" + std::string(py_type_name(*it)) + "'");
  }
  for (const auto& entry : *it) log->append(ContextItem::from_dict(entry));
  return log;
}

}  // namespace contextweaver
