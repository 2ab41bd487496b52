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
#include "store/sqlite_wal_vfs.hpp"
#include "store/stored_json.hpp"

namespace contextweaver {
namespace {

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

#define CW_ITEM_COLUMNS "id, kind, text, token_estimate, sensitivity, metadata, parent_id, artifact_ref"

constexpr const char* kInsert = "INSERT INTO event_log (" CW_ITEM_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kGet = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE id = ?";
constexpr const char* kByOrdinal = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE ordinal = ?";
constexpr const char* kTail = "SELECT " CW_ITEM_COLUMNS " FROM event_log ORDER BY ordinal DESC LIMIT ?";
constexpr const char* kChildren = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE parent_id = ? ORDER BY ordinal";
constexpr const char* kRange = "SELECT " CW_ITEM_COLUMNS " FROM event_log WHERE ordinal >= ? ORDER BY ordinal LIMIT ?";
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

constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::min();

// ContextItem.from_dict's rules applied to one row (columns in CW_ITEM_COLUMNS order).
ContextItem row_to_item(const SqliteStatement& st) {
  ContextItem item;
  item.id = std::string(st.column_text(0));
  item.kind = parse_item_kind(st.column_text(1));
  item.text = std::string(st.column_text(2));
  if (st.is_integer(3)) {
    item.token_estimate = st.column_int(3);
  } else if (st.is_null(3)) {
    item.token_estimate = py_int(Json(nullptr), "token_estimate");  // TypeError, as int(None)
  } else {
    item.token_estimate = py_int(Json(std::string(st.column_text(3))), "token_estimate");
  }
  item.sensitivity = parse_sensitivity(st.column_text(4));
  item.metadata = parse_object_column(st.column_text(5), "metadata");
  if (!st.is_null(6)) item.parent_id = std::string(st.column_text(6));
  if (!st.is_null(7)) {
    const Json ref = store_detail::load_stored_json(st.column_text(7));
    if (py_truthy(ref)) item.artifact_ref = ArtifactRef::from_dict(ref);
  }
  return item;
}

std::vector<ContextItem> read_all(SqliteStatement& st) {
  std::vector<ContextItem> out;
  while (st.step()) out.push_back(row_to_item(st));
  return out;
}

// The validated text columns of one item (metadata and artifact_ref as PyJSON).
struct ItemRow {
  std::string metadata;
  std::optional<std::string> artifact;
};

ItemRow encode_item(const ContextItem& item) {
  require_utf8(item.id, "ContextItem.id");
  require_utf8(item.text, "ContextItem.text");
  if (item.parent_id) require_utf8(*item.parent_id, "ContextItem.parent_id");
  if (!item.metadata.is_object()) as_object(item.metadata, "ContextItem.metadata");  // TypeError
  require_utf8_json(item.metadata, "ContextItem.metadata");
  ItemRow row{dumps_sorted(item.metadata), std::nullopt};
  if (item.artifact_ref) {
    const Json ref = item.artifact_ref->to_dict();
    require_utf8_json(ref, "ContextItem.artifact_ref");
    row.artifact = dumps_sorted(ref);
  }
  return row;
}

// Inserts one item; maps a UNIQUE violation on id (only that, S1) to DuplicateItemError.
void insert_item(SqliteDatabase& db, const ContextItem& item) {
  const ItemRow row = encode_item(item);  // validation errors propagate as they are
  SqliteStatement st = db.prepare(kInsert);
  // Bound SQLITE_STATIC: the strings outlive the statement's run.
  st.bind_text(1, item.id)
      .bind_text(2, to_string(item.kind))
      .bind_text(3, item.text)
      .bind_int(4, item.token_estimate)
      .bind_text(5, to_string(item.sensitivity))
      .bind_text(6, row.metadata)
      .bind_optional_text(7, item.parent_id)
      .bind_optional_text(8, row.artifact);
  try {
    st.run();
  } catch (const ContextWeaverError& e) {
    if (db.last_error_code() == SQLITE_CONSTRAINT_UNIQUE &&
        std::string_view(e.what()).find("event_log.id") != std::string_view::npos) {
      throw DuplicateItemError("Duplicate item id: " + py_repr(item.id));
    }
    throw;
  }
}

// append_many inserts this many rows per statement: one statement start
// (cursors, the AUTOINCREMENT sequence read and write) serves them all.
constexpr std::size_t kRowsPerInsert = 32;

// "INSERT ... VALUES (?,...), (?,...), ..." for `rows` rows.
std::string multi_row_insert(std::size_t rows) {
  std::string sql = "INSERT INTO event_log (" CW_ITEM_COLUMNS ") VALUES ";
  for (std::size_t r = 0; r < rows; ++r) sql += r == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)";
  return sql;
}

// Inserts items (inside the caller's transaction) with the errors insert_item
// raises one by one: the first item that fails validation or insertion, in
// order, decides the error.
void insert_items(SqliteDatabase& db, std::span<const ContextItem> items) {
  static const std::string kInsertChunk = multi_row_insert(kRowsPerInsert);
  std::vector<ItemRow> rows;
  rows.reserve(kRowsPerInsert);
  while (items.size() >= kRowsPerInsert) {
    const auto chunk = items.first(kRowsPerInsert);
    rows.clear();
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      try {
        rows.push_back(encode_item(chunk[i]));
      } catch (...) {
        for (std::size_t j = 0; j < i; ++j) insert_item(db, chunk[j]);  // an earlier duplicate wins
        throw;
      }
    }
    bool failed = false;
    {
      SqliteStatement st = db.prepare(kInsertChunk);
      int p = 1;
      for (std::size_t i = 0; i < chunk.size(); ++i, p += 8) {
        const ContextItem& item = chunk[i];
        st.bind_text(p, item.id)
            .bind_text(p + 1, to_string(item.kind))
            .bind_text(p + 2, item.text)
            .bind_int(p + 3, item.token_estimate)
            .bind_text(p + 4, to_string(item.sensitivity))
            .bind_text(p + 5, rows[i].metadata)
            .bind_optional_text(p + 6, item.parent_id)
            .bind_optional_text(p + 7, rows[i].artifact);
      }
      try {
        st.run();
      } catch (const ContextWeaverError&) {
        if ((db.last_error_code() & 0xFF) != SQLITE_CONSTRAINT) throw;
        failed = true;  // the statement changed nothing; find the row one by one
      }
    }
    if (failed) {
      for (const auto& item : chunk) insert_item(db, item);
    }
    items = items.subspan(kRowsPerInsert);
  }
  for (const auto& item : items) insert_item(db, item);
}

