// Workspace::lock and the SessionLock it returns (docs/sessions.md#lock).
#include "contextweaver/session/session_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/posix_file.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/session/session_errors.hpp"
#include "contextweaver/session/workspace.hpp"

namespace fs = std::filesystem;

namespace contextweaver {

SessionLock::~SessionLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

SessionLock::SessionLock(SessionLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

SessionLock& SessionLock::operator=(SessionLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

namespace {

// The session's folder is gone: a recorder must not re-create it.
[[noreturn]] void throw_removed(const SessionName& name, const fs::path& dir) {
  throw SessionReplacedError(fmt::format(
      "Session {} was removed: its folder '{}' no longer exists; nothing was written (and nothing re-created)",
      py_repr(name.str()), dir.string()));
}

enum class Locked { held, would_block, replaced };

// Takes `operation` (LOCK_SH or LOCK_EX) on `fd`, waiting (reporting the wait
// once through on_wait) unless `wait` is false, then checks that the locked
// file is still the one at `path`: one removed and re-created while we waited
// is a different file. On anything but `held` the descriptor is closed.
Locked flock_current(int fd, int operation, bool wait, const fs::path& path, const SessionName& name,
                     const LockWaitCallback& on_wait, bool& waited) {
  if (::flock(fd, operation | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK && !wait) {
      ::close(fd);
      return Locked::would_block;
    }
    if (errno == EWOULDBLOCK && on_wait && !waited) {
      waited = true;
      on_wait(name);
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
    return Locked::held;
  }
  ::close(fd);
  return Locked::replaced;
}

}  // namespace

SessionLock Workspace::lock_existing(const SessionName& name, const LockWaitCallback& on_wait, bool wait) const {
  const fs::path path = session_dir(name) / ".lock";
  bool waited = false;
  for (;;) {
    // O_CREAT makes only the lock file, in a folder that must exist.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int err = errno;
      if (err == ENOENT || err == ENOTDIR) throw_removed(name, session_dir(name));
      throw StorageError(fmt::format("cannot open lock file '{}': {}", path.string(), posix::errno_text(err)));
    }
    switch (flock_current(fd, LOCK_EX, wait, path, name, on_wait, waited)) {
      case Locked::held:
        return SessionLock(fd);
      case Locked::would_block:
        return SessionLock(-1);
      case Locked::replaced:
        break;  // removed or replaced while we waited: retry on the one at the path
    }
  }
}

SessionLock Workspace::lock(const SessionName& name, SessionLock::Mode mode, const LockWaitCallback& on_wait) const {
  const bool exclusive = mode == SessionLock::Mode::exclusive;
  const fs::path path = session_dir(name) / ".lock";
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
      create(name);
      fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd < 0 && !exclusive) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (!exclusive) return SessionLock(-1);  // nothing can write a session that cannot hold a lock file
      throw StorageError(fmt::format("cannot open lock file '{}': {}", path.string(), posix::errno_text(err)));
    }
    if (flock_current(fd, operation, true, path, name, on_wait, waited) == Locked::held) return SessionLock(fd);
    // Replaced while we waited (flock_current closed it): retry on the one at the path.
    if (!exclusive) return SessionLock(-1);
    create(name);
  }
}

}  // namespace contextweaver
