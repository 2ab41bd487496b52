// error_call_result and StubUpstream (upstream.hpp).
#include "contextweaver/mcp/upstream.hpp"

#include <exception>
#include <mutex>
#include <utility>

namespace contextweaver {

Json error_call_result(const std::string& text) {
  Json part = Json::object();
  part["type"] = "text";
  part["text"] = text;
  Json result = Json::object();
  result["content"] = Json::array({std::move(part)});
  result["isError"] = true;
  return result;
}

struct StubUpstream::State {
  std::mutex mutex;
  std::vector<Json> tools;
  Handler handler;
  std::function<void()> listener;
};

StubUpstream::StubUpstream(std::vector<Json> tool_defs, Handler handler) : state_(std::make_shared<State>()) {
  state_->tools = std::move(tool_defs);
  state_->handler = std::move(handler);
}

std::vector<Json> StubUpstream::list_tools() {
  std::lock_guard lock(state_->mutex);
  return state_->tools;
}

Json StubUpstream::call_tool(const std::string& name, const Json& arguments, const CallOptions& options) {
  Handler handler;
  {
    std::lock_guard lock(state_->mutex);
    handler = state_->handler;
  }
  if (!handler) return error_call_result("stub upstream has no handler for '" + name + "'");
  if (options.cancel.stop_requested()) return error_call_result("upstream call cancelled");
  // The handler runs outside the lock so that calls proceed concurrently; its
  // exceptions are upstream trouble and become isError results (contract).
  try {
    return handler(name, arguments);
  } catch (const std::exception& error) {
    return error_call_result(std::string("upstream error: ") + error.what());
  } catch (...) {
    return error_call_result("upstream error: unknown exception");
  }
}

void StubUpstream::set_tools_changed_listener(std::function<void()> listener) {
  std::lock_guard lock(state_->mutex);
  state_->listener = std::move(listener);
}

void StubUpstream::set_tools(std::vector<Json> tool_defs) {
  std::function<void()> listener;
  {
    std::lock_guard lock(state_->mutex);
    state_->tools = std::move(tool_defs);
    listener = state_->listener;
  }
  if (listener) listener();  // outside the lock: it may call list_tools()
}

}  // namespace contextweaver
