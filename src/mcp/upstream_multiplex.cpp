// MultiplexUpstream (upstream.hpp): several upstreams seen as one.
#include <exception>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/mcp/upstream.hpp"

namespace contextweaver {

struct MultiplexUpstream::State {
  std::vector<Source> sources;
  mutable std::mutex mutex;
  bool listed = false;
  std::unordered_map<std::string, std::size_t> owner;  // raw tool name -> source index
  std::vector<std::string> duplicates;
  std::function<void()> listener;
};

MultiplexUpstream::MultiplexUpstream(std::vector<Source> sources) : state_(std::make_shared<State>()) {
  state_->sources = std::move(sources);
}

// A source that cannot be listed is left out (and logged) so that one broken
// server does not hide the others; only when every source fails does the
// listing fail, with all their messages.
std::vector<Json> MultiplexUpstream::list_tools() {
  std::vector<Json> all;
  std::unordered_map<std::string, std::size_t> owner;
  std::vector<std::string> duplicates;
  std::string failures;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < state_->sources.size(); ++i) {
    const Source& source = state_->sources[i];
    std::vector<Json> tools;
    try {
      tools = source.upstream->list_tools();
    } catch (const std::exception& error) {
      ++failed;
      if (!failures.empty()) failures += "; ";
      failures += source.name + ": " + error.what();
      log_message(LogLevel::warning, "contextweaver.mcp",
                  "tools/list of upstream '" + source.name + "' failed: " + error.what());
      continue;
    }
    for (Json& tool : tools) {
      if (!tool.is_object() || !tool.contains("name") || !tool["name"].is_string()) continue;
      const std::string name = tool["name"].get<std::string>();
      auto [it, inserted] = owner.emplace(name, i);
      if (!inserted) {
        const std::string& first = state_->sources[it->second].name;
        duplicates.push_back(name + " offered by " + first + " and " + source.name + "; " + source.name +
                             "'s is hidden");
        continue;
      }
      all.push_back(std::move(tool));
    }
  }
  if (failed > 0 && failed == state_->sources.size())
    throw UpstreamError("no upstream could list its tools: " + failures);
  std::lock_guard lock(state_->mutex);
  state_->owner = std::move(owner);
  state_->duplicates = std::move(duplicates);
  state_->listed = true;
  return all;
}

Json MultiplexUpstream::call_tool(const std::string& name, const Json& arguments, const CallOptions& options) {
  bool listed;
  {
    std::lock_guard lock(state_->mutex);
    listed = state_->listed;
  }
  if (!listed) {
    // Routing needs the listing; a failure to list is upstream trouble, which
    // call_tool reports as a result, never as an exception.
    try {
      list_tools();
    } catch (const std::exception& error) {
      return error_call_result(std::string("upstream error: ") + error.what());
    }
  }
  std::shared_ptr<UpstreamCall> upstream;
  {
    std::lock_guard lock(state_->mutex);
    auto it = state_->owner.find(name);
    if (it != state_->owner.end()) upstream = state_->sources[it->second].upstream;
  }
  if (!upstream) return error_call_result("no upstream owns tool '" + name + "'");
  return upstream->call_tool(name, arguments, options);
}

void MultiplexUpstream::set_tools_changed_listener(std::function<void()> listener) {
  {
    std::lock_guard lock(state_->mutex);
    state_->listener = std::move(listener);
  }
  // Sources hold only a weak reference, so a source outliving us never calls
  // into a destroyed state.
  std::weak_ptr<State> weak = state_;
  for (const Source& source : state_->sources) {
    source.upstream->set_tools_changed_listener([weak] {
      auto state = weak.lock();
      if (!state) return;
      std::function<void()> forward;
      {
        std::lock_guard lock(state->mutex);
        forward = state->listener;
      }
      if (forward) forward();
    });
  }
}

std::vector<std::string> MultiplexUpstream::duplicate_names() const {
  std::lock_guard lock(state_->mutex);
  return state_->duplicates;
}

std::string MultiplexUpstream::owner_of(const std::string& tool_name) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->owner.find(tool_name);
  return it == state_->owner.end() ? std::string() : state_->sources[it->second].name;
}

}  // namespace contextweaver
