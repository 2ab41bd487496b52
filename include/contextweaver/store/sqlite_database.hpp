// The SQLite connection shared by the SQLite stores (docs/storage.md).
//
// One SqliteDatabase is one sqlite3 connection with the pragmas every store
// needs (WAL, foreign keys, busy timeout, the chosen durability), a cache of
// prepared statements, and a mutex: the connection is used by one thread at a
// time, so a store built on it can be called from any thread. Several stores
// may share one SqliteDatabase (one file, one connection, each store with its
// own tables and schema-version table); several SqliteDatabase objects, in
// this or other processes, may open the same file (WAL + busy timeout).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "contextweaver/store/durability.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace contextweaver {

struct SqliteOptions {
  // What a committed write survives (durability.hpp). Both keep the file
  // consistent after a process crash (the journal is WAL).
  //   normal: PRAGMA synchronous=NORMAL. A commit survives a process crash; the
  //           last commits before a power loss or OS crash may be lost.
  //   full:   PRAGMA synchronous=FULL. The WAL is fsynced at every commit, so a
  //           commit also survives a power loss.
  Durability durability = Durability::normal;
  // How long a statement waits for another connection's lock before failing.
  int busy_timeout_ms = 5000;
  // Read the database file through a memory map of up to this many bytes
  // (PRAGMA mmap_size). Off by default: it made reopening slower and point
  // reads no faster in bench/store (reads are dominated by locking).
  std::int64_t mmap_size_bytes = 0;
  // The connection's page cache (PRAGMA cache_size=-KiB), an upper bound:
  // pages are allocated as they are read. 64 MiB holds a 100,000-item log
  // (8 MiB made a random get() re-read a page from the OS one time in two).
  std::int64_t cache_size_kib = 65536;
  // SqliteEventLog keeps up to this many decoded items (get), plus its last
  // tail(n), children and count answers, while no connection — of this or
  // another process — commits to the file; any commit empties it
  // (docs/storage.md). At most ~32 MiB of text is kept whatever this says.
  // 0 turns the cache off. Only for files, not ":memory:".
  std::size_t read_cache_items = 16384;
  // SqliteEventLog's reads (get, tail, children, count) run in a read
  // transaction that the connection keeps open between calls — its "read
  // snapshot" — instead of starting and ending one per call (about half of a
  // point read's time). The snapshot is ended, so the next read starts a new
  // one, whenever any connection commits to the file, by any other use of
  // this connection, once it is 10 ms old, and by a background thread after
  // this many microseconds without reads: other connections' checkpoints are
  // held back at most that long (docs/storage.md). 0 turns it off. Only for
  // files, not ":memory:".
  int read_snapshot_idle_us = 1000;
  // Open the file read-only (SQLITE_OPEN_READONLY): nothing is created or
  // written, the journal mode is left as the file has it (no WAL switch), and
  // closing runs no checkpoint. For readers of a file or folder they cannot
  // write (docs/sessions.md#read-only-use); a write then fails with
  // StorageError. With no (or an empty) -wal file beside it, the file is
  // opened immutable (SQLite's immutable=1: no locks and no -shm file, which
  // such a reader could not create), so a process writing it meanwhile is
  // not seen consistently. Only for files, not ":memory:".
  bool read_only = false;
};

class SqliteDatabase;

// A prepared statement borrowed from the database's cache. Reset (and its
// bindings cleared) when the object dies, so it can be reused. Parameter and
// column indexes are 1-based and 0-based respectively, as in the C API.
// Not thread-safe: used only by the thread holding the database's mutex().
class SqliteStatement {
 public:
  // `in_use` is the cache slot's busy flag, or nullptr for an uncached statement.
  SqliteStatement(SqliteDatabase& db, sqlite3_stmt* stmt, bool* in_use);
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Text is bound as-is (callers validate UTF-8 before writing).
  SqliteStatement& bind_text(int index, std::string_view value);
  SqliteStatement& bind_blob(int index, std::string_view bytes);
  SqliteStatement& bind_int(int index, std::int64_t value);
  SqliteStatement& bind_null(int index);
  SqliteStatement& bind_optional_text(int index, const std::optional<std::string>& value);

  // Advances: true when a row is available, false when done. A failure throws
  // (see SqliteDatabase::throw_error); the extended result code is kept in
  // last_error_code() for callers that map constraint failures.
  bool step();
  // Steps to completion (a statement returning no rows).
  void run() {
    while (step()) {
    }
  }

