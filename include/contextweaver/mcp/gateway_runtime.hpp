// The gateway/proxy runtime (adapters/proxy_runtime.py; docs/gateway.md): one
// catalog over every upstream tool, and the meta-tool primitives both modes
// share. Every primitive returns an MCP CallToolResult; failures are
// GatewayError payloads (isError true), never exceptions.
//
// Catalog rules:
//   - each upstream tool becomes a SelectableItem (mcp_tool_to_selectable) with
//     a canonical tool id; when its name yields no namespace ("read_file"), the
//     namespace is the config name of the server that offers it
//     (namespace_from_server_name), else the reference's "mcp";
//   - a tool without a description gets its annotations.title, else its name
//     (MCP makes description optional; the reference's adapter refuses it);
//   - a tool whose definition cannot be converted (bad name for the id
//     grammar, …) and a canonical id offered twice are left out and reported
//     (stderr via `log`, and catalog_problems()), never dropped silently;
//   - the upstream's raw name is kept per id: tool_execute calls the upstream
//     with it.
// Refresh: refresh() reloads the listing; when the upstream reports a change,
// a background thread refreshes (coalescing bursts): the ranker is updated
// incrementally (add/remove of changed ids), the browse tree rebuilt, and the
// changed callback fires when the catalog really changed.
// Thread-safety: every method may run concurrently; readers take an immutable
// snapshot of the catalog (a shared_mutex guards the swap), upstream calls run
// without locks, recording is serialized by the SessionRecorder.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/mcp/session_recorder.hpp"
#include "contextweaver/mcp/upstream.hpp"
#include "contextweaver/routing/cards.hpp"

namespace contextweaver {

enum class ExposureMode { gateway, proxy };

// The bound on proxy tools/list descriptions: each is cut with the choice-card
// truncation rule (sentence boundary, else a hard cut ending in "…") to this
// many tokens (with the len/4 estimator: about 4 characters per token).
inline constexpr std::int64_t kProxyDescriptionTokens = 48;

struct GatewayRuntimeOptions {
  ExposureMode mode = ExposureMode::gateway;
  std::int64_t top_k = 10;         // cards per tool_browse query (a per-call top_k can only lower it)
  std::int64_t max_children = 20;  // browse tree fan-out
  CardBudget card_budget{};
  // The config server that offers a raw tool name ("" = unknown): namespace
  // fallback and recording. The CLI wires MultiplexUpstream::owner_of.
  std::function<std::string(const std::string& raw_name)> server_of;
  // Extra catalog problems after each listing (the CLI wires MultiplexUpstream::duplicate_names).
  std::function<std::vector<std::string>()> upstream_problems;
  // Upstream call timeout per raw tool name; empty: CallOptions' default.
  std::function<std::chrono::milliseconds(const std::string& raw_name)> timeout_of;
  // Where catalog problems and refresh failures are reported; empty: stderr.
  std::function<void(const std::string& line)> log;
  // Where calls are recorded and artifacts kept; null: an in-memory recorder.
  std::shared_ptr<SessionRecorder> recorder;
};

// Thread-safe (see "Thread-safety" above).
class GatewayRuntime {
 public:
  GatewayRuntime(std::shared_ptr<UpstreamCall> upstream, GatewayRuntimeOptions options = {});
  ~GatewayRuntime();  // stops the refresh thread
  GatewayRuntime(const GatewayRuntime&) = delete;
  GatewayRuntime& operator=(const GatewayRuntime&) = delete;

  // Loads the upstream listing now (UpstreamError propagates, e.g. at
  // startup). Returns whether the catalog changed.
  bool refresh();
  // Listens to the upstream's tools-changed signal from now on; `changed`
  // runs (on the refresh thread) after each refresh that changed the catalog.
  void watch_upstream(std::function<void()> changed);

  // Canonical ids in the catalog, sorted.
  std::vector<std::string> tool_ids() const;
  // The raw upstream name behind an id ("" when unknown).
  std::string raw_name_of(const std::string& tool_id) const;
  // Problems of the last listing (skipped tools, id collisions, hidden duplicates).
  std::vector<std::string> catalog_problems() const;
  ExposureMode mode() const { return options_.mode; }
  SessionRecorder& recorder() const { return *recorder_; }

  // tool_browse {query|path, top_k?}: JSON array of choice cards.
  Json browse(const Json& arguments) const;
  // tool_execute {tool_id, args}: validate, call the upstream by its raw name,
  // convert, record, and return the ResultEnvelope JSON (isError = status "error").
  Json execute(const Json& arguments, std::stop_token cancel = {});
  // tool_view {handle, selector}: the raw slice text.
  Json view(const Json& arguments) const;
  // tool_hydrate {tool_id}: {"tool_id","args_schema","examples","constraints"}.
  Json hydrate(const Json& arguments) const;
  // Proxy tools/list entries: {name: tool_id, description: bounded, inputSchema: {"type":"object"}},
  // sorted by tool id.
  Json stripped_tools() const;

  // The immutable catalog state (opaque; defined in src/mcp).
  struct Snapshot;

 private:
  std::shared_ptr<const Snapshot> snapshot() const;
  void report(const std::string& line) const;
  void refresh_loop(std::stop_token stop);

  std::shared_ptr<UpstreamCall> upstream_;
  GatewayRuntimeOptions options_;
  std::shared_ptr<SessionRecorder> recorder_;

  mutable std::shared_mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex refresh_mutex_;  // one refresh at a time

  struct Watcher;
  std::shared_ptr<Watcher> watcher_;
};

// The three gateway meta-tool definitions and the two proxy ones (exact reference strings).
Json gateway_meta_tools();
Json proxy_meta_tools();

}  // namespace contextweaver
