#include "sqlite_read_snapshot.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver::store_detail {
namespace {

using Clock = std::chrono::steady_clock;

class IdleSnapshotThread {
 public:
  IdleSnapshotThread() : thread_([this] { run(); }) {}

  void watch(std::weak_ptr<SqliteDatabase> db, Clock::time_point when) {
    {
      std::lock_guard lock(mutex_);
      due_.emplace_back(std::move(db), when);
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (due_.empty()) {
        wake_.wait(lock);
        continue;
      }
      const auto next = std::min_element(due_.begin(), due_.end(), [](const auto& a, const auto& b) {
                          return a.second < b.second;
                        })->second;
      if (Clock::now() < next) {
        wake_.wait_until(lock, next);
        continue;  // woken early (a new entry) or on time: look again
      }
      // Take the due entries; call them without our lock (they take theirs with try_lock).
      const auto now = Clock::now();
      std::vector<std::weak_ptr<SqliteDatabase>> ready;
      for (auto it = due_.begin(); it != due_.end();) {
        if (it->second <= now) {
          ready.push_back(std::move(it->first));
          it = due_.erase(it);
        } else {
          ++it;
        }
      }
      lock.unlock();
      std::vector<std::pair<std::weak_ptr<SqliteDatabase>, Clock::time_point>> again;
      for (auto& weak : ready) {
        // The last owner may drop the database while we hold it: it is then
        // destroyed here, which is fine (nobody else can use it).
        if (auto db = weak.lock()) {
          if (auto when = db->release_idle_snapshot()) again.emplace_back(std::move(weak), *when);
        }
      }
      lock.lock();
      for (auto& entry : again) due_.push_back(std::move(entry));
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::pair<std::weak_ptr<SqliteDatabase>, Clock::time_point>> due_;
  std::thread thread_;
};

// One per process, never destroyed (databases may outlive static
// destruction); a forked child, which has no copy of the thread, makes its own.
IdleSnapshotThread& instance() {
  static std::mutex mutex;
  static IdleSnapshotThread* current = nullptr;
  static pid_t owner = 0;
  std::lock_guard lock(mutex);
  if (current == nullptr || owner != ::getpid()) {
    current = new IdleSnapshotThread();
    owner = ::getpid();
  }
  return *current;
}

}  // namespace

void watch_read_snapshot(std::weak_ptr<SqliteDatabase> db, Clock::time_point first_check) {
  instance().watch(std::move(db), first_check);
}

}  // namespace contextweaver::store_detail
