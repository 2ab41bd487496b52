#include "fileio.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/file_io.hpp"
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
  if (const std::error_code error = contextweaver::write_file_atomic(path, bytes)) {
    throw StorageError(fmt::format("cannot write '{}': {}", path.string(), error.message()));
  }
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
