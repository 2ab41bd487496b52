// tokenize() for the build's hot path: identical results to core tokenize(),
// with a byte-level fast path for ASCII text (the common case). Non-ASCII
// text goes through core tokenize(), because Unicode lower-casing can turn a
// non-ASCII character into ASCII letters (U+0130 -> "i\u0307", U+212A -> "k").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace contextweaver {

// set(tokenize_list(text)) as a sorted vector of unique tokens.
std::vector<std::string> tokenize_fast(std::string_view text);

}  // namespace contextweaver
