// Fuzzes the gateway config loader (mcp/gateway_config.hpp) as
// load_gateway_config reads a file: the first byte picks JSON (even) or YAML
// (odd), the rest is the document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/yaml.hpp"
#include "contextweaver/mcp/gateway_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const contextweaver::Json document =
        (data[0] & 1) == 0 ? contextweaver::loads(text) : contextweaver::parse_yaml(text);
    (void)contextweaver::parse_gateway_config(document, "fuzz-gateway");
  } catch (const contextweaver::ContextWeaverError&) {
  }
  return 0;
}
