#include "session_marker.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "contextweaver/core/file_io.hpp"

namespace contextweaver::session_detail {

namespace {

constexpr const char* kHeader = "contextweaver session (docs/sessions.md#integrity)\n";

std::int64_t nanoseconds(const timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

}  // namespace

std::optional<FileStamp> stamp_of(const std::filesystem::path& path) noexcept {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                   static_cast<std::int64_t>(st.st_size), nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

SessionMarker read_marker(const std::filesystem::path& path) noexcept {
  SessionMarker marker;
  try {
    std::string text;
    if (const std::error_code ec = read_file(path, text)) {
      // Present but unreadable still means initialised: only a missing file is "not present".
      marker.present = ec != std::errc::no_such_file_or_directory;
      return marker;
    }
    marker.present = true;
    const std::size_t at = text.find("verified ");
    if (at == std::string::npos) return marker;
    unsigned long long device = 0, inode = 0;
    long long size = 0, mtime = 0, ctime = 0;
    if (std::sscanf(text.c_str() + at, "verified %llu %llu %lld %lld %lld", &device, &inode, &size, &mtime, &ctime) ==
        5) {
      marker.verified = FileStamp{device, inode, size, mtime, ctime};
    }
  } catch (...) {
    // allocation only: treat as present and unverified (a check runs)
    marker.present = true;
    marker.verified.reset();
  }
  return marker;
}

void write_marker(const std::filesystem::path& path, const std::optional<FileStamp>& verified) noexcept {
  try {
    std::string text = kHeader;
    if (verified) {
      text += fmt::format("verified {} {} {} {} {}\n", verified->device, verified->inode, verified->size,
                          verified->mtime_ns, verified->ctime_ns);
    }
    (void)write_file_atomic(path, text);
  } catch (...) {
    // best effort (see the header)
  }
}

}  // namespace contextweaver::session_detail
