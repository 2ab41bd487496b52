#include "contextweaver/session/session_name.hpp"

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

namespace {

bool ends_with_json(std::string_view value) {
  return value.size() >= 5 && value.substr(value.size() - 5) == ".json";
}

// The rule `name` breaks, as the ValueError's message; empty when it is valid.
std::string problem(std::string_view name) {
  if (name.empty()) return "Invalid session name '': it must be non-empty";
  if (name == "." || name == "..") return fmt::format("Invalid session name {}", py_repr(name));
  if (name.size() > 128) return fmt::format("Invalid session name {}: longer than 128 bytes", py_repr(name));
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || byte < 0x20 || byte == 0x7f) {
      return fmt::format("Invalid session name {}: it contains a path separator or control character", py_repr(name));
    }
  }
  if (!is_valid_utf8(name)) {
    return fmt::format("Invalid session name {}: it is not valid UTF-8", py_repr(decode_utf8_replace(name)));
  }
  // Names are printed as text: nothing a terminal would act on or that reorders the line it is on.
  for (std::size_t pos = 0; pos < name.size();) {
    const char32_t cp = decode_code_point(name, pos);
    if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      return fmt::format("Invalid session name {}: it contains a control or bidirectional formatting character",
                         py_repr(name));
    }
  }
  if (ends_with_json(name)) {
    return fmt::format("Invalid session name {}: a name ending in '.json' means a session file", py_repr(name));
  }
  return {};
}

}  // namespace

SessionName::SessionName(std::string_view name) {
  std::string message = problem(name);
  if (!message.empty()) throw ValueError(message);
  name_ = std::string(name);
}

bool SessionName::is_valid(std::string_view name) noexcept {
  try {
    return problem(name).empty();
  } catch (...) {
    return false;  // only allocation can fail here
  }
}

}  // namespace contextweaver
