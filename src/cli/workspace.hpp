// The CLI's workspace: a folder (./.contextweaver by default) that holds any
// number of named sessions.
//
// Layout (docs/cli.md):
//   <workspace>/sessions/<name>/session.db    SQLite: event log, facts, episodes
//   <workspace>/sessions/<name>/artifacts/    JsonFileArtifactStore
//   <workspace>/sessions/<name>/.lock         flock()ed by every process using the session
//
// Writers hold the lock exclusively and readers share it, so concurrent ingests
// into one session run one after the other and a reader never sees a
// half-applied ingest.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace contextweaver::cli {

// ValueError unless `name` can be a session folder name: non-empty, at most 128
// bytes, not "." or "..", no '/', '\\', NUL or other control character, and not
// ending in ".json" (so `--session x.json` can only mean a session file).
void validate_session_name(std::string_view name);

// True when `value` given to --session names a session JSON file rather than a
// workspace session: it contains a path separator or ends in ".json".
bool looks_like_session_file(std::string_view value);

class Workspace {
 public:
  explicit Workspace(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path sessions_dir() const { return root_ / "sessions"; }

  // The folder of session `name` (validated; need not exist).
  std::filesystem::path session_dir(std::string_view name) const;
  std::filesystem::path database_path(std::string_view name) const { return session_dir(name) / "session.db"; }
  std::filesystem::path artifacts_dir(std::string_view name) const { return session_dir(name) / "artifacts"; }

  // Whether session `name` has been created (its database exists).
  bool session_exists(std::string_view name) const;

  // Creates the session's folders; StorageError naming the folder and the
  // system's reason when that fails (e.g. an unwritable workspace).
  void create_session_dirs(std::string_view name) const;

  // The names of every session, sorted. Folders that are not valid session
  // names or hold no database are ignored.
  std::vector<std::string> list_sessions() const;

  // Removes the session's data (database and artifacts), keeping the folder
  // and its lock file. The caller holds the session's exclusive lock.
  void clear_session(std::string_view name) const;

 private:
  std::filesystem::path root_;
};

// An flock() on a session's lock file, released on destruction.
class SessionLock {
 public:
  enum class Mode { shared, exclusive };

  // Blocks until the lock is granted; `on_wait` is called once first when
  // another process holds it. An exclusive lock creates the session folders
  // when the session has none (it does not re-check them otherwise);
  // StorageError when the lock file cannot be created or opened. A shared lock
  // on a folder that cannot hold a lock file (read-only workspace) is skipped:
  // nobody can write there either.
  SessionLock(const Workspace& workspace, std::string_view session, Mode mode,
              void (*on_wait)(std::string_view) = nullptr);
  ~SessionLock();
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace contextweaver::cli
