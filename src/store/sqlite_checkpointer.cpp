#include "contextweaver/store/sqlite_checkpointer.hpp"

#include <sqlite3.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"

namespace contextweaver {

SqliteBackgroundCheckpointer::SqliteBackgroundCheckpointer(std::shared_ptr<SqliteDatabase> db, int threshold_pages)
    : db_(std::move(db)), threshold_pages_(threshold_pages) {
  if (!db_) throw ConfigError("SqliteBackgroundCheckpointer needs a database");
  if (db_->in_memory()) throw ConfigError("SqliteBackgroundCheckpointer needs a database file, not ':memory:'");
  if (threshold_pages_ <= 0) {
    throw ConfigError("SqliteBackgroundCheckpointer threshold must be > 0 pages, got " +
                      std::to_string(threshold_pages_));
  }
  worker_db_ = SqliteDatabase::open(db_->path(), db_->options());
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
  if (wal_pages >= checkpointer->threshold_pages_) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->requested_ = true;
    }
    checkpointer->wake_.notify_one();
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
    lock.unlock();
    int log_frames = -1;
    int copied_frames = -1;
    int rc = SQLITE_OK;
    {
      std::lock_guard db_lock(worker_db_->mutex());
      rc = sqlite3_wal_checkpoint_v2(worker_db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                     &copied_frames);
    }
    // BUSY: another connection is checkpointing; the next commit asks again.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      log_message(LogLevel::warning, "contextweaver.store",
                  std::string("background checkpoint of ") + worker_db_->path() + " failed: " + sqlite3_errstr(rc));
    }
    lock.lock();
    running_ = false;
    ++attempts_;
    if (rc == SQLITE_OK && log_frames >= 0 && copied_frames == log_frames) ++completed_;
    attempted_.notify_all();
  }
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
