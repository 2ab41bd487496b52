// InMemoryEventLog: the default EventLog, kept in process memory.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/store/event_log.hpp"

namespace contextweaver {

// Items in insertion order with three indexes: id -> position (get/parent),
// parent_id -> child positions (children() costs O(children)) and kind ->
// positions (query(kinds, limit) reads only the matching items). Internally
// synchronized: readers share a lock, writers take it exclusively.
// close() is a no-op; the log stays usable (as in the reference).
class InMemoryEventLog final : public EventLog {
 public:
  InMemoryEventLog() = default;

  void append(const ContextItem& item) override;
  void append_many(std::span<const ContextItem> items) override;
  ContextItem get(const std::string& id) const override;
  std::vector<ContextItem> all() const override;
  // Copies `batch` items at a time under the shared lock, then visits them unlocked.
  std::size_t scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                   std::size_t batch = 1024) const override;
  std::vector<ContextItem> filter_by_kind(std::span<const ItemKind> kinds) const override;
  std::vector<ContextItem> tail(std::int64_t n) const override;
  std::vector<ContextItem> children(const std::string& parent_id) const override;
  std::optional<ContextItem> parent(const std::string& id) const override;
  std::vector<ContextItem> query(const std::optional<std::vector<ItemKind>>& kinds = std::nullopt,
                                 std::optional<std::int64_t> since = std::nullopt,
                                 std::optional<std::int64_t> limit = std::nullopt) const override;
  std::size_t count() const override;
  void close() override {}

  // {"items": [item.to_dict(), ...]} in insertion order.
  Json to_dict() const;

  // A new log holding data["items"] (absent -> empty). Throws what
  // ContextItem::from_dict throws, TypeError when "items" is not a list, and
  // DuplicateItemError for a repeated id.
  static std::unique_ptr<InMemoryEventLog> from_dict(const Json& data);

 private:
  // Requires the exclusive lock; the id must be new.
  void push_locked(const ContextItem& item);
  // Positions of items of any of `kinds`, ascending, restricted to [from, n).
  std::vector<std::size_t> positions_of_kinds(const std::vector<ItemKind>& kinds, std::size_t from) const;

  mutable std::shared_mutex mutex_;
  std::vector<ContextItem> items_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_parent_;
  std::vector<std::vector<std::size_t>> by_kind_ = std::vector<std::vector<std::size_t>>(std::size(kAllItemKinds));
};

}  // namespace contextweaver
