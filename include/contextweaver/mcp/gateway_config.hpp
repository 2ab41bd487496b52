// The gateway's config file: the "mcpServers" shape desktop agent clients
// already use, in JSON or YAML (by extension: .yaml/.yml is YAML, anything
// else JSON). Documented in docs/gateway.md.
//
//   {"mcpServers": {"files": {"command": "npx", "args": ["-y", "…"],
//                             "env": {"K": "V"}, "cwd": "/tmp", "timeout": 30}},
//    "contextweaver": {"session": "gateway", "workspace": ".contextweaver",
//                      "top_k": 10, "firewall_threshold": 2000}}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/mcp/stdio_upstream.hpp"

namespace contextweaver {

struct GatewayConfig {
  std::vector<UpstreamServerConfig> servers;  // in file order
  // The optional "contextweaver" section; empty values mean "the CLI's default".
  std::optional<std::string> session;
  std::optional<std::string> workspace;
  std::int64_t top_k = 10;
  std::int64_t firewall_threshold = 2000;
};

// ConfigError naming the file and the field ("gateway.json: mcpServers.files.args
// must be an array of strings") for every shape error; JsonDecodeError / a YAML
// error with the line for syntax errors; StorageError when unreadable.
GatewayConfig load_gateway_config(const std::string& path);
// The same from an already parsed document; `origin` names it in messages.
GatewayConfig parse_gateway_config(const Json& document, const std::string& origin);

}  // namespace contextweaver
