#include "contextweaver/mcp/gateway_error.hpp"

#include <array>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

namespace {

constexpr std::array<std::pair<GatewayErrorCode, std::string_view>, 6> kCodes{{
    {GatewayErrorCode::path_invalid, "PATH_INVALID"},
    {GatewayErrorCode::path_not_found, "PATH_NOT_FOUND"},
    {GatewayErrorCode::args_invalid, "ARGS_INVALID"},
    {GatewayErrorCode::upstream_error, "UPSTREAM_ERROR"},
    {GatewayErrorCode::hydrate_failed, "HYDRATE_FAILED"},
    {GatewayErrorCode::view_failed, "VIEW_FAILED"},
}};

}  // namespace

std::string_view to_string(GatewayErrorCode code) {
  for (const auto& [c, name] : kCodes) {
    if (c == code) return name;
  }
  return "ARGS_INVALID";  // unreachable: every enumerator is listed
}

GatewayErrorCode parse_gateway_error_code(std::string_view code) {
  for (const auto& [c, name] : kCodes) {
    if (name == code) return c;
  }
  throw ValueError(py_repr(code) + " is not a valid GatewayErrorCode");
}

Json GatewayError::to_dict() const {
  Json out{{"error", std::string(to_string(code))}, {"message", message}, {"path", path}};
  if (details.is_object() && !details.empty()) out["details"] = details;
  return out;
}

GatewayError GatewayError::from_dict(const Json& data) {
  GatewayError error;
  error.code = parse_gateway_error_code(as_string(require_key(data, "error"), "error"));
  if (data.contains("message")) error.message = as_string(data["message"], "message");
  if (data.contains("path")) error.path = as_string(data["path"], "path");
  if (data.contains("details")) error.details = as_object(data["details"], "details");
  return error;
}

Json GatewayError::to_call_result() const {
  return text_call_result(dumps(to_dict()), true);
}

Json text_call_result(const std::string& text, bool is_error) {
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", text}}})}, {"isError", is_error}};
}

}  // namespace contextweaver
