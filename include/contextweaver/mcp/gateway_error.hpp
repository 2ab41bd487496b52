// GatewayError (adapters/gateway_error.py; docs/gateway.md, "Error payloads"): the only error
// payload of the gateway and proxy meta-tools. It travels as the single text
// part of a CallToolResult with isError true; meta-tools never let an
// exception cross the MCP boundary.
#pragma once

#include <string>
#include <string_view>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

enum class GatewayErrorCode { path_invalid, path_not_found, args_invalid, upstream_error, hydrate_failed, view_failed };

// "PATH_INVALID", "PATH_NOT_FOUND", "ARGS_INVALID", "UPSTREAM_ERROR",
// "HYDRATE_FAILED", "VIEW_FAILED".
std::string_view to_string(GatewayErrorCode code);
// The inverse; ValueError "'X' is not a valid GatewayErrorCode" otherwise.
GatewayErrorCode parse_gateway_error_code(std::string_view code);

struct GatewayError {
  GatewayErrorCode code = GatewayErrorCode::args_invalid;
  std::string message;
  std::string path;               // the offending path, tool id or handle; "" when none
  Json details = Json::object();  // emitted only when non-empty

  // {"error": CODE, "message": …, "path": …[, "details": {…}]}.
  Json to_dict() const;
  // Missing message/path default to ""; KeyError without "error"; ValueError for an unknown code.
  static GatewayError from_dict(const Json& data);
  // The CallToolResult carrying it: {"content":[{"type":"text","text":<pyjson of to_dict()>}],"isError":true}.
  Json to_call_result() const;
  bool operator==(const GatewayError&) const = default;
};

// A CallToolResult with one text part: {"content":[{"type":"text","text":text}],"isError":is_error}.
Json text_call_result(const std::string& text, bool is_error);

}  // namespace contextweaver
