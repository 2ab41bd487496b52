// Fuzzes the JSONL event parser of `ingest --events` (src/cli/jsonl_events.*):
// any text either parses into items or fails with a ContextWeaverError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "jsonl_events.hpp"
#include "contextweaver/core/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto items = contextweaver::cli::parse_jsonl_events(text, "fuzz.jsonl");
    for (const auto& item : items) (void)item.to_dict();
  } catch (const contextweaver::ContextWeaverError&) {
  }
  return 0;
}
