// SessionLock: the per-session lock that serializes writers and keeps
// readers from seeing half of a write (docs/sessions.md#lock).
//
// It is an flock() on <session folder>/.lock, so it is held per open file:
// two locks taken in one process exclude each other exactly as two processes
// do, and a process that dies releases its locks. Taken with Workspace::lock.
//
// Thread-safety: a SessionLock may be released (destroyed) on any thread;
// one object is not to be used from two threads at once.
#pragma once

#include <functional>

#include "contextweaver/session/session_name.hpp"

namespace contextweaver {

class Workspace;

// Called once, before blocking, when another holder makes a lock request
// wait (a front end tells its user why nothing happens).
using LockWaitCallback = std::function<void(const SessionName&)>;

class SessionLock {
 public:
  enum class Mode { shared, exclusive };

  // Released on destruction (closing the descriptor releases the flock);
  // never throws. A moved-from lock holds nothing.
  ~SessionLock();
  SessionLock(SessionLock&& other) noexcept;
  SessionLock& operator=(SessionLock&& other) noexcept;
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

  // Whether a lock is held (false only for a shared lock on a folder that
  // cannot hold a lock file, see Workspace::lock).
  bool held() const noexcept { return fd_ >= 0; }

 private:
  friend class Workspace;
  explicit SessionLock(int fd) noexcept : fd_(fd) {}

  int fd_ = -1;
};

}  // namespace contextweaver
