// Fuzzes reading a session JSON file (src/cli/session_json.*, json_input.*):
// the document parse of `import`/`replay --session f.json`, then the
// reference's restore into a ContextManager (events, facts, episodes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "json_input.hpp"
#include "session_json.hpp"
#include "contextweaver/core/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const contextweaver::Json session = contextweaver::cli::load_json_document(text, "fuzz.json");
    (void)contextweaver::cli::restore_manager(session, "fuzz.json", 4000);
  } catch (const contextweaver::ContextWeaverError&) {
  }
  return 0;
}
