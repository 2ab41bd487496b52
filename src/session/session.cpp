#include "contextweaver/session/session.hpp"

#include <mutex>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_checkpointer.hpp"
#include "contextweaver/session/session_errors.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "session_marker.hpp"

namespace contextweaver {

Session::Session(const Workspace& workspace, SessionName name, SessionAccess access, LockWaitCallback on_wait,
                 std::optional<SessionLock> lock, SessionStores stores)
    : workspace_(workspace),
      name_(std::move(name)),
      access_(access),
      on_wait_(std::move(on_wait)),
      lock_(std::move(lock)),
      stores_(std::move(stores)) {
  // Checkpoints run on their own thread, not inside the commit of whichever
  // recorded write crosses the WAL threshold (docs/storage.md).
  if (access_ == SessionAccess::record) checkpointer_ = std::make_unique<SqliteBackgroundCheckpointer>(stores_.db_);
}

Session::Session(Session&&) noexcept = default;

Session::~Session() {
  // A writer records session.db as it leaves it, so the next writer's open
  // skips the integrity check (docs/sessions.md#integrity). Best effort.
  if (access_ == SessionAccess::read || !stores_.db_) return;
  try {
    checkpointer_.reset();
    std::optional<SessionLock> lock;
    if (access_ == SessionAccess::record) {
      // Never waits in a destructor: when busy, the next writer's open checks instead.
      lock.emplace(workspace_.lock_existing(name_, {}, false));
      if (!lock->held()) return;
    }
    SqliteDatabase& db = *stores_.db_;
    std::lock_guard guard(db.mutex());
    if (db.replaced_on_disk()) return;
    // Copies the log into the file now, so closing (which checkpoints too) leaves the file as stamped.
    db.checkpoint_passive();
    session_detail::write_marker(workspace_.marker_path(name_),
                                 session_detail::stamp_of(workspace_.database_path(name_)));
  } catch (...) {
    // the stamp only saves the next open a check
  }
}

void Session::check_on_disk() const {
  SqliteDatabase& db = *stores_.db_;
  std::lock_guard guard(db.mutex());
  if (db.replaced_on_disk()) {
    throw SessionReplacedError(
        "Session " + py_repr(name_.str()) + " was removed or replaced on disk: " + py_repr(db.path()) +
        " is no longer the database this process opened; nothing was written. Reopen the session to write to it");
  }
}

void Session::write(const std::function<void()>& body) {
  if (access_ == SessionAccess::read) {
    throw ValueError("Session " + py_repr(name_.str()) + " was opened for reading; open it for writing to write");
  }
  std::optional<SessionLock> lock;
  // Nothing is re-created for a session removed since it was opened.
  if (access_ == SessionAccess::record) lock.emplace(workspace_.lock_existing(name_, on_wait_));
  // Under the lock: a writer never writes into a file no one else can see.
  check_on_disk();
  // One commit per write: e.g. a recorded result's artifacts and event together.
  run_in_transaction(*stores_.db_, body);
}

}  // namespace contextweaver
