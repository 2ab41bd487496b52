#include "contextweaver/store/sqlite_event_log.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_codec.hpp"
#include "sqlite_event_log_cache.hpp"
#include "sqlite_event_log_rows.hpp"
#include "sqlite_wal_vfs.hpp"
#include "stored_json.hpp"

namespace contextweaver {
namespace {

using store_detail::insert_item;
using store_detail::insert_items;
using store_detail::read_all;
using store_detail::row_to_item;

constexpr const char* kStoreName = "SqliteEventLog";

// Migration 0 is the reference's schema, unchanged, so both programs can open
// each other's files (the reference ignores the later version). The kind and parent indexes implicitly end with the
// rowid (= ordinal), which is what makes kind/children reads ordered index
// range scans; no further index is needed.
void migration_0(SqliteDatabase& db) {
  db.exec(
      "CREATE TABLE event_log ("
      " ordinal INTEGER PRIMARY KEY AUTOINCREMENT,"
      " id TEXT NOT NULL UNIQUE,"
      " kind TEXT NOT NULL,"
      " text TEXT NOT NULL,"
      " token_estimate INTEGER NOT NULL DEFAULT 0,"
      " sensitivity TEXT NOT NULL,"
      " metadata TEXT NOT NULL,"
      " parent_id TEXT,"
      " artifact_ref TEXT);"
      "CREATE INDEX idx_event_log_kind ON event_log(kind);"
      "CREATE INDEX idx_event_log_parent ON event_log(parent_id);");
}

// Migration 1: the row count kept by triggers, so count() (and every reopen +
// count) reads one row instead of walking a whole index. Triggers live in the
// schema, so any writer — including the reference's Python code — keeps it right.
void migration_1(SqliteDatabase& db) {
  db.exec(
      "CREATE TABLE event_log_count (singleton INTEGER PRIMARY KEY CHECK (singleton = 0), n INTEGER NOT NULL);"
      "INSERT INTO event_log_count (singleton, n) VALUES (0, (SELECT COUNT(*) FROM event_log));"
      "CREATE TRIGGER event_log_count_insert AFTER INSERT ON event_log"
      " BEGIN UPDATE event_log_count SET n = n + 1 WHERE singleton = 0; END;"
      "CREATE TRIGGER event_log_count_delete AFTER DELETE ON event_log"
      " BEGIN UPDATE event_log_count SET n = n - 1 WHERE singleton = 0; END;");
}

// Migration 2: the same count without a trigger on every insert (that
// trigger ran a sub-program and an UPDATE per row: append_many was 2.5x
// slower). event_log_count.n now counts the rows with ordinal <= upto; the
// rows above upto are counted by a rowid range scan at read time, and this
// library folds them into n from time to time (fold_count). Writers that
// bypass the library append above upto (AUTOINCREMENT), so the range scan
// sees them; deleting or renumbering rows at or below upto is tracked by the
// remaining (rarely firing) triggers. docs/storage.md has the one write this
// does not track (an explicit ordinal filling a gap below upto).
void migration_2(SqliteDatabase& db) {
  db.exec(
      "DROP TRIGGER event_log_count_insert;"
      "DROP TRIGGER event_log_count_delete;"
      "ALTER TABLE event_log_count ADD COLUMN upto INTEGER NOT NULL DEFAULT 0;"
      "UPDATE event_log_count SET n = (SELECT COUNT(*) FROM event_log),"
      " upto = COALESCE((SELECT MAX(ordinal) FROM event_log), 0) WHERE singleton = 0;"
      "CREATE TRIGGER event_log_count_delete AFTER DELETE ON event_log"
      " BEGIN UPDATE event_log_count SET n = n - 1 WHERE singleton = 0 AND OLD.ordinal <= upto; END;"
      "CREATE TRIGGER event_log_count_renumber AFTER UPDATE OF ordinal ON event_log"
      " BEGIN UPDATE event_log_count SET n = n - (OLD.ordinal <= upto) + (NEW.ordinal <= upto)"
      " WHERE singleton = 0; END;");
}

const SqliteMigration kMigrations[] = {migration_0, migration_1, migration_2};

constexpr const char* kGet = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE id = ?";
constexpr const char* kByOrdinal = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE ordinal = ?";
constexpr const char* kTail = "SELECT " CW_ITEM_COLUMNS " FROM event_log ORDER BY ordinal DESC LIMIT ?";
constexpr const char* kChildren = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE parent_id = ? ORDER BY ordinal";
constexpr const char* kRange = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE ordinal >= ? ORDER BY ordinal LIMIT ?";
// scan: the rows after an ordinal, with the ordinal as the column after the item's.
constexpr const char* kScanFrom =
    "SELECT " CW_ITEM_COLUMNS ", ordinal FROM event_log WHERE ordinal >= ? ORDER BY ordinal LIMIT ?";
constexpr const char* kScanAfter =
    "SELECT " CW_ITEM_COLUMNS ", ordinal FROM event_log WHERE ordinal > ? ORDER BY ordinal LIMIT ?";
constexpr int kScanOrdinalColumn = 8;
// A scan hands the connection's clean cached pages back to the heap once per
// this many rows: a whole-log scan reads every page once, so keeping them
// would only grow the page cache with the log (up to cache_size_kib) and
// make the scan's memory follow the session's size (docs/storage.md#scanning).
constexpr std::size_t kScanReleaseRows = 8192;
constexpr const char* kKindRange = "SELECT " CW_ITEM_COLUMNS
                                   " FROM event_log INDEXED BY idx_event_log_kind"
                                   " WHERE kind = ? AND ordinal >= ? ORDER BY ordinal LIMIT ?";
constexpr const char* kKindOrdinals =
    "SELECT ordinal FROM event_log INDEXED BY idx_event_log_kind"
    " WHERE kind = ? AND ordinal >= ? ORDER BY ordinal LIMIT ?";
constexpr const char* kKindCount =
    "SELECT COUNT(*) FROM event_log INDEXED BY idx_event_log_kind WHERE kind = ? AND ordinal >= ?";
constexpr const char* kRangeCount = "SELECT COUNT(*) FROM event_log WHERE ordinal >= ?";
constexpr const char* kCount =
    "SELECT n + (SELECT COUNT(*) FROM event_log WHERE ordinal > upto) FROM event_log_count WHERE singleton = 0";
// Moves the rows above the mark into n (the caller holds the write lock, or
// this is one autocommit statement, so no row is counted twice or missed).
constexpr const char* kFoldCount =
    "UPDATE event_log_count SET n = n + (SELECT COUNT(*) FROM event_log WHERE ordinal > upto),"
    " upto = COALESCE((SELECT MAX(ordinal) FROM event_log), upto) WHERE singleton = 0";
// Single appends fold the count once per this many appends, which bounds the
// range that count() scans (plus whatever other programs appended since).
constexpr unsigned kFoldEvery = 256;
// Batches at least this long are written without cache spills.
constexpr std::size_t kNoSpillBatch = 1000;
constexpr const char* kOrdinalAt = "SELECT ordinal FROM event_log ORDER BY ordinal LIMIT 1 OFFSET ?";
// Two subqueries: SQLite answers a lone MIN or MAX from the rowid b-tree
// (O(log n)), but scans the whole table for both in one SELECT.
constexpr const char* kOrdinalSpan =
    "SELECT (SELECT MIN(ordinal) FROM event_log), (SELECT MAX(ordinal) FROM event_log)";

constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::min();

void log_append(const ContextItem& item) {
  CW_LOG_DEBUG("contextweaver.store",
               "event_log.append: id=" + item.id + ", kind=" + std::string(to_string(item.kind)));
}

std::int64_t count_rows(SqliteDatabase& db) {
  SqliteStatement st = db.prepare_read(kCount);
  return st.step() && !st.is_null(0) ? st.column_int(0) : 0;
}

// The ordinal of the row at 0-based `position` (>= 0), or nullopt past the
// end. Ordinals are normally exactly 1..count (AUTOINCREMENT, rows never
// deleted), which two index lookups confirm, and then the position maps
// straight to position + 1; any other layout (a file another program edited)
// takes SQLite's OFFSET walk, which reads every row before the position.
std::optional<std::int64_t> ordinal_at(SqliteDatabase& db, std::int64_t position) {
  {
    SqliteStatement span = db.prepare(kOrdinalSpan);
    if (!span.step() || span.is_null(0)) return std::nullopt;  // empty
    const std::int64_t lowest = span.column_int(0);
    const std::int64_t highest = span.column_int(1);
    if (lowest == 1 && highest == count_rows(db)) {
      if (position >= highest) return std::nullopt;
      return position + 1;
    }
  }
  SqliteStatement st = db.prepare(kOrdinalAt);
  st.bind_int(1, position);
  if (!st.step()) return std::nullopt;
  return st.column_int(0);
}

void fold_count(SqliteDatabase& db) {
  db.prepare(kFoldCount).run();
}

}  // namespace

int SqliteEventLog::latest_schema_version() {
  return static_cast<int>(std::size(kMigrations)) - 1;
}

SqliteEventLog::SqliteEventLog(const std::string& path, const SqliteOptions& options)
    : SqliteEventLog(SqliteDatabase::open(path, options)) {}

SqliteEventLog::SqliteEventLog(std::shared_ptr<SqliteDatabase> db)
    : handle_(std::move(db), kStoreName), cache_(std::make_unique<ReadCache>()) {
  cache_->max_items =
      handle_.with_db([](SqliteDatabase& d) { return d.in_memory() ? 0 : d.options().read_cache_items; });
  handle_.with_db([](SqliteDatabase& d) { return apply_migrations(d, kVersionTable, kMigrations); });
}

SqliteEventLog::~SqliteEventLog() {
  close();
}

int SqliteEventLog::schema_version() const {
  return handle_.with_db([](SqliteDatabase& db) { return contextweaver::schema_version(db, kVersionTable); });
}

void SqliteEventLog::append(const ContextItem& item) {
  handle_.with_db([&](SqliteDatabase& db) {
    insert_item(db, item);
    // A separate statement: the insert is already committed and counted by
    // the range scan whether or not this runs.
    if (++appends_since_fold_ >= kFoldEvery) {
      appends_since_fold_ = 0;
      fold_count(db);
    }
  });
  log_append(item);
}

void SqliteEventLog::append_many(std::span<const ContextItem> items) {
  if (items.empty()) {
    handle_.with_db([](SqliteDatabase&) {});  // still a closed check
    return;
  }
  handle_.with_db([&](SqliteDatabase& db) {
    // A batch keeps its dirty pages in memory until the commit writes each
    // once: spilling them to the WAL mid-transaction rewrote and re-read
    // pages (about a third of append_many's time at 100,000 items). The
    // cache grows by about the batch's size on disk (docs/storage.md).
    const bool no_spill = items.size() >= kNoSpillBatch;
    if (no_spill) db.exec("PRAGMA cache_spill=OFF");
    try {
      SqliteTransaction tx(db);
      insert_items(db, items);
      fold_count(db);
      tx.commit();
    } catch (...) {
      if (no_spill) db.exec("PRAGMA cache_spill=ON");
      throw;
    }
    if (no_spill) db.exec("PRAGMA cache_spill=ON");
    appends_since_fold_ = 0;
  });
  for (const auto& item : items) log_append(item);
}

ContextItem SqliteEventLog::get(const std::string& id) const {
  return handle_.with_db([&](SqliteDatabase& db) {
    const auto stamp = cache_->sync(db);
    if (stamp) {
      if (auto it = cache_->items.find(id); it != cache_->items.end()) return it->second;
    }
    ContextItem item = [&] {
      SqliteStatement st = db.prepare_read(kGet);
      st.bind_text(1, id);
      if (!st.step()) throw ItemNotFoundError("Item not found: " + py_repr(id));
      return row_to_item(st);
    }();
    if (cache_->still(db, stamp) && cache_->admit(id) && cache_->make_room(ReadCache::approx_bytes(item))) {
      cache_->items.emplace(id, item);
    }
    return item;
  });
}

std::vector<ContextItem> SqliteEventLog::all() const {
  return query(std::nullopt, std::nullopt, std::nullopt);
}

std::size_t SqliteEventLog::scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                                 std::size_t batch) const {
  batch = std::max<std::size_t>(batch, 1);
  const auto limit = static_cast<std::int64_t>(std::min<std::size_t>(batch, std::numeric_limits<std::int64_t>::max()));
  std::optional<std::int64_t> last;  // the ordinal of the last row read; none before the first batch
  std::size_t visited = 0;
  std::size_t unreleased = 0;  // rows read since the page cache was last released
  std::vector<ContextItem> page;
  for (;;) {
    page.clear();
    const bool more = handle_.with_db([&](SqliteDatabase& db) {
      // One snapshot per batch: `start`'s ordinal and the first rows agree.
      SqliteTransaction tx(db, SqliteTransaction::Mode::deferred);
      std::int64_t bound = kNoBound;
      if (!last && start > 0) {
        const auto ordinal = ordinal_at(
            db, static_cast<std::int64_t>(std::min<std::size_t>(start, std::numeric_limits<std::int64_t>::max())));
        if (!ordinal) return false;  // start >= len
        bound = *ordinal;
      }
      SqliteStatement st = db.prepare(last ? kScanAfter : kScanFrom);
      st.bind_int(1, last ? *last : bound).bind_int(2, limit);
      while (st.step()) {
        page.push_back(row_to_item(st));
        last = st.column_int(kScanOrdinalColumn);
      }
      tx.commit();
      unreleased += page.size();
      if (unreleased >= kScanReleaseRows) {
        unreleased = 0;
        sqlite3_db_release_memory(db.handle());
      }
      return page.size() == batch;
    });
    // Unlocked: `visit` may read (or write) this log.
    for (auto& item : page) visit(std::move(item));
    visited += page.size();
    if (!more) return visited;
  }
}

