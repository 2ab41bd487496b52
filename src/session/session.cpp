#include "contextweaver/session/session.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_checkpointer.hpp"
#include "contextweaver/store/sqlite_database.hpp"

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
Session::~Session() = default;

void Session::write(const std::function<void()>& body) {
  if (access_ == SessionAccess::read) {
    throw ValueError("Session " + py_repr(name_.str()) + " was opened for reading; open it for writing to write");
  }
  std::optional<SessionLock> lock;
  if (access_ == SessionAccess::record) lock.emplace(workspace_.lock(name_, SessionLock::Mode::exclusive, on_wait_));
  // One commit per write: e.g. a recorded result's artifacts and event together.
  run_in_transaction(*stores_.db_, body);
}

}  // namespace contextweaver
