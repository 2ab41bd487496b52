#include "contextweaver/mcp/proxy_handler.hpp"

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/mcp/gateway_error.hpp"

namespace contextweaver {

ProxyHandler::ProxyHandler(std::shared_ptr<GatewayRuntime> runtime) : runtime_(std::move(runtime)) {}

Json ProxyHandler::list_tools() {
  Json tools = runtime_->stripped_tools();
  for (const auto& meta : proxy_meta_tools()) tools.push_back(meta);
  return tools;
}

Json ProxyHandler::call_tool(const std::string& name, const Json& arguments, std::stop_token cancel) {
  const Json args = arguments.is_null() ? Json::object() : arguments;
  try {
    if (name == "tool_hydrate") return runtime_->hydrate(args);
    if (name == "tool_execute") return runtime_->execute(args, cancel);
    if (!runtime_->raw_name_of(name).empty()) {
      return GatewayError{GatewayErrorCode::args_invalid,
                          "direct calls are not supported in proxy mode: call tool_execute with tool_id " +
                              py_repr(name) + " (tool_hydrate gives its schema)",
                          name, Json::object()}
          .to_call_result();
    }
    return GatewayError{GatewayErrorCode::args_invalid, "proxy mode does not expose meta-tool " + py_repr(name), "",
                        Json::object()}
        .to_call_result();
  } catch (const std::exception& e) {
    return GatewayError{GatewayErrorCode::upstream_error, std::string("internal error: ") + e.what(), "",
                        Json::object()}
        .to_call_result();
  }
}

void ProxyHandler::set_list_changed_notifier(std::function<void()> notify) {
  runtime_->watch_upstream(std::move(notify));
}

}  // namespace contextweaver
