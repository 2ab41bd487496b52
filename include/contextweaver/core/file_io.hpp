// Whole-file reads and atomic whole-file writes, for the files the routing
// module, the gateway and the CLI read and write. Failures come back as the OS
// error, not as an exception, because each caller words them its own way (the
// catalog loader as Python's OSError, the CLI as "cannot read '<path>': …").
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace contextweaver {

// Reads the whole file at `path` into `out` (bytes as stored). Returns an
// empty error_code, or the OS error (std::errc::is_a_directory for a folder);
// `out` is unspecified then.
std::error_code read_file(const std::filesystem::path& path, std::string& out);

// Replaces `path` with `bytes` atomically: a temporary file in the same folder
// is written, flushed to disk and renamed over the target, so a crash leaves
// the old file or the new one, never a mix. The new file's mode is 0666 less
// the umask (as Python's open()). Returns an empty error_code, or the OS error
// (the temporary file is removed).
std::error_code write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// str(OSError) for a failure on `path`, as Python prints it:
// "[Errno 2] No such file or directory: 'p'".
std::string os_error_text(std::error_code error, const std::string& path);

}  // namespace contextweaver
