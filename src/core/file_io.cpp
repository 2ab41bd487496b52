#include "contextweaver/core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>

#include <fmt/format.h>

#include "contextweaver/core/posix_file.hpp"

namespace fs = std::filesystem;

namespace contextweaver {
namespace {

std::error_code os_error(int err) {
  return {err, std::generic_category()};
}

}  // namespace

std::error_code read_file(const fs::path& path, std::string& out) {
  out.clear();
  const posix::Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file) return os_error(errno);
  struct stat info {};
  if (::fstat(file.get(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return os_error(EISDIR);
    if (S_ISREG(info.st_mode)) out.reserve(static_cast<std::size_t>(info.st_size));
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error(errno);
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code write_file_atomic(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::random_device random;
  const fs::path temp = dir / fmt::format(".{}.tmp-{}-{:x}", path.filename().string(), ::getpid(), random());
  posix::Fd file(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!file) return os_error(errno);
  const auto fail = [&](int err) {
    ::unlink(temp.c_str());
    return os_error(err);
  };
  if (const int err = posix::write_all(file.get(), bytes)) return fail(err);
  if (::fsync(file.get()) != 0) return fail(errno);
  if (::close(file.release()) != 0) return fail(errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail(errno);
  return {};
}

std::string os_error_text(std::error_code error, const std::string& path) {
  return "[Errno " + std::to_string(error.value()) + "] " + error.message() + ": '" + path + "'";
}

}  // namespace contextweaver
