// SqliteEventLog's read cache (docs/storage.md, "Read cache of the event
// log"): internal to the store module.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "sqlite_wal_vfs.hpp"

namespace contextweaver {

// Decoded answers of the file's state identified by `stamp` (the WAL-index
// header). Events are never changed or deleted by this library, but other
// programs may write anything, so any commit by any connection (the stamp
// changes) empties the cache. An answer is stored only when the stamp was the
// same before and after the SQLite read, so it belongs to that state.
struct SqliteEventLog::ReadCache {
  std::size_t max_items = 0;
  std::optional<store_detail::WalStamp> stamp;
  std::unordered_map<std::string, ContextItem> items;
  // Ids read once since the cache was emptied: an item is kept on its second
  // read, so a pass over many distinct ids (each read once) pays for a set
  // insert, not for copying every item into the cache.
  std::unordered_set<std::string> seen_once;
  std::int64_t tail_n = 0;
  std::vector<ContextItem> tail;
  std::unordered_map<std::string, std::vector<ContextItem>> children;
  std::optional<std::size_t> count;
  // Rough bytes held (charged on insertion): large items never pile up.
  std::size_t bytes = 0;
  static constexpr std::size_t kMaxBytes = std::size_t{32} << 20;

  static std::size_t approx_bytes(const ContextItem& item) {
    // The strings plus a flat allowance for the object, metadata and map node.
    return sizeof(ContextItem) + 256 + item.id.size() + item.text.size() +
           (item.parent_id ? item.parent_id->size() : 0);
  }
  static std::size_t approx_bytes(const std::vector<ContextItem>& items) {
    std::size_t total = sizeof(items);
    for (const auto& item : items) total += approx_bytes(item);
    return total;
  }
  // Charges `need` bytes, emptying the cache first when the budget is
  // spent; false (nothing charged) for an answer too large to keep.
  bool make_room(std::size_t need) {
    if (need > kMaxBytes / 4) return false;
    if (bytes + need > kMaxBytes || items.size() >= max_items) clear();
    bytes += need;
    return true;
  }

  // The current stamp; forgets everything read in another state. nullopt
  // (no shared memory yet, in-memory database, cache off, or a transaction
  // open on the connection) caches nothing. Inside a transaction the stamp
  // does not move while the connection sees its own uncommitted writes, and
  // a rollback would leave answers about rows that never existed.
  std::optional<store_detail::WalStamp> sync(SqliteDatabase& db) {
    std::optional<store_detail::WalStamp> now;
    if (max_items > 0 && outside_transactions(db)) now = store_detail::wal_stamp(db.handle());
    if (!now || now != stamp) {
      if (stamp) clear();
      stamp = now;
    }
    return now;
  }
  // Whether an answer read since sync() returned `before` belongs to it.
  bool still(SqliteDatabase& db, const std::optional<store_detail::WalStamp>& before) const {
    return before && outside_transactions(db) && store_detail::wal_stamp(db.handle()) == before;
  }
  // No transaction open but, possibly, the read snapshot (which always sees
  // the latest commit: it is ended when the stamp changes).
  static bool outside_transactions(SqliteDatabase& db) {
    return sqlite3_get_autocommit(db.handle()) != 0 || db.in_read_snapshot();
  }
  // Whether `id`, just read from SQLite, should now be kept (its second read).
  bool admit(const std::string& id) {
    if (seen_once.erase(id) > 0) return true;
    if (seen_once.size() >= max_items) seen_once.clear();
    seen_once.insert(id);
    return false;
  }
  void clear() {
    items.clear();
    seen_once.clear();
    tail_n = 0;
    tail.clear();
    children.clear();
    count.reset();
    bytes = 0;
  }
};

}  // namespace contextweaver
