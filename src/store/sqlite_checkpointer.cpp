#include "contextweaver/store/sqlite_checkpointer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"

namespace contextweaver {
namespace {
// How long a commit that hands the log over to a RESTART waits at most: the
// RESTART's own busy wait is ~50 ms, but it needs the lock only between two
// commits, and copying 4 × threshold frames first takes a few ms.
constexpr auto kHandoffWait = std::chrono::milliseconds(20);
}  // namespace

SqliteBackgroundCheckpointer::SqliteBackgroundCheckpointer(std::shared_ptr<SqliteDatabase> db, int threshold_pages)
    : db_(std::move(db)), threshold_pages_(threshold_pages) {
  if (!db_) throw ConfigError("SqliteBackgroundCheckpointer needs a database");
  if (db_->in_memory()) throw ConfigError("SqliteBackgroundCheckpointer needs a database file, not ':memory:'");
  if (threshold_pages_ <= 0) {
    throw ConfigError("SqliteBackgroundCheckpointer threshold must be > 0 pages, got " +
                      std::to_string(threshold_pages_));
  }
  if (threshold_pages_ > std::numeric_limits<int>::max() / 4) {
    throw ConfigError("SqliteBackgroundCheckpointer threshold is too large: " + std::to_string(threshold_pages_));
  }
  restart_pages_ = 4 * threshold_pages_;
  worker_db_ = SqliteDatabase::open(db_->path(), db_->options());
  {
    std::lock_guard lock(worker_db_->mutex());
    sqlite3_busy_handler(worker_db_->handle(), &SqliteBackgroundCheckpointer::on_busy, nullptr);
  }
  thread_ = std::thread([this] { run(); });
  std::lock_guard lock(db_->mutex());
  // Replaces the automatic checkpoint (itself a WAL hook) on this connection.
  sqlite3_wal_hook(db_->handle(), &SqliteBackgroundCheckpointer::on_commit, this);
}

SqliteBackgroundCheckpointer::~SqliteBackgroundCheckpointer() {
  {
    // Under the connection's mutex no commit is inside on_commit.
    std::lock_guard lock(db_->mutex());
    sqlite3_wal_autocheckpoint(db_->handle(), kDefaultThresholdPages);
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int SqliteBackgroundCheckpointer::on_commit(void* self, sqlite3* /*connection*/, const char* /*schema*/,
                                            int wal_pages) {
  auto* checkpointer = static_cast<SqliteBackgroundCheckpointer*>(self);
  std::unique_lock lock(checkpointer->mutex_);
  if (wal_pages < checkpointer->wal_frames_) {  // the log started over
    checkpointer->copied_frames_ = 0;
    checkpointer->handoff_frames_ = 0;
  }
  checkpointer->wal_frames_ = wal_pages;
  const bool restart = wal_pages >= checkpointer->restart_pages_;
  if (!restart && wal_pages - checkpointer->copied_frames_ < checkpointer->threshold_pages_) return SQLITE_OK;
  checkpointer->requested_ = true;
  checkpointer->wake_.notify_one();
  // A writer that never pauses takes the write lock again right after each
  // commit, so a RESTART polling for it may never get it (on a loaded machine
  // the log then grew to 25 MB in the bounded-log test). Once per
  // restart_pages of growth, this commit (its locks already released) waits
  // for the thread's next attempt, up to kHandoffWait.
  if (restart && wal_pages - checkpointer->handoff_frames_ >= checkpointer->restart_pages_) {
    checkpointer->handoff_frames_ = wal_pages;
    const std::int64_t target = checkpointer->attempts_ + (checkpointer->running_ ? 2 : 1);
    checkpointer->attempted_.wait_for(lock, kHandoffWait,
                                      [&] { return checkpointer->attempts_ >= target || checkpointer->stopping_; });
  }
  return SQLITE_OK;
}

void SqliteBackgroundCheckpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    running_ = true;
    const int mode = wal_frames_ >= restart_pages_ ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE;
    lock.unlock();
    int log_frames = -1;
    int copied_frames = -1;
    int rc = SQLITE_OK;
    {
      std::lock_guard db_lock(worker_db_->mutex());
      // A RESTART holds the write lock while it copies: copy the bulk first
      // without it, so the writer waits only for the last few frames.
      if (mode == SQLITE_CHECKPOINT_RESTART) {
        sqlite3_wal_checkpoint_v2(worker_db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      }
      rc = sqlite3_wal_checkpoint_v2(worker_db_->handle(), nullptr, mode, &log_frames, &copied_frames);
    }
    // BUSY: a lock was taken (a RESTART that found the writer mid-commit, or
    // another checkpointer); what could be copied was, and a later commit asks again.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      log_message(LogLevel::warning, "contextweaver.store",
                  std::string("background checkpoint of ") + worker_db_->path() + " failed: " + sqlite3_errstr(rc));
    }
    lock.lock();
    running_ = false;
    ++attempts_;
    // Frame counts belong to the log as it was; a log that started over since is smaller.
    if (copied_frames >= 0 && log_frames <= wal_frames_) copied_frames_ = std::max(copied_frames_, copied_frames);
    if (rc == SQLITE_OK && log_frames >= 0 && copied_frames == log_frames) ++completed_;
    attempted_.notify_all();
  }
}

// Only a RESTART waits (PASSIVE never calls the busy handler): for the write
// lock between two commits, and for readers to leave the log. Short sleeps,
// since a busy writer frees the lock only briefly; after ~50 ms it gives up
// (SQLITE_BUSY) and a later commit asks again.
int SqliteBackgroundCheckpointer::on_busy(void* /*unused*/, int attempts) {
  if (attempts >= 500) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(100));
  return 1;
}

std::int64_t SqliteBackgroundCheckpointer::completed_checkpoints() const {
  std::lock_guard lock(mutex_);
  return completed_;
}

void SqliteBackgroundCheckpointer::checkpoint_now() {
  std::unique_lock lock(mutex_);
  // An attempt already running may have started before the caller's last
  // commit: wait for the one after it.
  const std::int64_t target = attempts_ + (running_ ? 2 : 1);
  requested_ = true;
  wake_.notify_one();
  attempted_.wait(lock, [&] { return attempts_ >= target || stopping_; });
}

}  // namespace contextweaver
