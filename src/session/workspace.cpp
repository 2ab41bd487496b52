#include "contextweaver/session/workspace.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/session/session.hpp"

namespace fs = std::filesystem;

namespace contextweaver {

Workspace::Workspace(WorkspaceLocation location) : location_(std::move(location)) {}

bool Workspace::exists(const SessionName& name) const noexcept {
  std::error_code ec;
  return fs::is_regular_file(database_path(name), ec);
}

void Workspace::create(const SessionName& name) const {
  for (const fs::path& dir : {session_dir(name), artifacts_dir(name)}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw StorageError(fmt::format("cannot create folder '{}': {}", dir.string(), ec.message()));
    if (!fs::is_directory(dir, ec)) throw StorageError(fmt::format("'{}' exists and is not a folder", dir.string()));
  }
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
    if (exists(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

void Workspace::clear(const SessionName& name) const {
  const fs::path dir = session_dir(name);
  // The SQLite side files go with the database: a stale -wal would be replayed
  // into the fresh one.
  for (const char* file : {"session.db", "session.db-wal", "session.db-shm", "session.db-journal"}) {
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
  if (access != SessionAccess::read) {
    create(name);
  } else if (!exists(name)) {
    const auto sessions = list();
    std::string known = sessions.empty() ? "it has no sessions yet" : "its sessions: ";
    for (std::size_t i = 0; i < sessions.size(); ++i) known += (i > 0 ? ", " : "") + sessions[i].str();
    throw ItemNotFoundError(
        fmt::format("Session {} not found in workspace '{}' ({})", py_repr(name.str()), root().string(), known));
  }
  return SessionStores(database_path(name), artifacts_dir(name));
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
