#include "contextweaver/session/workspace.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/file_io.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/core/posix_file.hpp"
#include "contextweaver/session/session.hpp"
#include "contextweaver/session/session_errors.hpp"
#include "session_marker.hpp"

namespace fs = std::filesystem;

namespace contextweaver {

namespace {

constexpr const char* kWorkspaceMarkerText = "contextweaver workspace (docs/sessions.md#workspace-folders)\n";

// errno of stat(path): 0 when it exists.
int stat_errno(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? 0 : errno;
}

// Whether a folder that is not empty is a workspace made by an older version,
// which wrote nothing but sessions/ (docs/sessions.md#workspace-folders).
bool is_older_workspace(const fs::path& root) {
  std::error_code ec;
  bool has_sessions = false;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (entry == "sessions" && it->is_directory(ec)) {
      has_sessions = true;
    } else if (entry.find(session_detail::kWorkspaceMarkerName) == std::string::npos) {
      // The marker's own temporary file, written by a process creating the
      // workspace at the same moment, does not make the folder foreign.
      return false;
    }
  }
  return !ec && has_sessions;
}

}  // namespace

Workspace::Workspace(WorkspaceLocation location) : location_(std::move(location)) {}

void Workspace::initialise() const {
  std::error_code ec;
  fs::create_directories(root(), ec);
  if (ec) throw StorageError(fmt::format("cannot create folder '{}': {}", root().string(), ec.message()));
  if (const std::error_code write_ec = write_file_atomic(workspace_marker_path(), kWorkspaceMarkerText)) {
    throw StorageError(fmt::format("cannot create '{}': {}", workspace_marker_path().string(), write_ec.message()));
  }
}

bool Workspace::exists(const SessionName& name) const noexcept {
  std::error_code ec;
  return fs::is_regular_file(database_path(name), ec);
}

void Workspace::create(const SessionName& name) const {
  // A folder that holds other things is not silently made a workspace
  // (`--workspace /` would create /sessions): only a new or empty folder,
  // one with the marker, or an older version's workspace.
  bool mark = false;
  if (stat_errno(workspace_marker_path()) != 0) {
    std::error_code ec;
    if (!fs::exists(root(), ec) || fs::is_empty(root(), ec) || is_older_workspace(root())) {
      mark = true;
    } else if (fs::is_directory(root(), ec) && stat_errno(workspace_marker_path()) != 0) {
      throw NotAWorkspaceError(fmt::format(
          "'{}' is not a contextweaver workspace: the folder holds other files and no '{}' marker; give a new or "
          "empty folder, or pass --init to make this one a workspace",
          root().string(), workspace_marker_path().filename().string()));
    }
  }
  for (const fs::path& dir : {session_dir(name), artifacts_dir(name)}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw StorageError(fmt::format("cannot create folder '{}': {}", dir.string(), ec.message()));
    if (!fs::is_directory(dir, ec)) throw StorageError(fmt::format("'{}' exists and is not a folder", dir.string()));
  }
  if (mark) (void)write_file_atomic(workspace_marker_path(), kWorkspaceMarkerText);  // best effort
}

std::vector<SessionName> Workspace::list() const {
  std::vector<SessionName> names;
  std::error_code ec;
  if (!fs::is_directory(sessions_dir(), ec)) return names;
  fs::directory_iterator it(sessions_dir(), ec);
  if (ec) throw StorageError(fmt::format("cannot read folder '{}': {}", sessions_dir().string(), ec.message()));
  for (const auto& entry : it) {
    const std::string folder = entry.path().filename().string();
    if (!SessionName::is_valid(folder)) continue;
    SessionName name(folder);
    // EACCES: a folder we may not search is listed, so opening it says why.
    const int database = stat_errno(database_path(name));
    if (database == 0 || database == EACCES || stat_errno(marker_path(name)) == 0) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

void Workspace::clear(const SessionName& name) const {
  const fs::path dir = session_dir(name);
  // The SQLite side files go with the database: a stale -wal would be replayed
  // into the fresh one.
  // The marker goes too: the next database is a new session, not a lost one.
  for (const char* file :
       {"session.db", "session.db-wal", "session.db-shm", "session.db-journal", session_detail::kSessionMarkerName}) {
    std::error_code ec;
    fs::remove(dir / file, ec);
    if (ec) throw StorageError(fmt::format("cannot remove '{}': {}", (dir / file).string(), ec.message()));
  }
  std::error_code ec;
  fs::remove_all(artifacts_dir(name), ec);
  if (ec) throw StorageError(fmt::format("cannot remove '{}': {}", artifacts_dir(name).string(), ec.message()));
}

SessionFootprint Workspace::footprint(const SessionName& name) const noexcept {
  SessionFootprint result;
  const fs::path dir = session_dir(name);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) result.size_bytes += static_cast<std::int64_t>(size);
    }
  }
  for (const char* file : {"session.db", "session.db-wal"}) {
    struct stat info {};
    if (::stat((dir / file).c_str(), &info) == 0 && info.st_mtime > result.modified) result.modified = info.st_mtime;
  }
  return result;
}

