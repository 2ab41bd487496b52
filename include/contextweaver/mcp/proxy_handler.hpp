// Proxy mode (docs/gateway.md, "Proxy listing"): every catalog tool listed
// under its canonical tool id with a bounded description and the sentinel
// inputSchema {"type":"object"}, sorted by tool id, then tool_hydrate and
// tool_execute.
//
// Calling a listed tool directly by its tool id is refused with an
// ARGS_INVALID GatewayError naming tool_execute, as the reference's own
// gateway design says (its server ran such calls; docs/compat.md, MCP): the listing's sentinel schema
// cannot carry the tool's arguments, so a direct call could never be
// validated as the agent expects.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "contextweaver/mcp/gateway_runtime.hpp"
#include "contextweaver/mcp/server.hpp"

namespace contextweaver {

// Thread-safe, as its GatewayRuntime: the server runs calls concurrently.
class ProxyHandler final : public McpToolHandler {
 public:
  explicit ProxyHandler(std::shared_ptr<GatewayRuntime> runtime);

  // stripped_tools() then proxy_meta_tools().
  Json list_tools() override;
  // tool_hydrate / tool_execute; a catalog tool id is refused (see above);
  // any other name: ARGS_INVALID "proxy mode does not expose meta-tool 'x'".
  Json call_tool(const std::string& name, const Json& arguments, std::stop_token cancel) override;
  // Fires after a refresh that changed the catalog (the listing changed).
  void set_list_changed_notifier(std::function<void()> notify) override;

 private:
  std::shared_ptr<GatewayRuntime> runtime_;
};

}  // namespace contextweaver
