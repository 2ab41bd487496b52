// Workspace: a place holding any number of named sessions, and the one type
// that opens them (docs/sessions.md). Every front end (the CLI, the MCP
// gateway, a service) opens sessions through it, so all of them share the
// layout, the name rules and the locking.
//
//   Workspace workspace(WorkspaceLocation::parse(".contextweaver"));
//   Session session = workspace.open(SessionName("support"), SessionAccess::read);
//   for (const auto& item : session.stores().events().all()) { ... }
//
// Layout of a folder workspace (docs/sessions.md#layout):
//   <root>/sessions/<name>/session.db    SQLite: event log, facts, episodes, artifact rows
//   <root>/sessions/<name>/artifacts/    JsonFileArtifactStore
//   <root>/sessions/<name>/.lock         the session's lock (SessionLock)
//   <root>/sessions/<name>/.initialised  marker: the database was initialised (docs/sessions.md#integrity)
//   <root>/.contextweaver-workspace      marker: contextweaver made this folder a workspace
//
// Thread-safety: a Workspace is an immutable value; its methods may be called
// from any number of threads. They act on the filesystem, so concurrent
// calls are ordered only by the session locks the caller takes.
#pragma once

#include <ctime>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "contextweaver/session/session_access.hpp"
#include "contextweaver/session/session_lock.hpp"
#include "contextweaver/session/session_name.hpp"
#include "contextweaver/session/session_stores.hpp"
#include "contextweaver/session/workspace_location.hpp"

namespace contextweaver {

class Session;

// What a session takes on disk.
struct SessionFootprint {
  std::int64_t size_bytes = 0;  // every file under the session folder
  std::time_t modified = 0;     // newest modification of session.db / session.db-wal (0: none)
};

class Workspace {
 public:
  // No filesystem access: a workspace folder is created with its first session.
  explicit Workspace(WorkspaceLocation location);

  const WorkspaceLocation& location() const noexcept { return location_; }
  // The workspace folder.
  const std::filesystem::path& root() const noexcept { return location_.path(); }

  // Where session `name` lives (it need not exist).
  std::filesystem::path sessions_dir() const { return root() / "sessions"; }
  std::filesystem::path session_dir(const SessionName& name) const { return sessions_dir() / name.str(); }
  std::filesystem::path database_path(const SessionName& name) const { return session_dir(name) / "session.db"; }
  std::filesystem::path artifacts_dir(const SessionName& name) const { return session_dir(name) / "artifacts"; }
  // The marker written once the session's database holds its schema
  // (docs/sessions.md#integrity).
  std::filesystem::path marker_path(const SessionName& name) const { return session_dir(name) / ".initialised"; }
  // The marker of a folder contextweaver made a workspace (docs/sessions.md#workspace-folders).
  std::filesystem::path workspace_marker_path() const { return root() / ".contextweaver-workspace"; }

  // Makes the folder a workspace (creating it when missing) even when it
  // holds other things: what `--init` asks for. StorageError when the folder
  // or its marker cannot be created.
  void initialise() const;

  // Whether session `name` has been created (its database exists). Never throws.
  bool exists(const SessionName& name) const noexcept;

  // Every session, sorted by name. Folders that are not valid session names
  // or hold neither a database nor the session marker are ignored; a folder
  // that cannot be searched (no permission) is listed, so opening it reports
  // why. StorageError when the sessions folder exists but cannot be read.
  std::vector<SessionName> list() const;

  // Creates the session's folders (not its database); StorageError naming
  // the folder and the system's reason when that fails (e.g. an unwritable
  // workspace, or a file where a folder should be). NotAWorkspaceError, with
  // nothing created, when the workspace folder exists, is not empty and is
  // not a workspace (docs/sessions.md#workspace-folders); a folder that is
  // accepted gets the workspace marker (best effort).
  void create(const SessionName& name) const;

  // Empties session `name`: removes its database (with SQLite's side files,
  // so a stale WAL is not replayed into the next one), its marker and its
  // artifacts, keeping the folder and its lock file. The caller holds the
  // session's exclusive lock; StorageError when a file cannot be removed.
  void clear(const SessionName& name) const;

  // The session's size on disk and last modification. Never throws
  // (unreadable files count as absent).
  SessionFootprint footprint(const SessionName& name) const noexcept;

  // Takes the session's lock, blocking until it is granted; `on_wait` is
  // called once first when another holder makes it wait. An exclusive lock
  // creates the session's folders when the lock file cannot be opened for
  // lack of them; StorageError when the lock file cannot be created, opened
  // or locked. A shared lock in a folder that cannot hold a lock file (a
  // read-only workspace) is skipped (not held()): nothing can write there.
  SessionLock lock(const SessionName& name, SessionLock::Mode mode, const LockWaitCallback& on_wait = {}) const;

  // The exclusive lock of a session that must still be there: as lock(),
  // but nothing is created; SessionReplacedError when the session's folder
  // is gone (what a recorder's write takes, docs/sessions.md#integrity).
  // With `wait` false, a lock another holder has is not waited for: the
  // result is then not held().
  SessionLock lock_existing(const SessionName& name, const LockWaitCallback& on_wait = {}, bool wait = true) const;

  // Opens the session's stores without locking: the caller holds the
  // session's lock (shared for read, exclusive otherwise). For `read` the
  // session must exist: ItemNotFoundError "Session 'x' not found in workspace
  // '…' (…)" naming the workspace's sessions otherwise, StorageError naming
  // the path when its folder cannot be searched (no permission); a reader
  // that cannot write the folder or the database opens it read-only. For
  // `write` and `record` its folders are created when missing (StorageError
  // and NotAWorkspaceError as create()). DatabaseError when session.db is
  // not a usable database; SessionDataLostError when an initialised
  // session's database is missing, empty or without schema;
  // SessionCorruptError when a writer's open finds it corrupt (the check
  // runs only when session.db changed since contextweaver last verified or
  // wrote it, docs/sessions.md#integrity). A writer's open writes the
  // session marker.
  SessionStores open_stores(const SessionName& name, SessionAccess access) const;

  // Opens session `name` for `access` (see SessionAccess): takes its lock
  // (calling `on_wait` as lock() does; for `record` only while opening and
  // around each write) and opens its stores. Throws what lock() and
  // open_stores() throw. The Session keeps a copy of this Workspace.
  Session open(const SessionName& name, SessionAccess access, LockWaitCallback on_wait = {}) const;

 private:
  WorkspaceLocation location_;
};

}  // namespace contextweaver
