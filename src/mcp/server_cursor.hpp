// Opaque tools/list cursors: base64url of "cw:<offset>". Private to the server.
#pragma once

#include <cstddef>
#include <string>

namespace contextweaver::mcp_detail {

std::string encode_cursor(std::size_t offset);
// False for anything encode_cursor did not produce.
bool decode_cursor(const std::string& cursor, std::size_t& offset);

}  // namespace contextweaver::mcp_detail
