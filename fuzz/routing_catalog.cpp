// Fuzzes the tool catalog loader (routing/catalog.hpp): the first byte picks
// JSON (even) or YAML (odd), the rest is the document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const auto items = (data[0] & 1) == 0 ? contextweaver::parse_catalog_json(text, "fuzz.json")
                                          : contextweaver::parse_catalog_yaml(text, "fuzz.yaml");
    for (const auto& item : items) (void)contextweaver::item_text(item);
  } catch (const contextweaver::ContextWeaverError&) {
  }
  return 0;
}
