// Session: one open workspace session: its lock and its stores
// (docs/sessions.md). Made by Workspace::open.
//
// Thread-safety: stores() may be used from several threads as SessionStores
// allows; write() may be called from several threads (each call takes the
// lock and its own transaction; the database serializes them). Moving or
// destroying a Session while another thread uses it is not allowed.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "contextweaver/session/session_access.hpp"
#include "contextweaver/session/session_lock.hpp"
#include "contextweaver/session/session_name.hpp"
#include "contextweaver/session/session_stores.hpp"
#include "contextweaver/session/workspace.hpp"

namespace contextweaver {

class SqliteBackgroundCheckpointer;

class Session {
 public:
  Session(Session&&) noexcept;
  // Not assignable: a Session's lock outlives its stores, which an
  // assignment could not keep.
  Session& operator=(Session&&) = delete;
  // Stops the background checkpoints (record); for a writer, records
  // session.db's state in the session marker (docs/sessions.md#integrity);
  // closes the stores, then releases the lock.
  ~Session();

  const Workspace& workspace() const noexcept { return workspace_; }
  const SessionName& name() const noexcept { return name_; }
  SessionAccess access() const noexcept { return access_; }
  SessionStores& stores() noexcept { return stores_; }
  const SessionStores& stores() const noexcept { return stores_; }

  // Runs `body` (which writes through stores()) as one write: inside one
  // database transaction (committed when it returns, rolled back when it
  // throws, the exception propagating), and for `record` under the session's
  // exclusive lock, taken for the call's duration (calling the open's
  // on_wait when it has to wait; StorageError when it cannot be taken).
  // ValueError for a session opened for `read`. SessionReplacedError, with
  // nothing written or re-created, when the session's folder or session.db
  // is no longer the one this Session opened (removed, or replaced e.g. by
  // `contextweaver demo` resetting it).
  void write(const std::function<void()>& body);

 private:
  // SessionReplacedError unless session.db at its path is the open file.
  void check_on_disk() const;

  friend class Workspace;
  Session(const Workspace& workspace, SessionName name, SessionAccess access, LockWaitCallback on_wait,
          std::optional<SessionLock> lock, SessionStores stores);

  Workspace workspace_;
  SessionName name_;
  SessionAccess access_;
  LockWaitCallback on_wait_;
  // Declared before the stores: released after they are closed.
  std::optional<SessionLock> lock_;
  SessionStores stores_;
  std::unique_ptr<SqliteBackgroundCheckpointer> checkpointer_;  // record only
};

}  // namespace contextweaver
