// Small POSIX file helpers: an owning file descriptor, EINTR-safe whole
// reads and writes that report errno, and errno's text. Shared by the
// file-backed stores, core/file_io and the CLI's workspace lock.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace contextweaver::posix {

// Owns a file descriptor; closes it on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Reads up to `limit` bytes from offset 0 (the whole file when limit is
// npos) into `out`. Returns 0 or an errno value. `size_hint` (from fstat)
// sizes the buffer; the file is read until EOF or `limit` regardless. A
// short read is taken as end of file (true of regular files).
int read_prefix(int fd, std::size_t limit, std::size_t size_hint, std::string& out);

// Writes all bytes. Returns 0 or an errno value.
int write_all(int fd, std::string_view bytes);

// strerror(err): the OS's text for an errno value ("No such file or
// directory"), as Python's OSError.strerror.
std::string errno_text(int err);

}  // namespace contextweaver::posix
