#include "fileio.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace fs = std::filesystem;

namespace contextweaver::cli {

namespace {

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// Closes a descriptor on every path out of a function.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string read_file_bytes(const fs::path& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw StorageError(fmt::format("cannot read '{}': {}", path.string(), errno_text(errno)));
  struct stat info {};
  if (::fstat(file.fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    throw StorageError(fmt::format("cannot read '{}': it is a folder", path.string()));
  }
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw StorageError(fmt::format("cannot read '{}': {}", path.string(), errno_text(errno)));
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return bytes;
}

std::string read_text_file(const fs::path& path) {
  std::string bytes = read_file_bytes(path);
  if (!is_valid_utf8(bytes)) {
    // Name the first bad byte so the user can find it.
    std::size_t pos = 0;
    while (pos < bytes.size()) {
      const std::size_t start = pos;
      if (decode_code_point(bytes, pos) == kReplacementChar &&
          std::string_view(bytes).substr(start, pos - start) != "\xEF\xBF\xBD") {
        throw ValueError(fmt::format("{}: not valid UTF-8 text (byte {})", path.string(), start));
      }
    }
    throw ValueError(fmt::format("{}: not valid UTF-8 text", path.string()));
  }
  return bytes;
}

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::random_device random;
  const fs::path temp = dir / fmt::format(".{}.tmp-{}-{:x}", path.filename().string(), ::getpid(), random());
  Fd file{::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
  if (file.fd < 0) throw StorageError(fmt::format("cannot write '{}': {}", path.string(), errno_text(errno)));
  const auto fail = [&](int err) {
    ::unlink(temp.c_str());
    throw StorageError(fmt::format("cannot write '{}': {}", path.string(), errno_text(err)));
  };
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(file.fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(file.fd) != 0) fail(errno);
  const int fd = file.fd;
  file.fd = -1;
  if (::close(fd) != 0) fail(errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) fail(errno);
}

}  // namespace contextweaver::cli
