// Fuzzes the BPE tokenizer (tokens/bpe.hpp) with the real cl100k_base and
// o200k_base tables (found as the tests find them: the build tree's copy,
// cmake/Tokenizer.cmake, or $CONTEXTWEAVER_TOKENIZER_DIR). The first byte
// picks the table; checks that decode(encode(text)) gives back the text as
// decoded with U+FFFD replacement, and that count() agrees with encode.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/tokens/bpe.hpp"

using namespace contextweaver;

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

// Loaded once, before the first input (a table takes seconds under ASan, which
// must not count against -timeout); a missing table is a broken fuzz build.
std::shared_ptr<const BpeEncoding> cl100k;
std::shared_ptr<const BpeEncoding> o200k;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  cl100k = BpeEncoding::load("cl100k_base");
  o200k = BpeEncoding::load("o200k_base");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const BpeEncoding& encoding = (data[0] & 1) == 0 ? *cl100k : *o200k;
  const auto ordinary = encoding.encode_ordinary(text);
  require(encoding.count(text) == ordinary.size());
  const std::string expected = decode_utf8_replace(text);
  require(encoding.decode(ordinary) == expected);
  require(encoding.decode(encoding.encode_with_special_tokens(text)) == expected);
  return 0;
}
