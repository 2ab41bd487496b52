// Fuzzes the JSON reader (core/json.hpp loads(): nesting depth, numbers,
// string escapes and surrogates) and checks that what it accepts prints back
// stably: dumps(loads(dumps(v))) == dumps(v) in every output form, since
// stored JSON columns are re-read and re-written (docs/reliability.md#fuzzing).
// The check holds for UTF-8 text, which is what JSON is: loads() keeps raw
// invalid bytes (a peer may send any), and dumps() prints each as U+FFFD, so
// two such keys may print alike and sort differently once re-read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/unicode.hpp"

using contextweaver::DumpOptions;
using contextweaver::dumps;
using contextweaver::Json;
using contextweaver::loads;

namespace {

void check_stable(const Json& value, const DumpOptions& options) {
  const std::string once = dumps(value, options);
  const std::string twice = dumps(loads(once), options);  // what we print, we must read
  if (once != twice) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Json value;
  try {
    value = loads(text);
  } catch (const contextweaver::ContextWeaverError&) {
    return 0;  // rejected input: the error type is the contract
  }
  (void)dumps(value);  // prints whatever it read
  if (!contextweaver::is_valid_utf8(text)) return 0;
  check_stable(value, DumpOptions{});
  check_stable(value, DumpOptions{true, -1, true});
  check_stable(value, DumpOptions{false, 2, true});
  check_stable(value, DumpOptions{true, 0, false});
  return 0;
}
