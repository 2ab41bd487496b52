// StdioUpstream (stdio_upstream.hpp): lifecycle (lazy start, initialize,
// restart after death at most once per second) on top of UpstreamConnection.
#include "contextweaver/mcp/stdio_upstream.hpp"

#include <algorithm>
#include <csignal>
#include <set>
#include <stdexcept>
#include <thread>

#include "contextweaver/core/errors.hpp"
#include "jsonrpc.hpp"
#include "upstream_connection.hpp"

namespace contextweaver {
namespace {
using mcp_detail::RequestOutcome;
using mcp_detail::UpstreamConnection;
using Clock = std::chrono::steady_clock;

constexpr auto kRestartInterval = std::chrono::seconds(1);
constexpr std::size_t kMaxPages = 10000;
// Each of the two waits of a stop (after stdin is closed, after SIGTERM);
// docs/gateway.md#shutdown states them.
constexpr auto kStopGrace = std::chrono::milliseconds(500);

std::string seconds_text(std::chrono::milliseconds duration) {
  return float_repr(static_cast<double>(duration.count()) / 1000.0) + "s";
}

std::string error_text(const Json& error) {
  std::string text = error.is_object() && error.contains("message") && error["message"].is_string()
                         ? error["message"].get<std::string>()
                         : mcp_detail::compact_text(error);
  if (error.is_object() && error.contains("code") && error["code"].is_number_integer())
    text += " (code " + std::to_string(error["code"].get<std::int64_t>()) + ")";
  return text;
}

}  // namespace

struct StdioUpstream::Impl {
  UpstreamServerConfig config;
  std::mutex start_mutex;  // one start or restart at a time
  mutable std::mutex mutex;
  std::shared_ptr<UpstreamConnection> connection;
  Json info;  // null before the first successful start
  std::function<void()> listener;
  bool attempted = false;
  bool stopped = false;  // stop() was called: never started again
  Clock::time_point last_attempt{};

  void fire_listener() {
    std::function<void()> copy;
    {
      std::lock_guard lock(mutex);
      copy = listener;
    }
    if (copy) copy();
  }

  std::shared_ptr<UpstreamConnection> launch() {
    mcp_detail::SpawnSpec spec{config.command, config.args, config.env, config.cwd};
    std::unique_ptr<mcp_detail::ChildProcess> child;
    try {
      child = mcp_detail::ChildProcess::spawn(spec);
    } catch (const std::exception& error) {
      throw UpstreamError("upstream '" + config.name + "' could not be started: " + error.what());
    }
    auto fresh = std::make_shared<UpstreamConnection>(config.name, std::move(child), [this] { fire_listener(); });
    Json params = Json::object();
    params["protocolVersion"] = mcp_detail::kLatestProtocolVersion;
    params["capabilities"] = Json::object();
    params["clientInfo"] = Json::object();
    params["clientInfo"]["name"] = "contextweaver-gateway";
    params["clientInfo"]["version"] = "0.1.0";
    RequestOutcome outcome = fresh->request("initialize", std::move(params), config.startup_timeout);
    std::string problem;
    if (outcome.kind == RequestOutcome::Kind::result) {
      const Json& result = outcome.value;
      if (!result.is_object() || !result.contains("protocolVersion") || !result["protocolVersion"].is_string()) {
        problem = "its initialize answer has no protocolVersion";
      } else if (!mcp_detail::is_supported_protocol_version(result["protocolVersion"].get<std::string>())) {
        problem = "it speaks protocol version " + result["protocolVersion"].get<std::string>() +
                  " (supported: 2024-11-05, 2025-03-26, 2025-06-18)";
      }
    } else if (outcome.kind == RequestOutcome::Kind::error) {
      problem = "initialize failed: " + error_text(outcome.value);
    } else if (outcome.kind == RequestOutcome::Kind::timeout) {
      problem = "no answer to initialize within " + seconds_text(config.startup_timeout);
    } else {
      problem = outcome.death;
    }
    if (!problem.empty()) {
      fresh->shutdown(std::chrono::milliseconds(200));
      std::string message = "upstream '" + config.name + "' did not start: " + problem;
      const std::string tail = fresh->stderr_tail();
      if (!tail.empty()) message += "; stderr: " + tail;
      throw UpstreamError(message);
    }
    fresh->notify("notifications/initialized", nullptr);
    std::lock_guard lock(mutex);
    info = outcome.value;
    return fresh;
  }