std::vector<ContextItem> SqliteEventLog::filter_by_kind(std::span<const ItemKind> kinds) const {
  if (kinds.empty()) return {};
  return query(std::vector<ItemKind>(kinds.begin(), kinds.end()), std::nullopt, std::nullopt);
}

std::vector<ContextItem> SqliteEventLog::tail(std::int64_t n) const {
  if (n <= 0) return {};
  return handle_.with_db([&](SqliteDatabase& db) {
    const auto stamp = cache_->sync(db);
    if (stamp && cache_->tail_n == n) return cache_->tail;
    std::vector<ContextItem> out = [&] {
      SqliteStatement st = db.prepare_read(kTail);
      st.bind_int(1, n);
      return read_all(st, static_cast<std::size_t>(std::min<std::int64_t>(n, 1024)));
    }();
    std::reverse(out.begin(), out.end());
    if (cache_->still(db, stamp) && out.size() <= cache_->max_items &&
        cache_->make_room(ReadCache::approx_bytes(out))) {
      cache_->tail_n = n;
      cache_->tail = out;
    }
    return out;
  });
}

std::vector<ContextItem> SqliteEventLog::children(const std::string& parent_id) const {
  return handle_.with_db([&](SqliteDatabase& db) {
    const auto stamp = cache_->sync(db);
    if (stamp) {
      if (auto it = cache_->children.find(parent_id); it != cache_->children.end()) return it->second;
    }
    std::vector<ContextItem> out = [&] {
      SqliteStatement st = db.prepare_read(kChildren);
      st.bind_text(1, parent_id);
      return read_all(st);
    }();
    if (cache_->still(db, stamp) && out.size() <= cache_->max_items) {
      if (cache_->children.size() >= cache_->max_items / 16 + 1) cache_->clear();
      if (cache_->make_room(ReadCache::approx_bytes(out))) cache_->children.emplace(parent_id, out);
    }
    return out;
  });
}

