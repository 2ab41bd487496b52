#include "fileio.hpp"

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

}  // namespace contextweaver::cli
