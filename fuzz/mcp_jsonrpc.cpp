// Fuzzes the JSON-RPC line framing (src/mcp/jsonrpc.*): the input is read
// through a LineReader with a small line limit (so oversized lines occur),
// and every line's JSON is written back with to_line(). Checks the framing's
// promises: no line returned is longer than the limit or holds a newline, and
// a written message is one line of valid UTF-8.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "jsonrpc.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/unicode.hpp"

using namespace contextweaver;
using mcp_detail::LineReader;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

// The input as a file descriptor, as the server reads its stdin.
int input_fd(const std::uint8_t* data, std::size_t size) {
  static const int fd = ::memfd_create("fuzz-input", MFD_CLOEXEC);
  require(fd >= 0 && ::ftruncate(fd, 0) == 0);
  require(::pwrite(fd, data, size, 0) == static_cast<ssize_t>(size));
  require(::lseek(fd, 0, SEEK_SET) == 0);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = 256;
  LineReader reader(input_fd(data, size), kLimit);
  std::string line;
  for (;;) {
    const LineReader::Result result = reader.next(line);
    if (result == LineReader::Result::eof) break;
    require(result == LineReader::Result::line || result == LineReader::Result::oversized);
    if (result == LineReader::Result::oversized) continue;
    require(line.size() <= kLimit && line.find('\n') == std::string::npos);
    Json message;
    try {
      message = loads(line);
    } catch (const ContextWeaverError&) {
      continue;
    }
    const std::string out = mcp_detail::to_line(message);
    require(!out.empty() && out.back() == '\n' && out.find('\n') == out.size() - 1);
    require(is_valid_utf8(out));
  }
  return 0;
}
