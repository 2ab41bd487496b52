// SqliteEventLog: the event log persisted in a SQLite file (store/sqlite_event_log.py).
#pragma once

#include <memory>
#include <string>

#include "contextweaver/store/event_log.hpp"
#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver {

// Table event_log and its indexes (docs/storage.md), versions recorded in
// _contextweaver_schema_version: the reference's schema (so either program
// can read the other's file) plus a persisted row count (migrations 1 and 2). Text fields must be valid UTF-8
// (ValueError otherwise): SQLite TEXT holding other bytes could not be read back by the reference. Internally
// synchronized; several instances (threads or processes) may open one file.
class SqliteEventLog final : public EventLog {
 public:
  static constexpr const char* kVersionTable = "_contextweaver_schema_version";
  // The schema version this build writes (the index of its last migration).
  static int latest_schema_version();

  // Opens or creates the log at `path` (":memory:" = private in-memory
  // database; parent folders are created) and applies pending migrations.
  // Errors: see SqliteDatabase::open and apply_migrations.
  explicit SqliteEventLog(const std::string& path, const SqliteOptions& options = {});
  // A log on a connection shared with other SQLite stores (one file, one
  // connection). close() releases only this store's share.
  explicit SqliteEventLog(std::shared_ptr<SqliteDatabase> db);
  ~SqliteEventLog() override;

  // ":memory:" or the normalised path; still valid after close().
  const std::string& path() const { return handle_.path(); }

  // The recorded schema version (StoreClosedError after close).
  int schema_version() const;

  // EventLog. DuplicateItemError only for an id already present (S1); any
  // other SQLite failure is a ContextWeaverError with SQLite's message.
  void append(const ContextItem& item) override;
  // One immediate transaction: every item or none.
  void append_many(std::span<const ContextItem> items) override;
  ContextItem get(const std::string& id) const override;
  std::vector<ContextItem> all() const override;
  // Reads `batch` rows at a time by ordinal, each batch in one read snapshot;
  // the store's lock is released while `visit` runs, so `visit` may call the
  // log. StoreClosedError when the store is (or becomes) closed.
  std::size_t scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                   std::size_t batch = 1024) const override;
  std::vector<ContextItem> filter_by_kind(std::span<const ItemKind> kinds) const override;
  std::vector<ContextItem> tail(std::int64_t n) const override;
  std::vector<ContextItem> children(const std::string& parent_id) const override;
  std::optional<ContextItem> parent(const std::string& id) const override;
  // Resolved in SQL (only returned rows are read), with the in-memory result.
  std::vector<ContextItem> query(const std::optional<std::vector<ItemKind>>& kinds = std::nullopt,
                                 std::optional<std::int64_t> since = std::nullopt,
                                 std::optional<std::int64_t> limit = std::nullopt) const override;
  std::size_t count() const override;
  // Idempotent; every later call except path() and the trivial empty answers
  // (filter_by_kind of no kinds, tail(n <= 0), query with empty kinds) raises
  // StoreClosedError("SqliteEventLog is closed").
  void close() override;

 private:
  struct ReadCache;

  SqliteStoreHandle handle_;
  // Single appends since the count was last folded (guarded by the store's mutex).
  unsigned appends_since_fold_ = 0;
  // Answers valid while no connection commits (guarded by the store's mutex).
  std::unique_ptr<ReadCache> cache_;
};

}  // namespace contextweaver