  // The running connection, started (or restarted) when there is none.
  std::shared_ptr<UpstreamConnection> live() {
    {
      std::lock_guard lock(mutex);
      if (connection && !connection->dead()) return connection;
    }
    std::unique_lock starting(start_mutex);
    std::shared_ptr<UpstreamConnection> old;
    {
      std::lock_guard lock(mutex);
      if (stopped) throw UpstreamError("upstream '" + config.name + "' was stopped");
      if (connection && !connection->dead()) return connection;  // restarted by another caller meanwhile
      old.swap(connection);
    }
    const bool restart = old != nullptr;
    if (old) old->shutdown();
    old.reset();
    if (attempted) {
      const auto next = last_attempt + kRestartInterval;
      if (Clock::now() < next) std::this_thread::sleep_until(next);  // a crash loop restarts at most once a second
    }
    attempted = true;
    last_attempt = Clock::now();
    auto fresh = launch();
    {
      std::lock_guard lock(mutex);
      connection = fresh;
    }
    starting.unlock();
    if (restart) fire_listener();  // its tools may differ now
    return fresh;
  }
};

StdioUpstream::StdioUpstream(UpstreamServerConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
}

StdioUpstream::~StdioUpstream() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->listener = nullptr;
  }
  stop();
}

void StdioUpstream::stop() {
  std::lock_guard starting(impl_->start_mutex);
  std::shared_ptr<UpstreamConnection> connection;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
    connection.swap(impl_->connection);
  }
  if (connection) connection->shutdown(kStopGrace);
}

void StdioUpstream::start() {
  impl_->live();
}

std::vector<Json> StdioUpstream::list_tools() {
  auto connection = impl_->live();
  const std::string& name = impl_->config.name;
  std::vector<Json> tools;
  std::set<std::string> cursors;
  Json cursor;
  for (std::size_t page = 0; page < kMaxPages; ++page) {
    Json params = Json::object();
    if (cursor.is_string()) params["cursor"] = cursor;
    RequestOutcome outcome = connection->request("tools/list", std::move(params), impl_->config.startup_timeout);
    switch (outcome.kind) {
      case RequestOutcome::Kind::result:
        break;
      case RequestOutcome::Kind::error:
        throw UpstreamError("upstream '" + name + "' tools/list failed: " + error_text(outcome.value));
      case RequestOutcome::Kind::timeout:
        throw UpstreamError("upstream '" + name + "' tools/list: upstream timeout after " +
                            seconds_text(impl_->config.startup_timeout));
      default:
        throw UpstreamError("upstream error: " + outcome.death);
    }
    const Json& result = outcome.value;
    if (!result.is_object() || !result.contains("tools") || !result["tools"].is_array())
      throw UpstreamError("upstream '" + name + "' answered tools/list without a \"tools\" array");
    for (const Json& tool : result["tools"]) tools.push_back(tool);
    if (!result.contains("nextCursor") || !result["nextCursor"].is_string() ||
        result["nextCursor"].get<std::string>().empty())
      return tools;
    cursor = result["nextCursor"];
    if (!cursors.insert(cursor.get<std::string>()).second)
      throw UpstreamError("upstream '" + name + "' repeated the tools/list cursor " + mcp_detail::compact_text(cursor));
  }
  throw UpstreamError("upstream '" + name + "' tools/list has more than 10000 pages");
}

Json StdioUpstream::call_tool(const std::string& name, const Json& arguments, const CallOptions& options) {
  if (options.cancel.stop_requested()) return error_call_result("upstream call cancelled");
  std::shared_ptr<UpstreamConnection> connection;
  try {
    connection = impl_->live();
  } catch (const std::exception& error) {
    return error_call_result(std::string("upstream error: ") + error.what());
  }
  // The tighter of the caller's and the config's limits applies.
  const auto timeout = std::min(options.timeout, impl_->config.call_timeout);
  Json params = Json::object();
  params["name"] = name;
  params["arguments"] = arguments.is_null() ? Json::object() : arguments;
  RequestOutcome outcome = connection->request("tools/call", std::move(params), timeout, options.cancel);
  switch (outcome.kind) {
    case RequestOutcome::Kind::result:
      if (!outcome.value.is_object())
        return error_call_result("upstream error: " + impl_->config.name + " answered tools/call with " +
                                 mcp_detail::compact_text(outcome.value));
      return std::move(outcome.value);
    case RequestOutcome::Kind::error:
      return error_call_result("upstream error: " + error_text(outcome.value));
    case RequestOutcome::Kind::timeout:
      return error_call_result("upstream timeout after " + seconds_text(timeout));
    case RequestOutcome::Kind::cancelled:
      return error_call_result("upstream call cancelled");
    case RequestOutcome::Kind::dead:
      break;
  }
  return error_call_result("upstream error: " + outcome.death);
}

void StdioUpstream::set_tools_changed_listener(std::function<void()> listener) {
  std::lock_guard lock(impl_->mutex);
  impl_->listener = std::move(listener);
}

const UpstreamServerConfig& StdioUpstream::config() const {
  return impl_->config;
}

void kill_all_upstream_process_groups() noexcept {
  mcp_detail::ChildProcess::kill_all_groups(SIGKILL);
}

Json StdioUpstream::server_info() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->info;
}

}  // namespace contextweaver
