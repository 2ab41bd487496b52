#include "fileio.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/file_io.hpp"
#include "contextweaver/core/posix_file.hpp"
#include "contextweaver/core/unicode.hpp"

namespace fs = std::filesystem;

namespace contextweaver::cli {

std::string read_file_bytes(const fs::path& path) {
  std::string bytes;
  if (const std::error_code error = contextweaver::read_file(path, bytes)) {
    const std::string reason = error == std::errc::is_a_directory ? "it is a folder" : error.message();
    throw StorageError(fmt::format("cannot read '{}': {}", path.string(), reason));
  }
  return bytes;
}

namespace {

// ValueError "<path>: not valid UTF-8 text (byte N)" unless `bytes`, read at
// file offset `base`, is UTF-8; the first bad byte is named so the user can find it.
void require_utf8_text(std::string_view bytes, const fs::path& path, std::uint64_t base) {
  if (is_valid_utf8(bytes)) return;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t start = pos;
    if (decode_code_point(bytes, pos) == kReplacementChar && bytes.substr(start, pos - start) != "\xEF\xBF\xBD") {
      throw ValueError(fmt::format("{}: not valid UTF-8 text (byte {})", path.string(), base + start));
    }
  }
  throw ValueError(fmt::format("{}: not valid UTF-8 text", path.string()));
}

[[noreturn]] void throw_read_error(const fs::path& path, int error) {
  const std::string reason = error == EISDIR ? "it is a folder" : std::strerror(error);
  throw StorageError(fmt::format("cannot read '{}': {}", path.string(), reason));
}

constexpr std::size_t kReadChunk = std::size_t{64} << 10;

}  // namespace

std::string read_text_file(const fs::path& path) {
  std::string bytes = read_file_bytes(path);
  require_utf8_text(bytes, path, 0);
  return bytes;
}

LineReader::LineReader(fs::path path, std::size_t max_line_bytes)
    : path_(std::move(path)), max_line_bytes_(max_line_bytes) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw_read_error(path_, errno);
  buffer_.resize(kReadChunk);
}

LineReader::~LineReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool LineReader::refill() {
  while (true) {
    const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
    if (n >= 0) {
      begin_ = 0;
      end_ = static_cast<std::size_t>(n);
      return n > 0;
    }
    if (errno != EINTR) throw_read_error(path_, errno);
  }
}

bool LineReader::next(std::string& segment) {
  segment.clear();
  while (true) {
    if (begin_ == end_ && !refill()) break;
    const char* start = buffer_.data() + begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    const std::size_t take = newline ? static_cast<std::size_t>(newline - start) + 1 : end_ - begin_;
    segment.append(start, take);
    begin_ += take;
    // The cap is checked as the segment grows: a line with no end never fills memory.
    if (segment.size() - (newline ? 1 : 0) > max_line_bytes_) {
      throw ValueError(fmt::format("{}:{}: line is longer than {} bytes (--max-line-bytes)", path_.string(), line_ + 1,
                                   max_line_bytes_));
    }
    if (newline) break;
  }
  if (segment.empty()) return false;
  require_utf8_text(segment, path_, offset_);
  offset_ += segment.size();
  ++line_;
  return true;
}

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  if (const std::error_code error = contextweaver::write_file_atomic(path, bytes)) {
    throw StorageError(fmt::format("cannot write '{}': {}", path.string(), error.message()));
  }
}

AtomicFileWriter::AtomicFileWriter(fs::path path) : path_(std::move(path)) {
  // The temporary name and mode of contextweaver::write_file_atomic (core/file_io.hpp).
  const fs::path dir = path_.has_parent_path() ? path_.parent_path() : fs::path(".");
  std::random_device random;
  temp_ = dir / fmt::format(".{}.tmp-{}-{:x}", path_.filename().string(), ::getpid(), random());
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int err = errno;
    temp_.clear();  // not ours: nothing to remove
    fail(err);
  }
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFileWriter::fail(int err) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  throw StorageError(fmt::format("cannot write '{}': {}", path_.string(), std::generic_category().message(err)));
}

void AtomicFileWriter::write(std::string_view bytes) {
  if (fd_ < 0) throw StorageError(fmt::format("cannot write '{}': the file is already closed", path_.string()));
  if (const int err = posix::write_all(fd_, bytes)) fail(err);
  written_ += bytes.size();
#ifdef __linux__
  // Start writing the last few MiB back now (asynchronously), so that the fsync
  // in commit() does not find the whole file still in memory. Only a hint:
  // its failure changes nothing, and fsync reports any I/O error.
  constexpr std::uint64_t kWriteBackChunk = 4u << 20;
  if (written_ - flushing_ >= kWriteBackChunk) {
    ::sync_file_range(fd_, static_cast<off_t>(flushing_), static_cast<off_t>(written_ - flushing_),
                      SYNC_FILE_RANGE_WRITE);
    flushing_ = written_;
  }
#endif
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) throw StorageError(fmt::format("cannot write '{}': the file is already closed", path_.string()));
  if (::fsync(fd_) != 0) fail(errno);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail(errno);
  if (::rename(temp_.c_str(), path_.c_str()) != 0) fail(errno);
  committed_ = true;
}

void check_output_destination(const fs::path& path) {
  const auto fail = [&](const std::string& reason) {
    throw StorageError(fmt::format("cannot write '{}': {}", path.string(), reason));
  };
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code error;
  const fs::file_status folder_status = fs::status(folder, error);
  if (!fs::exists(folder_status)) fail(fmt::format("the folder '{}' does not exist", folder.string()));
  if (!fs::is_directory(folder_status)) fail(fmt::format("'{}' is not a folder", folder.string()));
  // The temporary file is created in the folder, then renamed over the target.
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    fail(fmt::format("the folder '{}' is not writable: {}", folder.string(),
                     std::error_code(errno, std::generic_category()).message()));
  }
  if (fs::is_directory(fs::status(path, error))) fail("it is a folder");
}

}  // namespace contextweaver::cli
