// `contextweaver gateway` and `contextweaver proxy`: MCP servers on stdin/stdout
// in front of the upstream MCP servers a config file lists (docs/gateway.md).
//
// stdout carries the protocol only; every log line goes to stderr. Upstream
// traffic is recorded in the workspace session (config "contextweaver.session"
// / "workspace", overridden by --session / --workspace).
//
// Session lock: a gateway runs for hours, so it does not hold the session's
// lock for its lifetime (that would block `contextweaver log` and every other
// reader). It takes the exclusive lock only around each recording write (a
// few milliseconds), exactly like an ingest; readers in between see whole
// calls. SQLite and the artifact folder are safe to share across processes.
// Clearing or deleting the session while a gateway records into it is not
// supported.
//
// Shutdown (docs/gateway.md#shutdown): at the end of our stdin, on an error,
// and on SIGINT, SIGTERM or SIGHUP, every upstream is stopped (all at once,
// each within about a second: stdin closed, SIGTERM to its process group,
// SIGKILL) before the process exits; after a signal the exit status is
// 128 + its number. Even std::terminate kills their process groups first.
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "command.hpp"
#include "stop_signals.hpp"
#include "contextweaver/session/session.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/mcp/gateway_config.hpp"
#include "contextweaver/mcp/gateway_handler.hpp"
#include "contextweaver/mcp/gateway_runtime.hpp"
#include "contextweaver/mcp/proxy_handler.hpp"
#include "contextweaver/mcp/server.hpp"
#include "contextweaver/mcp/session_recording.hpp"
#include "contextweaver/mcp/stdio_upstream.hpp"