  bool is_null(int column) const;
  bool is_integer(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  // Valid until the next step/reset; empty for NULL.
  std::string_view column_text(int column) const;
  std::string_view column_blob(int column) const;

 private:
  SqliteDatabase* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // nullptr: not from the cache (the cached one was busy), finalized on destruction
};

// Thread-safe as far as the stores need: a store holds mutex() for each
// operation (the methods below say which need it); path(), options() and
// in_memory() never change after open.
class SqliteDatabase : public std::enable_shared_from_this<SqliteDatabase> {
 public:
  // Opens (creating if needed) the database at `path`. The exact string
  // ":memory:" is a private in-memory database; any other path is a file whose
  // parent folders are created. Throws StorageError when the folder cannot be
  // created or the file cannot be opened (a folder in its place, no
  // permission), DatabaseError when the file is not a SQLite database or is
  // corrupt (the file is left untouched).
  static std::shared_ptr<SqliteDatabase> open(const std::string& path, const SqliteOptions& options = {});

  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // ":memory:" or the path normalised as Python's str(Path(p)) does.
  const std::string& path() const { return path_; }
  bool in_memory() const { return in_memory_; }
  const SqliteOptions& options() const { return options_; }

  // Held by a store for the whole of each operation: the connection and its
  // statements are used by one thread at a time.
  std::mutex& mutex() const { return mutex_; }

  // A cached prepared statement (the caller holds mutex()). Ends the read
  // snapshot first, if one is open, so the statement runs on its own
  // (autocommit) or in the caller's transaction.
  SqliteStatement prepare(std::string_view sql);

  // A cached prepared statement for a read-only query that may run in the
  // connection's read snapshot (SqliteOptions::read_snapshot_idle_us): starts
  // one, or keeps the open one when no connection has committed since it
  // began. Inside a transaction the caller (or another thread) opened, the
  // statement runs in that transaction. The caller holds mutex() and steps
  // one statement at a time until it is reset.
  SqliteStatement prepare_read(std::string_view sql);

  // Whether the connection's open transaction, if any, is the read snapshot.
  // Reads then see the latest committed state (as of the last prepare_read).
  bool in_read_snapshot() const { return snapshot_open_; }

  // Ends the read snapshot, if one is open (the caller holds mutex()).
  void end_read_snapshot();

  // For the thread that ends idle snapshots: ends the snapshot when it was
  // not used for read_snapshot_idle_us. Returns when to check again, or
  // nullopt when no snapshot is open any more. Never blocks: when another
  // thread holds mutex(), it only asks to be called again later.
  std::optional<std::chrono::steady_clock::time_point> release_idle_snapshot();

  // Runs SQL without parameters (the caller holds mutex()). Ends the read
  // snapshot first, if one is open.
  void exec(std::string_view sql);

  // A single integer result of a parameterless query, or nullopt for no row/NULL.
  std::optional<std::int64_t> query_int(std::string_view sql);

  // Whether a table of this name exists in the main schema.
  bool table_exists(std::string_view table);

  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  std::int64_t changes() const;

  // The extended result code of the last step on this connection (0 unless it failed).
  int last_error_code() const { return last_error_code_; }

  // Throws the typed error for SQLite result `rc`, naming the database file:
  // StorageError for filesystem failures (cannot open, read-only, I/O, disk
  // full), DatabaseError for a non-database or corrupt file, ContextWeaverError
  // for everything else (constraints included), each with SQLite's message.
  [[noreturn]] void throw_error(int rc, std::string_view action) const;

  sqlite3* handle() const { return db_; }

  // Whether the file at path() is no longer the file this connection has
  // open: removed, or replaced by another file (SQLite compares the path's
  // inode with the open file's). False for ":memory:". The caller holds
  // mutex(). Never throws.
  bool replaced_on_disk() const;

  // Copies what the WAL holds into the file without waiting for readers
  // (a passive checkpoint; what it cannot copy stays in the log). The caller
  // holds mutex(). Never throws.
  void checkpoint_passive();

  // Runs PRAGMA quick_check (O(database size): about 50 ms for a 42 MB
  // file of 100,000 events, docs/sessions.md#integrity) and returns its first problem, or
  // nullopt when the database is intact. A file too damaged to check is a
  // problem too (SQLite's message). The caller holds mutex().
  std::optional<std::string> integrity_problem();

