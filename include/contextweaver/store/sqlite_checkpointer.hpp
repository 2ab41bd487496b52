// SqliteBackgroundCheckpointer: moves WAL checkpoints off the writer's path.
//
// In WAL mode SQLite copies the log back into the database file (a checkpoint)
// inside whichever commit crosses wal_autocheckpoint pages (1,000 by
// default). That commit then pays for copying ~4 MiB and, at synchronous
// NORMAL, for two fsyncs: a writer that answers requests (the MCP gateway
// records every call) sees it as a latency spike of several milliseconds once
// every few hundred commits. SQLite's documentation suggests the remedy used
// here: turn the automatic checkpoint off on the writing connection and
// checkpoint from another thread on a connection of its own.
//
// PASSIVE checkpoints (which never block the writer) copy the log as it grows.
// They cannot by themselves keep the log file small: SQLite starts the log
// over only when a write begins while every frame has been copied, and a
// writer that commits while each checkpoint runs never sees that moment (a
// busy gateway's log grew to 200 MB that way). So once the log holds
// 4 × threshold frames, the thread copies what it can, then runs a RESTART
// checkpoint: it takes the write lock between two commits (waiting up to
// ~50 ms for one), copies the last frames, and the next write starts the log
// over. A writer that never pauses would rarely leave it that moment, so the
// commit that finds the log at 4 × threshold frames (once per 4 × threshold
// frames of growth) waits, up to 20 ms, for that attempt: one short stall per
// 4 × threshold frames of a writer that never pauses.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver {

// Thread-safe: completed_checkpoints() and checkpoint_now() may be called from
// any thread (a mutex guards the counters the checkpoint thread updates); the
// commit hook runs on whichever thread commits on `db`.
class SqliteBackgroundCheckpointer {
 public:
  // Frames not yet copied after which a checkpoint is requested (SQLite's
  // own autocheckpoint default).
  static constexpr int kDefaultThresholdPages = 1000;

  // Takes over checkpointing of `db` (a file database; ConfigError for
  // ":memory:", which has no WAL): installs a commit hook on it that wakes the
  // checkpoint thread once `threshold_pages` frames of the log are not yet
  // copied (ConfigError unless > 0), and opens a second connection to the
  // same file for that thread (StorageError/DatabaseError as
  // SqliteDatabase::open). Once the log holds 4 × threshold_pages frames the
  // thread restarts it (see above), which bounds the log file near that size.
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
  static int on_busy(void* unused, int attempts);
  void run();

  std::shared_ptr<SqliteDatabase> db_;
  std::shared_ptr<SqliteDatabase> worker_db_;
  int threshold_pages_;
  int restart_pages_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable attempted_;
  bool requested_ = false;
  bool stopping_ = false;
  bool running_ = false;
  std::int64_t attempts_ = 0;
  std::int64_t completed_ = 0;
  int wal_frames_ = 0;      // frames in the log at the last commit
  int copied_frames_ = 0;   // frames of the current log already copied
  int handoff_frames_ = 0;  // log size when a commit last waited for a RESTART
  std::thread thread_;
};

}  // namespace contextweaver