std::optional<ContextItem> SqliteEventLog::parent(const std::string& id) const {
  const ContextItem item = get(id);
  if (!item.parent_id) return std::nullopt;
  try {
    return get(*item.parent_id);
  } catch (const ItemNotFoundError&) {
    return std::nullopt;
  }
}

std::vector<ContextItem> SqliteEventLog::query(const std::optional<std::vector<ItemKind>>& kinds,
                                               std::optional<std::int64_t> since,
                                               std::optional<std::int64_t> limit) const {
  if (kinds && kinds->empty()) return {};  // before the closed check, as the reference
  std::vector<ItemKind> distinct;
  if (kinds) {
    for (ItemKind k : *kinds) {
      if (std::find(distinct.begin(), distinct.end(), k) == distinct.end()) distinct.push_back(k);
    }
  }
  return handle_.with_db([&](SqliteDatabase& db) -> std::vector<ContextItem> {
    // Several statements: one snapshot, so a concurrent writer cannot shift positions.
    SqliteTransaction tx(db, SqliteTransaction::Mode::deferred);
    // 1. since -> the ordinal of that position in the whole log (PySlice start).
    std::int64_t bound = kNoBound;
    if (since) {
      std::int64_t start = *since;
      if (start < 0) start = std::max<std::int64_t>(count_rows(db) + start, 0);
      if (start > 0) {
        const auto ordinal = ordinal_at(db, start);
        if (!ordinal) return {};  // since >= len
        bound = *ordinal;
      }
    }
    // 2. limit -> a row count (PySlice stop over the filtered rows); -1 = all.
    std::int64_t take = -1;
    if (limit) {
      if (*limit >= 0) {
        take = *limit;
      } else {
        std::int64_t matching = 0;
        if (distinct.empty()) {
          SqliteStatement st = db.prepare(kRangeCount);
          st.bind_int(1, bound);
          if (st.step()) matching = st.column_int(0);
        } else {
          for (ItemKind k : distinct) {
            SqliteStatement st = db.prepare(kKindCount);
            st.bind_text(1, to_string(k)).bind_int(2, bound);
            if (st.step()) matching += st.column_int(0);
          }
        }
        take = std::max<std::int64_t>(matching + *limit, 0);
      }
      if (take == 0) return {};
    }
    // 3. The rows, read through the kind index (ordered by ordinal) when filtered.
    std::vector<ContextItem> out;
    if (distinct.size() <= 1) {
      SqliteStatement st = db.prepare(distinct.empty() ? kRange : kKindRange);
      int next = 1;
      if (!distinct.empty()) st.bind_text(next++, to_string(distinct.front()));
      st.bind_int(next, bound);
      st.bind_int(next + 1, take);
      out = read_all(st);
    } else {
      // Several kinds: merge each kind's first `take` ordinals, then read only those rows.
      std::vector<std::int64_t> ordinals;
      for (ItemKind k : distinct) {
        SqliteStatement st = db.prepare(kKindOrdinals);
        st.bind_text(1, to_string(k)).bind_int(2, bound).bind_int(3, take);
        while (st.step()) ordinals.push_back(st.column_int(0));
      }
      std::sort(ordinals.begin(), ordinals.end());
      if (take >= 0 && ordinals.size() > static_cast<std::size_t>(take))
        ordinals.resize(static_cast<std::size_t>(take));
      out.reserve(ordinals.size());
      for (std::int64_t ordinal : ordinals) {
        SqliteStatement st = db.prepare(kByOrdinal);
        st.bind_int(1, ordinal);
        if (st.step()) out.push_back(row_to_item(st));
      }
    }
    tx.commit();
    return out;
  });
}

std::size_t SqliteEventLog::count() const {
  return handle_.with_db([&](SqliteDatabase& db) {
    const auto stamp = cache_->sync(db);
    if (stamp && cache_->count) return *cache_->count;
    const auto n = static_cast<std::size_t>(count_rows(db));
    if (cache_->still(db, stamp)) cache_->count = n;
    return n;
  });
}

void SqliteEventLog::close() {
  const std::string& p = handle_.path();
  if (handle_.close()) CW_LOG_DEBUG("contextweaver.store", "sqlite_event_log.close: path=" + p);
}

}  // namespace contextweaver
