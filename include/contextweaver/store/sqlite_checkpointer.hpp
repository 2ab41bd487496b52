// SqliteBackgroundCheckpointer: moves WAL checkpoints off the writer's path.
//
// In WAL mode SQLite copies the log back into the database file (a checkpoint)
// inside whichever commit crosses wal_autocheckpoint pages (1,000 by
// default). That commit then pays for copying ~4 MiB and, at synchronous
// NORMAL, for fsyncing the database file: a writer that answers requests (the
// MCP gateway records every call) sees it as a latency spike of several
// milliseconds once every few hundred commits. SQLite's documentation
// suggests the remedy used here: turn the automatic checkpoint off on the
// writing connection and run PASSIVE checkpoints from another thread on a
// connection of its own. PASSIVE never blocks readers or writers; a
// checkpoint that cannot finish (a reader still on old pages) is simply
// retried after the next commit.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver {

class SqliteBackgroundCheckpointer {
 public:
  // Pages of WAL after which a checkpoint is requested (SQLite's own default).
  static constexpr int kDefaultThresholdPages = 1000;

  // Takes over checkpointing of `db` (a file database; ConfigError for
  // ":memory:", which has no WAL): installs a commit hook on it that wakes the
  // checkpoint thread once the WAL holds `threshold_pages` pages (ConfigError
  // unless > 0), and opens a second connection to the same file for that
  // thread (StorageError/DatabaseError as SqliteDatabase::open).
  explicit SqliteBackgroundCheckpointer(std::shared_ptr<SqliteDatabase> db,
                                        int threshold_pages = kDefaultThresholdPages);

  // Stops the thread (after the checkpoint in progress, if any) and gives
  // `db` its automatic checkpoint back.
  ~SqliteBackgroundCheckpointer();

  SqliteBackgroundCheckpointer(const SqliteBackgroundCheckpointer&) = delete;
  SqliteBackgroundCheckpointer& operator=(const SqliteBackgroundCheckpointer&) = delete;

  // Checkpoints that ran to completion (every WAL frame copied) so far.
  std::int64_t completed_checkpoints() const;

  // Requests a checkpoint now and waits until one more attempt has finished
  // (for tests and orderly shutdowns).
  void checkpoint_now();

 private:
  static int on_commit(void* self, struct sqlite3* connection, const char* schema, int wal_pages);
  void run();

  std::shared_ptr<SqliteDatabase> db_;
  std::shared_ptr<SqliteDatabase> worker_db_;
  int threshold_pages_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable attempted_;
  bool requested_ = false;
  bool stopping_ = false;
  bool running_ = false;
  std::int64_t attempts_ = 0;
  std::int64_t completed_ = 0;
  std::thread thread_;
};

}  // namespace contextweaver
