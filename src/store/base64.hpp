// Standard base64 (RFC 4648, with padding), for artifact bytes inside JSON.
#pragma once

#include <string>
#include <string_view>

namespace contextweaver::store_detail {

std::string base64_encode(std::string_view bytes);

// Strict decode (Python base64.b64decode(validate=True)); ValueError on any
// character outside the alphabet, bad padding or a length not a multiple of 4.
std::string base64_decode(std::string_view text);

}  // namespace contextweaver::store_detail
