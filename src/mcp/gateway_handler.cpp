#include "contextweaver/mcp/gateway_handler.hpp"

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/mcp/gateway_error.hpp"

namespace contextweaver {

GatewayHandler::GatewayHandler(std::shared_ptr<GatewayRuntime> runtime) : runtime_(std::move(runtime)) {}

Json GatewayHandler::list_tools() {
  return gateway_meta_tools();
}

Json GatewayHandler::call_tool(const std::string& name, const Json& arguments, std::stop_token cancel) {
  const Json args = arguments.is_null() ? Json::object() : arguments;
  try {
    if (name == "tool_browse") return runtime_->browse(args);
    if (name == "tool_execute") return runtime_->execute(args, cancel);
    if (name == "tool_view") return runtime_->view(args);
    return GatewayError{GatewayErrorCode::args_invalid,
                        "unknown meta-tool " + py_repr(name) + " (valid: ['tool_browse', 'tool_execute', 'tool_view'])",
                        "", Json::object()}
        .to_call_result();
  } catch (const std::exception& e) {
    return GatewayError{GatewayErrorCode::upstream_error, std::string("internal error: ") + e.what(), "",
                        Json::object()}
        .to_call_result();
  }
}

void GatewayHandler::set_list_changed_notifier(std::function<void()> notify) {
  runtime_->watch_upstream(std::move(notify));
}

}  // namespace contextweaver
