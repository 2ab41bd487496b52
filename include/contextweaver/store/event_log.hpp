// EventLog: the append-only log of an agent's context items.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// Every backend (InMemoryEventLog, SqliteEventLog, …) keeps items in insertion
// order and gives identical answers; tests/store/ runs one conformance suite
// against each. Implementations are internally synchronized: any method may be
// called from any thread (docs/storage.md, "Threading").
class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends one item. DuplicateItemError ("Duplicate item id: 'x'") when the id
  // is already present; the log is then unchanged.
  virtual void append(const ContextItem& item) = 0;

  // Appends all items atomically: either every item is appended or, on a
  // duplicate id (within the batch or against the log), none is.
  virtual void append_many(std::span<const ContextItem> items) = 0;

  // The item with this id; ItemNotFoundError ("Item not found: 'x'") otherwise.
  virtual ContextItem get(const std::string& id) const = 0;

  // Every item, in insertion order.
  virtual std::vector<ContextItem> all() const = 0;

  // Calls `visit` with each item from position `start` (0 = the first item
  // appended) to the end of the log, in insertion order, and returns how many
  // it visited. Unlike all(), the log is never held whole: a persistent
  // backend reads `batch` items at a time, so memory stays bounded by what
  // `visit` keeps (docs/storage.md#scanning). Items appended during the scan
  // may or may not be visited; `visit` may call this log's other methods, and
  // what it throws ends the scan and propagates. The default implementation
  // pages through query(since, limit); backends override it to read faster.
  virtual std::size_t scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                           std::size_t batch = 1024) const;

  // Items of any of these kinds, in insertion order (no kinds -> empty).
  virtual std::vector<ContextItem> filter_by_kind(std::span<const ItemKind> kinds) const = 0;

  // The last n items, oldest first; n <= 0 -> empty.
  virtual std::vector<ContextItem> tail(std::int64_t n) const = 0;

  // Items whose parent_id is this id, in insertion order.
  virtual std::vector<ContextItem> children(const std::string& parent_id) const = 0;

  // The parent of item `id`: ItemNotFoundError when `id` is unknown, nullopt
  // when it has no parent_id or the parent is not in the log.
  virtual std::optional<ContextItem> parent(const std::string& id) const = 0;

  // The reference's query: `since` slices the whole log first (Python slice
  // rules, negative from the end), then `kinds` filters, then `limit` slices
  // (negative drops from the end). An empty `kinds` list gives an empty result.
  virtual std::vector<ContextItem> query(const std::optional<std::vector<ItemKind>>& kinds = std::nullopt,
                                         std::optional<std::int64_t> since = std::nullopt,
                                         std::optional<std::int64_t> limit = std::nullopt) const = 0;

  // Number of items (Python len()).
  virtual std::size_t count() const = 0;

  // Releases resources. Idempotent. A persistent backend raises
  // StoreClosedError from every later call; the in-memory one stays usable.
  virtual void close() = 0;
};

}  // namespace contextweaver
