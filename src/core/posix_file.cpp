#include "contextweaver/core/posix_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace contextweaver::posix {

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

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

}  // namespace contextweaver::posix
