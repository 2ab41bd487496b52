// Reading input files and writing output files for the CLI, with the
// CLI's error messages (the file work itself is core/file_io.hpp).
#pragma once

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

// Replaces `path` with `bytes` atomically: a temporary file in the same folder
// is written, flushed to disk and renamed over the target, so a crash leaves
// the old file or the new one, never a mix. StorageError on failure (the
// temporary file is removed).
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// Checks, before a command changes anything, that write_file_atomic(path, …)
// can succeed as far as can be known: the folder exists, is a folder and is
// writable, and `path` is not a folder. StorageError
// "cannot write '<path>': <reason>" otherwise.
void check_output_destination(const std::filesystem::path& path);

}  // namespace contextweaver::cli
