#include "contextweaver/store/sqlite_database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <system_error>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "sqlite_read_snapshot.hpp"
#include "sqlite_wal_vfs.hpp"

namespace contextweaver {
namespace {

constexpr const char* kMemory = ":memory:";

bool is_filesystem_error(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return true;
    default:
      return false;
  }
}

// Creates the parent folders of a database file (exist-ok), with a typed error.
void create_parent_folders(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    throw StorageError("Cannot create the folder " + py_repr(parent.string()) + " for the database " + py_repr(path) +
                       ": " + ec.message());
  }
}

// Whether `path`-wal exists and is not empty.
bool has_wal_content(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path + "-wal", ec);
  return !ec && size > 0;
}

// file: URI of `path` opened immutable (RFC 3986 escapes for what a URI
// path may not hold as is).
std::string immutable_uri(const std::string& path) {
  std::string uri = "file:";
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '%' || c == '?' || c == '#' || byte < 0x21 || byte >= 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 0xF];
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

}  // namespace

std::string normalise_path(std::string_view path) {
  if (path.empty()) return ".";
  std::string root;
  std::size_t pos = 0;
  // pathlib keeps exactly two leading slashes (POSIX "implementation-defined"),
  // and collapses three or more to one.
  if (path.starts_with("//") && !path.starts_with("///")) {
    root = "//";
  } else if (path.starts_with("/")) {
    root = "/";
  }
  std::string out = root;
  bool first = true;
  while (pos <= path.size()) {
    const std::size_t slash = path.find('/', pos);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view part = path.substr(pos, end - pos);
    if (!part.empty() && part != ".") {
      if (!first) out += '/';
      out.append(part);
      first = false;
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return out.empty() ? "." : out;
}

// ---------------------------------------------------------------------------
// SqliteStatement

SqliteStatement::SqliteStatement(SqliteDatabase& db, sqlite3_stmt* stmt, bool* in_use)
    : db_(&db), stmt_(stmt), in_use_(in_use) {}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), in_use_(other.in_use_) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

namespace {
void check_bind(SqliteDatabase& db, int rc) {
  if (rc != SQLITE_OK) db.throw_error(rc, "bind a statement parameter");
}
}  // namespace

SqliteStatement& SqliteStatement::bind_text(int index, std::string_view value) {
  check_bind(*db_, sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
  return *this;
}

SqliteStatement& SqliteStatement::bind_blob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const char kEmpty = 0;
  check_bind(*db_,
             sqlite3_bind_blob64(stmt_, index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(), SQLITE_STATIC));
  return *this;
}

SqliteStatement& SqliteStatement::bind_int(int index, std::int64_t value) {
  check_bind(*db_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

SqliteStatement& SqliteStatement::bind_null(int index) {
  check_bind(*db_, sqlite3_bind_null(stmt_, index));
  return *this;
}

SqliteStatement& SqliteStatement::bind_optional_text(int index, const std::optional<std::string>& value) {
  return value ? bind_text(index, *value) : bind_null(index);
}

bool SqliteStatement::step() {
  db_->last_error_code_ = 0;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int extended = sqlite3_extended_errcode(db_->db_);
  db_->last_error_code_ = extended;
  db_->throw_error(extended, "run a statement");
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
bool SqliteStatement::is_integer(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_INTEGER;
}
std::int64_t SqliteStatement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double SqliteStatement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string_view SqliteStatement::column_text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string_view SqliteStatement::column_blob(int column) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

// ---------------------------------------------------------------------------
// SqliteDatabase

SqliteDatabase::SqliteDatabase(std::string path, bool in_memory, const SqliteOptions& options)
    : path_(std::move(path)), in_memory_(in_memory), options_(options) {}

std::shared_ptr<SqliteDatabase> SqliteDatabase::open(const std::string& path, const SqliteOptions& options) {
  const bool in_memory = path == kMemory;
  std::shared_ptr<SqliteDatabase> db(new SqliteDatabase(in_memory ? path : normalise_path(path), in_memory, options));
  const bool read_only = options.read_only && !in_memory;
  if (!in_memory) {
    if (std::error_code ec; std::filesystem::is_directory(db->path_, ec)) {
      throw StorageError("Cannot open the database " + py_repr(db->path_) + ": it is a folder, not a file");
    }
    if (!read_only) create_parent_folders(db->path_);
  }
  // NOMUTEX: the object's own mutex serializes use of the connection.
  const int access = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int flags = access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  std::string name = db->path_;
  if (read_only && !has_wal_content(db->path_)) {
    // A WAL database opened read-only still needs its -shm file, which a
    // reader that cannot write the folder cannot create; with no log to read,
    // the file alone is the database: open it immutable (no locks, no -shm).
    name = immutable_uri(db->path_);
    flags |= SQLITE_OPEN_URI;
  }
  // The VFS writes each WAL commit in one system call (sqlite_wal_vfs.hpp).
  const int rc = sqlite3_open_v2(name.c_str(), &db->db_, flags, store_detail::wal_coalescing_vfs_name());
  if (rc != SQLITE_OK) db->throw_error(rc, "open");
  db->configure();
  CW_LOG_DEBUG("contextweaver.store", "sqlite.connect: path=" + db->path_);
  return db;
}

void SqliteDatabase::configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options_.busy_timeout_ms);
  // The first statement reads the file header: a non-SQLite file fails here,
  // before anything is written to it.
  // A read-only connection keeps the file's journal mode (switching it is a write).
  const bool read_only = options_.read_only && !in_memory_;
  const auto mode = [&] {
    SqliteStatement st = prepare(read_only ? "PRAGMA journal_mode" : "PRAGMA journal_mode=WAL");
    st.step();
    return std::string(st.column_text(0));
  }();
  if (mode != "wal" && mode != "memory" && !read_only) {
    throw DatabaseError("Cannot enable WAL on the database " + py_repr(path_) + " (journal_mode is " + mode + ")");
  }
  exec("PRAGMA foreign_keys=ON");
  exec("PRAGMA mmap_size=" + std::to_string(options_.mmap_size_bytes));
  exec("PRAGMA cache_size=-" + std::to_string(options_.cache_size_kib));
  exec(options_.durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  // Reading the schema now reports a corrupt catalogue at open, not later.
  query_int("SELECT count(*) FROM sqlite_master");
}

SqliteDatabase::~SqliteDatabase() {
  end_read_snapshot();
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  cache_.clear();
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

SqliteStatement SqliteDatabase::prepare(std::string_view sql) {
  if (snapshot_open_) end_read_snapshot();
  return prepare_statement(sql);
}

SqliteStatement SqliteDatabase::prepare_read(std::string_view sql) {
  if (options_.read_snapshot_idle_us > 0 && !in_memory_) refresh_read_snapshot();
  return prepare_statement(sql);
}

namespace {
// A snapshot older than this is ended at the next read even while reads
// continue, so a reader that never pauses still lets checkpoints through.
constexpr auto kSnapshotMaxAge = std::chrono::milliseconds(10);

std::int64_t ticks(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
}  // namespace

void SqliteDatabase::refresh_read_snapshot() {
  const auto now = std::chrono::steady_clock::now();
  if (snapshot_open_) {
    // Current while no connection has committed since it began (the
    // WAL-index header is rewritten by every commit; see wal_stamp).
    const auto stamp = store_detail::wal_stamp(db_);
    if (stamp && *stamp == snapshot_stamp_ && now - snapshot_started_ < kSnapshotMaxAge) {
      snapshot_last_used_ns_.store(ticks(now), std::memory_order_relaxed);
      return;
    }
    end_read_snapshot();
  }
  if (sqlite3_get_autocommit(db_) == 0) return;  // another transaction is open: read in it
  // Taken before the snapshot's first read, so it can only be older than
  // the state read (then the next call starts over), never newer.
  const auto stamp = store_detail::wal_stamp(db_);
  if (!stamp) return;  // no shared memory mapped yet: this read runs on its own
  if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) return;
  snapshot_open_ = true;
  snapshot_stamp_ = *stamp;
  snapshot_started_ = now;
  snapshot_last_used_ns_.store(ticks(now), std::memory_order_relaxed);
  if (!snapshot_watched_) {
    snapshot_watched_ = true;
    store_detail::watch_read_snapshot(weak_from_this(),
                                      now + std::chrono::microseconds(options_.read_snapshot_idle_us));
  }
}

void SqliteDatabase::end_read_snapshot() {
  if (!snapshot_open_) return;
  snapshot_open_ = false;
  // A read-only transaction commits without writing; ROLLBACK covers the
  // (unexpected) failure so the connection is never left inside it.
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

std::optional<std::chrono::steady_clock::time_point> SqliteDatabase::release_idle_snapshot() {
  const auto idle = std::chrono::microseconds(options_.read_snapshot_idle_us);
  std::unique_lock lock(mutex_, std::try_to_lock);
  const auto now = std::chrono::steady_clock::now();
  if (!lock.owns_lock()) return now + idle;  // in use: look again later
  if (snapshot_open_) {
    const std::chrono::steady_clock::time_point last_used{
        std::chrono::nanoseconds(snapshot_last_used_ns_.load(std::memory_order_relaxed))};
    if (now - last_used < idle) return last_used + idle;
    end_read_snapshot();
  }
  snapshot_watched_ = false;
  return std::nullopt;
}

SqliteStatement SqliteDatabase::prepare_statement(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return SqliteStatement(*this, it->second.stmt, &it->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw_error(sqlite3_extended_errcode(db_), "prepare a statement");
  }
  if (it != cache_.end()) return SqliteStatement(*this, stmt, nullptr);  // cached copy busy (nested use)
  auto& slot = cache_.emplace(std::string(sql), CachedStatement{stmt, true}).first->second;
  return SqliteStatement(*this, stmt, &slot.in_use);
}

void SqliteDatabase::exec(std::string_view sql) {
  if (snapshot_open_) end_read_snapshot();
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) throw_error(sqlite3_extended_errcode(db_), "run " + std::string(sql));
}

std::optional<std::int64_t> SqliteDatabase::query_int(std::string_view sql) {
  SqliteStatement st = prepare(sql);
  if (!st.step() || st.is_null(0)) return std::nullopt;
  return st.column_int(0);
}

std::int64_t SqliteDatabase::changes() const {
  return sqlite3_changes64(db_);
}

bool SqliteDatabase::replaced_on_disk() const {
  if (in_memory_) return false;
  int moved = 0;
  if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK) return false;
  return moved != 0;
}

void SqliteDatabase::checkpoint_passive() {
  if (in_memory_) return;
  if (snapshot_open_) end_read_snapshot();
  sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

std::optional<std::string> SqliteDatabase::integrity_problem() {
  if (snapshot_open_) end_read_snapshot();
  sqlite3_stmt* stmt = nullptr;
  // Uncached: run once per open at most.
  int rc = sqlite3_prepare_v2(db_, "PRAGMA quick_check(1)", -1, &stmt, nullptr);
  std::optional<std::string> problem;
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      const std::string result = text != nullptr ? text : "";
      if (result != "ok") problem = result;
    } else if (rc != SQLITE_DONE) {
      problem = sqlite3_errmsg(db_);
    }
  } else {
    problem = sqlite3_errmsg(db_);
  }
  sqlite3_finalize(stmt);
  return problem;
}

bool SqliteDatabase::table_exists(std::string_view table) {
  SqliteStatement st = prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
  st.bind_text(1, table);
  return st.step();
}

void SqliteDatabase::throw_error(int rc, std::string_view action) const {
  std::string sqlite_message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  if ((rc & 0xFF) == SQLITE_MISUSE || sqlite_message.empty()) sqlite_message = sqlite3_errstr(rc);
  const std::string message =
      "SQLite could not " + std::string(action) + " on the database " + py_repr(path_) + ": " + sqlite_message;
  const int primary = rc & 0xFF;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) throw DatabaseError(message);
  if (is_filesystem_error(rc)) throw StorageError(message);
  throw ContextWeaverError(message);
}

// ---------------------------------------------------------------------------
// SqliteTransaction

SqliteTransaction::SqliteTransaction(SqliteDatabase& db, Mode mode) : db_(db) {
  if (db_.in_read_snapshot()) db_.end_read_snapshot();
  // BEGIN inside the caller's transaction would fail: join it as a savepoint.
  nested_ = sqlite3_get_autocommit(db_.handle()) == 0;
  if (nested_) {
    db_.exec("SAVEPOINT cw_nested");
  } else {
    db_.exec(mode == Mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
  }
}

void SqliteTransaction::commit() {
  db_.exec(nested_ ? "RELEASE cw_nested" : "COMMIT");
  done_ = true;
}

SqliteTransaction::~SqliteTransaction() {
  if (done_) return;
  // A failed statement may already have ended the transaction; then this
  // ROLLBACK fails harmlessly.
  if (nested_) {
    sqlite3_exec(db_.handle(), "ROLLBACK TO cw_nested; RELEASE cw_nested", nullptr, nullptr, nullptr);
  } else {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void run_in_transaction(SqliteDatabase& db, const std::function<void()>& body) {
  std::optional<SqliteTransaction> tx;
  {
    std::lock_guard lock(db.mutex());
    tx.emplace(db);
  }
  try {
    body();
  } catch (...) {
    std::lock_guard lock(db.mutex());
    tx.reset();  // rolls back
    throw;
  }
  std::lock_guard lock(db.mutex());
  try {
    tx->commit();
  } catch (...) {
    tx.reset();
    throw;
  }
}

// ---------------------------------------------------------------------------
// SqliteStoreHandle

SqliteStoreHandle::SqliteStoreHandle(std::shared_ptr<SqliteDatabase> db, std::string store_name)
    : db_(std::move(db)), store_name_(std::move(store_name)) {
  if (!db_) throw ValueError(store_name_ + " needs a database, not a null pointer");
  path_ = db_->path();
}

bool SqliteStoreHandle::close() {
  std::lock_guard lock(mutex_);
  if (!db_) return false;
  db_.reset();
  return true;
}

bool SqliteStoreHandle::closed() const {
  std::lock_guard lock(mutex_);
  return !db_;
}

void SqliteStoreHandle::throw_closed() const {
  throw StoreClosedError(store_name_ + " is closed");
}

}  // namespace contextweaver
