// An in-test UpstreamCall: fixed tool definitions, a handler, call counters
// and a tools-changed listener fired by set_tools().
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "contextweaver/mcp/upstream.hpp"

namespace cwtest {

class FakeUpstream : public contextweaver::UpstreamCall {
 public:
  using Json = contextweaver::Json;
  using Handler = std::function<Json(const std::string&, const Json&)>;

  FakeUpstream(std::vector<Json> tools, Handler handler) : tools_(std::move(tools)), handler_(std::move(handler)) {}

  std::vector<Json> list_tools() override {
    std::lock_guard lock(mutex_);
    ++list_calls;
    return tools_;
  }
  Json call_tool(const std::string& name, const Json& arguments, const contextweaver::CallOptions&) override {
    ++calls;
    {
      std::lock_guard lock(mutex_);
      last_name = name;
    }
    return handler_(name, arguments);
  }
  void set_tools_changed_listener(std::function<void()> listener) override {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
  }
  void set_tools(std::vector<Json> tools) {
    std::function<void()> listener;
    {
      std::lock_guard lock(mutex_);
      tools_ = std::move(tools);
      listener = listener_;
    }
    if (listener) listener();
  }
  std::string last() {
    std::lock_guard lock(mutex_);
    return last_name;
  }

  std::atomic<int> calls{0};
  std::atomic<int> list_calls{0};

 private:
  std::mutex mutex_;
  std::vector<Json> tools_;
  Handler handler_;
  std::function<void()> listener_;
  std::string last_name;
};

}  // namespace cwtest
