#include "posix_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace contextweaver::store_detail {

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

int read_prefix(int fd, std::size_t limit, std::size_t size_hint, std::string& out) {
  out.clear();
  std::size_t want = std::min(limit, size_hint);
  // One extra byte lets a file that grew be noticed without a second syscall.
  out.resize(want == limit ? want : want + 1);
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (got >= limit) break;
      out.resize(std::min(limit, std::max<std::size_t>(out.size() * 2, 4096)));
    }
    const ssize_t n = ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(got));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    // A short read of a regular file means end of file on Linux local file
    // systems; stopping here saves a syscall per read.
    if (got < out.size()) break;
  }
  out.resize(got);
  return 0;
}

int write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

int sole_open(int fd) {
  // The kernel grants a write lease only when no other open file description
  // (of any process) refers to the file. It is released at once: the check is
  // all we need, and a lease held across ftruncate/fsync could conflict with
  // ourselves. Should another program open the file in between, the lease
  // break would signal us with SIGIO, whose default action terminates the
  // process; F_SETSIG makes it SIGURG, which is ignored by default.
  if (::fcntl(fd, F_SETSIG, SIGURG) != 0) return errno;
  if (::fcntl(fd, F_SETLEASE, F_WRLCK) != 0) return errno;
  ::fcntl(fd, F_SETLEASE, F_UNLCK);
  return 0;
}

}  // namespace contextweaver::store_detail
