// Fuzzes reading a session JSON file (src/cli/session_json.*, json_input.*,
// session_import.*): the document parse of `replay --session f.json` and the
// reference's restore into a ContextManager (events, facts, episodes), and
// the whole-file check `import` runs before it writes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "json_input.hpp"
#include "session_import.hpp"
#include "session_json.hpp"
#include "contextweaver/core/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const contextweaver::Json session = contextweaver::cli::load_json_document(text, "fuzz.json");
    (void)contextweaver::cli::restore_manager(session, "fuzz.json", 4000);
  } catch (const contextweaver::ContextWeaverError&) {
  }
  try {
    (void)contextweaver::cli::parse_import_file(text, "fuzz.json");
  } catch (const contextweaver::ContextWeaverError&) {
  }
  return 0;
}
