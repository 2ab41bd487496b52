// Reading input files and writing output files for the CLI, with the
// CLI's error messages (the file work itself is core/file_io.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace contextweaver::cli {

// The whole file. StorageError "cannot read '<path>': <reason>" when it is
// missing, a folder or unreadable.
std::string read_file_bytes(const std::filesystem::path& path);

// The whole file as UTF-8 text (Python read_text(encoding="utf-8")):
// ValueError "<path>: not valid UTF-8 text (byte N)" otherwise.
std::string read_text_file(const std::filesystem::path& path);

// Reads a text file one newline-terminated segment at a time, so a huge file
// (or /dev/zero) is never held whole: memory is bounded by the longest
// segment, and a segment longer than `max_line_bytes` is an error instead of
// growing without bound (docs/cli.md#ingest).
class LineReader {
 public:
  // StorageError "cannot read '<path>': <reason>" when it cannot be opened.
  LineReader(std::filesystem::path path, std::size_t max_line_bytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next segment, up to and including its '\n' (the file's last segment
  // may have none); false at the end of the file. StorageError when reading
  // fails ("it is a folder", I/O errors); ValueError "<path>:<line>: line is
  // longer than <max> bytes (--max-line-bytes)" and "<path>: not valid UTF-8
  // text (byte N)", with <line> counting '\n' from 1.
  bool next(std::string& segment);

 private:
  bool refill();

  std::filesystem::path path_;
  std::size_t max_line_bytes_;
  int fd_ = -1;
  std::string buffer_;
  std::size_t begin_ = 0;  // unread bytes of buffer_: [begin_, end_)
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;  // file offset of the next segment's first byte
  std::uint64_t line_ = 0;    // segments returned so far
};

// Replaces `path` with `bytes` atomically: a temporary file in the same folder
// is written, flushed to disk and renamed over the target, so a crash leaves
// the old file or the new one, never a mix. StorageError on failure (the
// temporary file is removed).
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// write_file_atomic for output produced piece by piece (a streamed export),
// so the whole text is never held: write() appends to a temporary file in the
// target's folder, commit() flushes it to disk and renames it over `path`.
// Destroyed without commit() (a failure, an exception) the temporary file is
// removed and `path` is untouched. StorageError "cannot write '<path>':
// <reason>" from each step. Write-back to disk is started as the file grows,
// so commit()'s flush waits only for the last part.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(std::string_view bytes);
  void commit();

 private:
  [[noreturn]] void fail(int err);

  std::filesystem::path path_;
  std::filesystem::path temp_;
  int fd_ = -1;  // open until commit() or failure
  bool committed_ = false;
  std::uint64_t written_ = 0;   // bytes written so far
  std::uint64_t flushing_ = 0;  // bytes whose write-back to disk was started
};

// Checks, before a command changes anything, that write_file_atomic(path, …)
// can succeed as far as can be known: the folder exists, is a folder and is
// writable, and `path` is not a folder. StorageError
// "cannot write '<path>': <reason>" otherwise.
void check_output_destination(const std::filesystem::path& path);

}  // namespace contextweaver::cli