namespace contextweaver::cli {

namespace {

std::mutex g_stderr_mutex;

void log_line(const std::string& line) {
  std::lock_guard lock(g_stderr_mutex);
  std::cerr << "contextweaver: " << line << '\n';
}

void report_wait(const SessionName& session) {
  log_line("waiting for another contextweaver process using session " + py_repr(session.str()));
}

// --workspace (or CONTEXTWEAVER_WORKSPACE) wins over the config; the config
// over the default.
std::string effective_workspace(const GlobalOptions& globals, const GatewayConfig& config) {
  const bool given = globals.workspace != kDefaultWorkspaceFolder || std::getenv("CONTEXTWEAVER_WORKSPACE") != nullptr;
  if (!given && config.workspace) return *config.workspace;
  return globals.workspace;
}

// Stops every upstream when it goes out of scope, whichever way the gateway
// ends: in parallel, so N stubborn upstreams take one grace period, not N.
class UpstreamStopper {
 public:
  ~UpstreamStopper() {
    std::vector<std::thread> stoppers;
    for (const auto& upstream : upstreams) {
      try {
        stoppers.emplace_back([upstream] { upstream->stop(); });
      } catch (const std::system_error&) {
        upstream->stop();  // no thread to spare: stop it here
      }
    }
    for (std::thread& stopper : stoppers) stopper.join();
  }
  std::vector<std::shared_ptr<StdioUpstream>> upstreams;
};

// std::terminate (e.g. an exception escaping a thread) runs no destructor:
// while a gateway runs, the upstreams' groups are killed before the previous
// handler (which prints the exception and aborts) runs.
std::terminate_handler g_previous_terminate = nullptr;

struct TerminateGuard {
  TerminateGuard() {
    g_previous_terminate = std::set_terminate([] {
      kill_all_upstream_process_groups();
      if (g_previous_terminate != nullptr) g_previous_terminate();
      std::abort();
    });
  }
  ~TerminateGuard() { std::set_terminate(g_previous_terminate); }
};

// Removes the log sink installed for the run on every way out.
struct LogSinkReset {
  ~LogSinkReset() { set_log_sink(nullptr); }
};

// Starts each configured upstream (one that fails to start is left in: it is
// retried on the next listing or call), looking for a signal between starts:
// a start can take up to its startup_timeout.
std::shared_ptr<MultiplexUpstream> start_upstreams(const GatewayConfig& config, UpstreamStopper& stopper,
                                                   const std::function<void()>& stop_on_signal) {
  std::vector<MultiplexUpstream::Source> sources;
  for (const auto& server : config.servers) {
    stop_on_signal();
    auto upstream = std::make_shared<StdioUpstream>(server);
    stopper.upstreams.push_back(upstream);
    try {
      upstream->start();
    } catch (const std::exception& e) {
      log_line("upstream " + py_repr(server.name) + " did not start: " + e.what());
    }
    sources.push_back({server.name, std::move(upstream)});
  }
  return std::make_shared<MultiplexUpstream>(std::move(sources));
}

GatewayRuntimeOptions runtime_options(const GatewayConfig& config, ExposureMode mode,
                                      std::shared_ptr<SessionRecorder> recorder,
                                      const std::shared_ptr<MultiplexUpstream>& multiplex) {
  std::map<std::string, std::chrono::milliseconds> timeouts;
  for (const auto& server : config.servers) timeouts[server.name] = server.call_timeout;
  GatewayRuntimeOptions options;
  options.mode = mode;
  options.top_k = config.top_k;
  options.recorder = std::move(recorder);
  options.log = log_line;
  options.server_of = [multiplex](const std::string& raw) { return multiplex->owner_of(raw); };
  options.upstream_problems = [multiplex] { return multiplex->duplicate_names(); };
  options.timeout_of = [multiplex, timeouts](const std::string& raw) {
    const auto it = timeouts.find(multiplex->owner_of(raw));
    return it == timeouts.end() ? std::chrono::milliseconds(30000) : it->second;
  };
  return options;
}

void run_gateway(const GlobalOptions& globals, const std::string& config_path, ExposureMode mode) {
  // Caught from here on, so that no signal can leave an upstream running.
  const StopSignals signals;
  const TerminateGuard terminate_guard;
  const char* const what = mode == ExposureMode::gateway ? "gateway" : "proxy";
  const auto stop_on_signal = [&] {
    if (const int signal = signals.received()) {
      log_line(std::string(what) + ": " + signal_name(signal) + " received; stopping the upstream servers");
      throw Interrupted(signal);
    }
  };
  const GatewayConfig config = load_gateway_config(config_path);
  const SessionName session(!globals.session_given() && config.session ? *config.session : globals.session);
  const Workspace workspace(WorkspaceLocation::parse(effective_workspace(globals, config)));
  if (globals.init) workspace.initialise();

  // Library warnings (an upstream that cannot be listed, restarts, …) to stderr.
  const LogSinkReset log_sink_reset;
  set_log_sink([](LogLevel level, std::string_view logger, std::string_view message) {
    if (level == LogLevel::debug) return;
    log_line(std::string(logger) + ": " + std::string(message));
  });

  // The lock is taken only around each recording write (see above).
  auto recording = std::make_shared<Session>(workspace.open(session, SessionAccess::record, report_wait));
  SessionRecorderOptions recorder_options;
  recorder_options.firewall_threshold = config.firewall_threshold;
  auto recorder = make_session_recorder(std::move(recording), recorder_options);

  UpstreamStopper stopper;  // after `recorder`: upstreams stop before the session closes
  auto multiplex = start_upstreams(config, stopper, stop_on_signal);
  stop_on_signal();
  auto runtime = std::make_shared<GatewayRuntime>(multiplex, runtime_options(config, mode, recorder, multiplex));
  try {
    runtime->refresh();
  } catch (const std::exception& e) {
    // Serve anyway (an empty catalog); the next upstream change refreshes it.
    log_line(std::string("initial tools/list failed: ") + e.what());
  }
  log_line(std::string(mode == ExposureMode::gateway ? "gateway" : "proxy") + ": " +
           std::to_string(runtime->tool_ids().size()) + " tools from " + std::to_string(config.servers.size()) +
           " server(s); recording into session " + py_repr(session.str()) + " of " + workspace.root().string());

  std::unique_ptr<McpToolHandler> handler;
  McpServerOptions server_options;
  if (mode == ExposureMode::gateway) {
    handler = std::make_unique<GatewayHandler>(runtime);
  } else {
    handler = std::make_unique<ProxyHandler>(runtime);
    server_options.name = "contextweaver-proxy";
  }
  server_options.stop_fd = signals.fd();
  McpStdioServer server(*handler, server_options);
  const int status = server.run(0, 1);
  stop_on_signal();
  if (status != 0) throw StorageError("stdin/stdout could not be used for the MCP session");
}

void install(CLI::App& app, GlobalOptions& globals, const std::string& name, ExposureMode mode) {
  auto config = std::make_shared<std::string>();
  const bool gateway = mode == ExposureMode::gateway;
  const std::string description =
      gateway ? "Serve an MCP gateway on stdio: tool_browse, tool_execute and tool_view over the configured servers."
              : "Serve an MCP proxy on stdio: every configured tool (stripped), tool_hydrate and tool_execute.";
  const std::string examples =
      "  contextweaver " + name +
      " --config gateway.json\n"
      "  contextweaver " +
      name +
      " --config gateway.yaml --session work --workspace ~/.contextweaver\n"
      "\n"
      "gateway.json:\n"
      "  {\"mcpServers\": {\"files\": {\"command\": \"npx\",\n"
      "                              \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"]}},\n"
      "   \"contextweaver\": {\"session\": \"gateway\", \"top_k\": 10, \"firewall_threshold\": 2000}}\n"
      "\n"
      "In an agent's MCP config: {\"command\": \"contextweaver\", \"args\": [\"" +
      name + "\", \"--config\", \"/path/gateway.json\"]}\n";
  CLI::App* cmd = add_command(app, name, description, examples);
  cmd->add_option("--config", *config, "The mcpServers config file (JSON, or YAML for .yaml/.yml)")->required();
  cmd->callback([&globals, config, mode] { run_gateway(globals, *config, mode); });
}

const CommandRegistration kRegistration(110, [](CLI::App& app, GlobalOptions& globals) {
  install(app, globals, "gateway", ExposureMode::gateway);
  install(app, globals, "proxy", ExposureMode::proxy);
});

}  // namespace

}  // namespace contextweaver::cli