 private:
  SqliteDatabase(std::string path, bool in_memory, const SqliteOptions& options);
  void configure();
  SqliteStatement prepare_statement(std::string_view sql);
  void refresh_read_snapshot();

  friend class SqliteStatement;

  std::string path_;
  bool in_memory_;
  SqliteOptions options_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Looked up by string_view: a cache hit allocates nothing.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> cache_;
  int last_error_code_ = 0;
  // The read snapshot (guarded by mutex_, except last_used_ns_, which the
  // idle-snapshot thread reads without it).
  bool snapshot_open_ = false;
  bool snapshot_watched_ = false;  // registered with the idle-snapshot thread
  std::array<std::uint32_t, 12> snapshot_stamp_{};
  std::chrono::steady_clock::time_point snapshot_started_{};
  std::atomic<std::int64_t> snapshot_last_used_ns_{0};
};

// A transaction on a SqliteDatabase whose mutex the caller holds. Rolls back
// on destruction unless committed, so an exception never leaves a half-done
// write. `immediate` takes the write lock at BEGIN (waiting up to the busy
// timeout) so a writer never fails on lock upgrade; `deferred` is for
// multi-statement reads that must see one snapshot. Inside a transaction the
// caller already opened (run_in_transaction), it is a savepoint of that
// transaction instead: its commit joins the outer one and its rollback undoes
// only its own writes. Not thread-safe: lives on the stack of the thread that
// holds the mutex.
class SqliteTransaction {
 public:
  enum class Mode { deferred, immediate };
  explicit SqliteTransaction(SqliteDatabase& db, Mode mode = Mode::immediate);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void commit();

 private:
  SqliteDatabase& db_;
  bool nested_ = false;
  bool done_ = false;
};

// Runs `body` inside one immediate transaction of `db` and commits it; any
// exception from `body` or from the commit rolls everything back and
// propagates. Unlike SqliteTransaction, the caller does not hold db.mutex():
// it is taken only to begin and to end, so `body` may use the stores on this
// connection (each takes the mutex per call), and their writes commit
// together. Other threads using the connection meanwhile join the
// transaction (they see its uncommitted rows), so run concurrent writers
// through one serializing caller. Used by the MCP gateway to record a
// result's artifacts and event with one commit.
void run_in_transaction(SqliteDatabase& db, const std::function<void()>& body);

// One schema migration: the list index is the version it brings the schema to.
using SqliteMigration = std::function<void(SqliteDatabase&)>;

// Brings the store whose versions are recorded in `version_table` up to
// migrations.size() - 1. The version table is the reference's
// (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP).
// Each pending migration runs in its own immediate transaction together with
// its version row; any exception rolls it back and propagates. A recorded
// version newer than the code knows raises ContextWeaverError naming both
// versions (nothing is changed). Returns the schema version afterwards. The
// caller holds db.mutex(). `version_table` must be a trusted identifier.
int apply_migrations(SqliteDatabase& db, std::string_view version_table, std::span<const SqliteMigration> migrations);

// The highest recorded version, or -1 when the table is missing or empty.
int schema_version(SqliteDatabase& db, std::string_view version_table);

// Python's str(pathlib.PurePosixPath(p)): collapses repeated and "." parts
// and a trailing "/"; "" -> ".".
std::string normalise_path(std::string_view path);

// The handle of a SQLite store: its connection, the store's mutex, and the
// closed state. with_db() runs `fn(db)` holding both mutexes, or throws
// StoreClosedError("<Name> is closed") after close(). Thread-safe: every
// member but path() (fixed at construction) takes the store's mutex.
class SqliteStoreHandle {
 public:
  SqliteStoreHandle(std::shared_ptr<SqliteDatabase> db, std::string store_name);

  template <typename Fn>
  decltype(auto) with_db(Fn&& fn) const {
    std::lock_guard store_lock(mutex_);
    if (!db_) throw_closed();
    std::lock_guard db_lock(db_->mutex());
    return fn(*db_);
  }

  // Drops this store's reference to the connection (the connection closes
  // when its last store is closed). Idempotent; returns true the first time.
  bool close();
  bool closed() const;
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void throw_closed() const;

  mutable std::mutex mutex_;
  std::shared_ptr<SqliteDatabase> db_;
  std::string store_name_;
  std::string path_;
};

}  // namespace contextweaver