void log_append(const ContextItem& item) {
  CW_LOG_DEBUG("contextweaver.store",
               "event_log.append: id=" + item.id + ", kind=" + std::string(to_string(item.kind)));
}

std::int64_t count_rows(SqliteDatabase& db) {
  return db.query_int(kCount).value_or(0);
}

void fold_count(SqliteDatabase& db) {
  db.prepare(kFoldCount).run();
}

}  // namespace

// Decoded answers of the file's state identified by `stamp` (the WAL-index
// header). Events are never changed or deleted by this library, but other
// programs may write anything, so any commit by any connection (the stamp
// changes) empties the cache. An answer is stored only when the stamp was the
// same before and after the SQLite read, so it belongs to that state.
struct SqliteEventLog::ReadCache {
  std::size_t max_items = 0;
  std::optional<store_detail::WalStamp> stamp;
  std::unordered_map<std::string, ContextItem> items;
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
    if (max_items > 0 && sqlite3_get_autocommit(db.handle()) != 0) now = store_detail::wal_stamp(db.handle());
    if (!now || now != stamp) {
      if (stamp) clear();
      stamp = now;
    }
    return now;
  }
  // Whether an answer read since sync() returned `before` belongs to it.
  bool still(SqliteDatabase& db, const std::optional<store_detail::WalStamp>& before) const {
    return before && sqlite3_get_autocommit(db.handle()) != 0 && store_detail::wal_stamp(db.handle()) == before;
  }
  void clear() {
    items.clear();
    tail_n = 0;
    tail.clear();
    children.clear();
    count.reset();
    bytes = 0;
  }
};

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
      SqliteStatement st = db.prepare(kGet);
      st.bind_text(1, id);
      if (!st.step()) throw ItemNotFoundError("Item not found: " + py_repr(id));
      return row_to_item(st);
    }();
    if (cache_->still(db, stamp) && cache_->make_room(ReadCache::approx_bytes(item))) cache_->items.emplace(id, item);
    return item;
  });
}

std::vector<ContextItem> SqliteEventLog::all() const {
  return query(std::nullopt, std::nullopt, std::nullopt);
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
      SqliteStatement st = db.prepare(kTail);
      st.bind_int(1, n);
      return read_all(st);
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
      SqliteStatement st = db.prepare(kChildren);
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
        SqliteStatement st = db.prepare(kOrdinalAt);
        st.bind_int(1, start);
        if (!st.step()) return {};  // since >= len
        bound = st.column_int(0);
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
