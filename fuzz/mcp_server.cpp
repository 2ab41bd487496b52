// Fuzzes the MCP server's message handling (mcp/server.hpp): the input is a
// whole session, read from a file descriptor as from stdin, served by
// McpStdioServer with an in-memory tool handler; answers go to /dev/null.
// Whatever the client sends, run() returns (0: both descriptors work) and
// nothing escapes it.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stop_token>
#include <string>

#include "contextweaver/core/json.hpp"
#include "contextweaver/mcp/server.hpp"

using namespace contextweaver;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

// Two tools; "echo" returns its arguments, "fail" throws (an internal error).
class FuzzHandler final : public McpToolHandler {
 public:
  Json list_tools() override {
    return Json::array({Json{{"name", "echo"}, {"description", "Echo"}, {"inputSchema", {{"type", "object"}}}},
                        Json{{"name", "fail"}, {"description", "Fail"}, {"inputSchema", {{"type", "object"}}}}});
  }
  Json call_tool(const std::string& name, const Json& arguments, std::stop_token) override {
    if (name == "fail") throw std::runtime_error("tool failed");
    if (notify_ && name == "echo" && arguments.contains("notify")) notify_();
    return Json{{"content", Json::array({Json{{"type", "text"}, {"text", arguments.dump()}}})}, {"isError", false}};
  }
  void set_list_changed_notifier(std::function<void()> notify) override { notify_ = std::move(notify); }

 private:
  std::function<void()> notify_;
};

int input_fd(const std::uint8_t* data, std::size_t size) {
  static const int fd = ::memfd_create("fuzz-input", MFD_CLOEXEC);
  require(fd >= 0 && ::ftruncate(fd, 0) == 0);
  require(::pwrite(fd, data, size, 0) == static_cast<ssize_t>(size));
  require(::lseek(fd, 0, SEEK_SET) == 0);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  FuzzHandler handler;
  McpServerOptions options;
  options.page_size = 1;  // cursors on every list
  options.max_line_bytes = 4096;
  options.max_concurrent_calls = 2;
  McpStdioServer server(handler, options);
  require(server.run(input_fd(data, size), out) == 0);
  return 0;
}
