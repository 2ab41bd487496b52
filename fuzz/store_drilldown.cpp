// Fuzzes drill-down selectors (store/drilldown.hpp) on a fuzzed artifact: the
// input's first line is the selector's JSON, the rest the artifact's bytes.
// Checks what backends rely on: the result is valid UTF-8, a store gives the
// same answer as apply_selector(), and the prefix a selector says it needs
// (selector_need, lines_prefix_length) gives the same answer as the whole.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/drilldown.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"

using namespace contextweaver;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string_view bytes = input.substr(newline + 1);
  Json selector;
  try {
    selector = loads(input.substr(0, newline));
  } catch (const ContextWeaverError&) {
    return 0;
  }
  const SelectorNeed need = selector_need(selector);  // never throws
  std::string whole;
  try {
    whole = apply_selector(bytes, selector);
  } catch (const ContextWeaverError&) {
    return 0;
  }
  require(is_valid_utf8(whole));

  InMemoryArtifactStore store;
  store.put("fuzz", bytes, "text/plain");
  require(store.drilldown("fuzz", selector) == whole);

  if (need.kind == SelectorNeed::prefix_bytes) {
    require(apply_selector(bytes.substr(0, std::min(need.count, bytes.size())), selector) == whole);
  } else if (need.kind == SelectorNeed::prefix_lines) {
    const std::size_t length = lines_prefix_length(bytes, need.count, true);
    require(length != std::string_view::npos && length <= bytes.size());
    require(apply_selector(bytes.substr(0, length), selector) == whole);
    // Read as a stream: a cut anywhere either asks for more or already knows.
    const std::size_t cut = bytes.empty() ? 0 : data[0] % (bytes.size() + 1);
    const std::size_t early = lines_prefix_length(bytes.substr(0, cut), need.count, false);
    if (early != std::string_view::npos) require(early == length);
  }
  return 0;
}