SessionStores Workspace::open_stores(const SessionName& name, SessionAccess access) const {
  namespace sd = session_detail;
  const fs::path database = database_path(name);
  const auto lost = [&](const std::string& how) {
    return SessionDataLostError(fmt::format(
        "The session database '{}' {}, but the session was initialised (see '{}'): its contents were lost; nothing "
        "was written. Restore it from a backup, or remove the session folder to start over",
        database.string(), how, marker_path(name).string()));
  };
  SessionStores::OpenChecks checks;
  if (access == SessionAccess::read) {
    std::error_code ec;
    const int database_errno = stat_errno(database);
    if (database_errno == EACCES) {
      throw StorageError(fmt::format("Cannot read session {}: permission denied on '{}'", py_repr(name.str()),
                                     session_dir(name).string()));
    }
    checks.initialised = stat_errno(marker_path(name)) == 0;
    if (checks.initialised && database_errno == 0 && fs::file_size(database, ec) == 0 && !ec) {
      throw lost("is empty (0 bytes)");
    }
    if (database_errno != 0) {
      if (checks.initialised) throw lost("is missing");
      const auto sessions = list();
      std::string known = sessions.empty() ? "it has no sessions yet" : "its sessions: ";
      for (std::size_t i = 0; i < sessions.size(); ++i) known += (i > 0 ? ", " : "") + sessions[i].str();
      throw ItemNotFoundError(
          fmt::format("Session {} not found in workspace '{}' ({})", py_repr(name.str()), root().string(), known));
    }
    // A reader that may not write opens read-only: SQLite would otherwise
    // fail with "attempt to write a readonly database" (docs/sessions.md#read-only-use).
    checks.read_only = ::access(session_dir(name).c_str(), W_OK) != 0 || ::access(database.c_str(), W_OK) != 0;
    checks.reading = true;
    return SessionStores(database, artifacts_dir(name), checks);
  }
  create(name);
  const sd::SessionMarker marker = sd::read_marker(marker_path(name));
  const std::optional<sd::FileStamp> before = sd::stamp_of(database);
  checks.initialised = marker.present;
  if (marker.present && !before) throw lost("is missing");
  if (marker.present && before->size == 0) throw lost("is empty (0 bytes)");
  // The integrity check is O(database size): only when something other than
  // contextweaver changed the file since it was last verified or written.
  checks.verify = before && before->size > 0 && (!marker.verified || *marker.verified != *before);
  SessionStores stores(database, artifacts_dir(name), checks);
  if (!marker.present || checks.verify) sd::write_marker(marker_path(name), sd::stamp_of(database));
  return stores;
}

Session Workspace::open(const SessionName& name, SessionAccess access, LockWaitCallback on_wait) const {
  const auto mode = access == SessionAccess::read ? SessionLock::Mode::shared : SessionLock::Mode::exclusive;
  SessionLock lock = this->lock(name, mode, on_wait);
  SessionStores stores = open_stores(name, access);
  std::optional<SessionLock> held;
  // A recorder holds no lock between its writes (Session::write takes it).
  if (access != SessionAccess::record) held.emplace(std::move(lock));
  return Session(*this, name, access, std::move(on_wait), std::move(held), std::move(stores));
}

}  // namespace contextweaver
