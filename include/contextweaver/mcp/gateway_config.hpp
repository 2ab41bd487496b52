// The gateway's config file: the "mcpServers" shape desktop agent clients
// already use, in JSON or YAML (by extension: .yaml/.yml is YAML, anything
// else JSON). Documented in docs/gateway.md.
//
//   {"mcpServers": {"files": {"command": "npx", "args": ["-y", "…"],
//                             "env": {"K": "V"}, "cwd": "/tmp", "timeout": 30}},
//    "contextweaver": {"session": "gateway", "workspace": ".contextweaver",
//                      "top_k": 10, "firewall_threshold": 2000}}
//
// Only "mcpServers" is read at the top level; other top-level keys (a desktop
// client's whole config file) are ignored. There is no "servers" alias. In a
// server entry: "command" (required, non-empty string), "args" (array of
// strings), "env" (object of strings), "cwd" (string), "timeout" (seconds,
// number > 0, at most 1e6), "type" (only "stdio"); client-only keys
// "autoApprove", "alwaysAllow", "description", "disabledTools" are ignored;
// any other key, or an entry with "url", is a ConfigError. In
// "contextweaver": "session", "workspace" (non-empty strings), "top_k",
// "firewall_threshold" (integers >= 1); other keys are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/mcp/stdio_upstream.hpp"

namespace contextweaver {

// A plain value (what a config file says).
struct GatewayConfig {
  std::vector<UpstreamServerConfig> servers;  // in file order
  // The optional "contextweaver" section; empty values mean "the CLI's default".
  std::optional<std::string> session;
  std::optional<std::string> workspace;
  std::int64_t top_k = 10;
  std::int64_t firewall_threshold = 2000;
};

// ConfigError naming the file and the field ("gateway.json: mcpServers.files.args
// must be an array of strings") for every shape error; for syntax errors
// JsonDecodeError "<path>: <Python's message>" (JSON) or ConfigError
// "<path>: line L, column C: <problem>" (YAML); StorageError when unreadable.
GatewayConfig load_gateway_config(const std::string& path);
// The same from an already parsed document; `origin` names it in messages.
GatewayConfig parse_gateway_config(const Json& document, const std::string& origin);

}  // namespace contextweaver
