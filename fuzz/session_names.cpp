// Fuzzes the parsers of what a user names (session/session_name.hpp,
// session/workspace_location.hpp): the first byte picks the parser. A session
// name is accepted exactly when is_valid() says so, and an accepted name is
// valid UTF-8 without '/' that is neither "." nor "..".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/session/session_name.hpp"
#include "contextweaver/session/workspace_location.hpp"

using namespace contextweaver;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    const bool valid = SessionName::is_valid(text);
    try {
      const SessionName name(text);
      require(valid && name.str() == text);
      require(is_valid_utf8(text) && text.find('/') == std::string_view::npos && text != "." && text != "..");
    } catch (const ContextWeaverError&) {
      require(!valid);
    }
  } else {
    try {
      const WorkspaceLocation location = WorkspaceLocation::parse(text);
      (void)location.display();
    } catch (const ContextWeaverError&) {
    }
  }
  return 0;
}
