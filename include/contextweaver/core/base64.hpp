// Standard base64 (RFC 4648, with padding): artifact bytes inside JSON (the
// in-memory store's dict form, MCP blob resources).
#pragma once

#include <string>
#include <string_view>

namespace contextweaver {

// base64.b64encode(bytes).
std::string base64_encode(std::string_view bytes);

// Strict decode (Python base64.b64decode(validate=True)); ValueError on any
// character outside the alphabet, bad padding or a length not a multiple of 4.
std::string base64_decode(std::string_view text);

// The same decode into `out` (its capacity reused, for loops over many short
// texts): false instead of the ValueError.
bool base64_decode_to(std::string_view text, std::string& out);

}  // namespace contextweaver
