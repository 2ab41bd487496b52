#pragma once

#include <string>
#include <string_view>

namespace contextweaver {

// Lowercase hex SHA-256 of the bytes (hashlib.sha256(b).hexdigest()).
std::string sha256_hex(std::string_view bytes);

}  // namespace contextweaver
