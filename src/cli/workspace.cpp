#include "workspace.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/posix_file.hpp"
#include "contextweaver/core/unicode.hpp"

namespace fs = std::filesystem;

namespace contextweaver::cli {

namespace {

bool ends_with_json(std::string_view value) {
  return value.size() >= 5 && value.substr(value.size() - 5) == ".json";
}

}  // namespace

void validate_session_name(std::string_view name) {
  if (name.empty()) throw ValueError("Invalid session name '': it must be non-empty");
  const std::string quoted = py_repr(name);
  if (name == "." || name == "..") throw ValueError(fmt::format("Invalid session name {}", quoted));
  if (name.size() > 128) throw ValueError(fmt::format("Invalid session name {}: longer than 128 bytes", quoted));
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || byte < 0x20 || byte == 0x7f) {
      throw ValueError(
          fmt::format("Invalid session name {}: it contains a path separator or control character", quoted));
    }
  }
  if (ends_with_json(name)) {
    throw ValueError(fmt::format("Invalid session name {}: a name ending in '.json' means a session file", quoted));
  }
}

bool looks_like_session_file(std::string_view value) {
  return value.find('/') != std::string_view::npos || value.find('\\') != std::string_view::npos ||
         ends_with_json(value);
}

Workspace::Workspace(fs::path root) : root_(std::move(root)) {}

fs::path Workspace::session_dir(std::string_view name) const {
  validate_session_name(name);
  return sessions_dir() / fs::path(std::string(name));
}

bool Workspace::session_exists(std::string_view name) const {
  std::error_code ec;
  return fs::is_regular_file(database_path(name), ec);
}

void Workspace::create_session_dirs(std::string_view name) const {
  for (const fs::path& dir : {session_dir(name), artifacts_dir(name)}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw StorageError(fmt::format("cannot create folder '{}': {}", dir.string(), ec.message()));
    if (!fs::is_directory(dir, ec)) throw StorageError(fmt::format("'{}' exists and is not a folder", dir.string()));
  }
}

std::vector<std::string> Workspace::list_sessions() const {
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(sessions_dir(), ec)) return names;
  fs::directory_iterator it(sessions_dir(), ec);
  if (ec) throw StorageError(fmt::format("cannot read folder '{}': {}", sessions_dir().string(), ec.message()));
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    try {
      validate_session_name(name);
    } catch (const ValueError&) {
      continue;
    }
    if (session_exists(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void Workspace::clear_session(std::string_view name) const {
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

SessionLock::SessionLock(const Workspace& workspace, std::string_view session, Mode mode,
                         void (*on_wait)(std::string_view)) {
  const bool exclusive = mode == Mode::exclusive;
  const fs::path path = workspace.session_dir(session) / ".lock";
  const int operation = exclusive ? LOCK_EX : LOCK_SH;
  bool waited = false;
  // A lock file removed and re-created while we waited is a different file:
  // retry until the locked file is the one at the path.
  for (;;) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR) && exclusive) {
      // The session's folders are made only when missing: the gateway locks
      // around every recorded call, and stat-ing them each time was ~10% of
      // its CPU per call.
      workspace.create_session_dirs(session);
      fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd < 0 && !exclusive) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (!exclusive) return;  // nothing can write a session that cannot hold a lock file
      throw StorageError(fmt::format("cannot open lock file '{}': {}", path.string(), posix::errno_text(err)));
    }
    if (::flock(fd, operation | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK && on_wait != nullptr && !waited) {
        waited = true;
        on_wait(session);
      }
      while (::flock(fd, operation) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd);
        throw StorageError(fmt::format("cannot lock '{}': {}", path.string(), posix::errno_text(err)));
      }
    }
    struct stat held {};
    struct stat current {};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &current) == 0 && held.st_ino == current.st_ino &&
        held.st_dev == current.st_dev) {
      fd_ = fd;
      return;
    }
    ::close(fd);
    if (!exclusive) return;
    workspace.create_session_dirs(session);
  }
}

SessionLock::~SessionLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace contextweaver::cli
