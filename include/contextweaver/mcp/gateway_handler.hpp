// Gateway mode (docs/gateway.md, "Meta-tools"): the MCP server offers exactly three
// meta-tools, tool_browse, tool_execute and tool_view, over a GatewayRuntime.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "contextweaver/mcp/gateway_runtime.hpp"
#include "contextweaver/mcp/server.hpp"

namespace contextweaver {

// Thread-safe, as its GatewayRuntime: the server runs calls concurrently.
class GatewayHandler final : public McpToolHandler {
 public:
  explicit GatewayHandler(std::shared_ptr<GatewayRuntime> runtime);

  // The three meta-tools (gateway_meta_tools()).
  Json list_tools() override;
  // Dispatches a meta-tool. Any other name: ARGS_INVALID "unknown meta-tool
  // 'x' (valid: ['tool_browse', 'tool_execute', 'tool_view'])". Never throws:
  // an unexpected exception becomes an UPSTREAM_ERROR payload.
  Json call_tool(const std::string& name, const Json& arguments, std::stop_token cancel) override;
  // The tool list itself never changes, but the catalog behind tool_browse
  // does: `notify` fires after a refresh that changed it.
  void set_list_changed_notifier(std::function<void()> notify) override;

 private:
  std::shared_ptr<GatewayRuntime> runtime_;
};

}  // namespace contextweaver
