// MCP gateway benchmarks, in process (no pipes, no child processes): what the
// gateway itself spends per request.
//   browse/peers   tool_browse by query over the three pinned npm servers'
//                  tools (36 tools, captured from the installed peers by
//                  `node tests/e2e_mcp/capture_peer_tools.mjs` into
//                  .deps/mcp-peers/peer_tools.json: npm-derived, never committed)
//   browse/10k     tool_browse by query over 10,000 synthetic tools (the same
//                  generator as tests/e2e_mcp/peers/synthetic_server.mjs)
//   execute/mem    tool_execute against an in-process echo upstream, recorded
//                  in in-memory stores: validation + conversion + recording
//   execute/session the same, recorded as the CLI's gateway does: events and
//                  artifacts in one on-disk SQLite session (artifact files
//                  still readable beneath), one transaction per recording
//                  write, WAL checkpoints on a background thread (the CLI also
//                  takes the session's file lock around each write)
//   execute/files  the same with the artifacts written as JSON files (the
//                  gateway's earlier layout), for comparison
// Each call's thread CPU time (unaffected by other processes on a shared
// machine) and wall time are kept, and p50/p99 reported (nearest rank) —
// Google Benchmark reports means only, so this program has its own main.
// The end-to-end figures over real stdio peers come from
// bench/mcp/gateway_latency.mjs.
//
// Usage: bench_mcp [iterations=2000] [fixtures_dir (default, or "": .deps/mcp-peers of the source tree)] [name prefix]
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/mcp/gateway_runtime.hpp"
#include "contextweaver/mcp/session_recorder.hpp"
#include "contextweaver/mcp/upstream.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/layered_artifact_store.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_checkpointer.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"

namespace cw = contextweaver;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double percentile(std::vector<double> v, double pct) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto i = std::min(static_cast<std::size_t>(static_cast<double>(v.size()) * pct), v.size() - 1);
  return v[i];
}

// Only benchmarks whose name starts with this run (argv[3]; empty: all).
std::string g_filter;

bool selected(const char* name) {
  return std::string(name).rfind(g_filter, 0) == 0;
}

// Runs `body(i)` `iterations` times after a warm-up and prints p50/p99 of CPU and wall time.
void measure(const char* name, int iterations, const std::function<void(int)>& body) {
  for (int i = 0; i < std::min(iterations / 10 + 1, 200); ++i) body(i);
  std::vector<double> cpu, wall;
  cpu.reserve(static_cast<std::size_t>(iterations));
  wall.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const double c0 = thread_cpu_us();
    const auto w0 = Clock::now();
    body(i);
    wall.push_back(std::chrono::duration<double, std::micro>(Clock::now() - w0).count());
    cpu.push_back(thread_cpu_us() - c0);
  }
  // The first and last tenth's CPU medians show whether a call's cost grows with the calls before it.
  const auto tenth = static_cast<std::ptrdiff_t>(cpu.size() / 10);
  const std::vector<double> first(cpu.begin(), cpu.begin() + tenth), last(cpu.end() - tenth, cpu.end());
  std::printf(
      "%-16s n=%-6d cpu p50 %8.1f us  p99 %8.1f us   wall p50 %8.1f us  p99 %8.1f us   cpu p50 first/last tenth "
      "%.1f/%.1f us\n",
      name, iterations, percentile(cpu, 0.50), percentile(cpu, 0.99), percentile(wall, 0.50), percentile(wall, 0.99),
      percentile(first, 0.50), percentile(last, 0.50));
  std::fflush(stdout);
}

// tests/e2e_mcp/peers/synthetic_server.mjs's makeTool, in C++.
cw::Json synthetic_tool(int i) {
  static const std::vector<std::string> domains = {
      "billing", "crm",    "github", "slack",     "calendar", "storage",  "analytics", "hr",
      "support", "search", "email",  "inventory", "shipping", "payments", "docs",      "monitoring"};
  static const std::vector<std::string> verbs = {"create", "list",   "get",  "update",  "delete",
                                                 "search", "export", "sync", "archive", "approve"};
  static const std::vector<std::string> objects = {"invoice",  "customer", "issue",     "message",  "event",   "file",
                                                   "report",   "ticket",   "order",     "user",     "alert",   "page",
                                                   "shipment", "refund",   "dashboard", "contract", "comment", "label"};
  static const std::vector<std::string> purposes = {"for audits",   "for the weekly review", "in bulk",
                                                    "by owner",     "with filters",          "for a date range",
                                                    "across teams", "with attachments"};
  const auto n = static_cast<std::size_t>(i);
  const std::string& domain = domains[n % domains.size()];
  const std::string& verb = verbs[(n / domains.size()) % verbs.size()];
  const std::string& object = objects[(n / (domains.size() * verbs.size())) % objects.size()];
  const std::string& purpose = purposes[n % purposes.size()];
  cw::Json properties = cw::Json::object();
  properties["id"] = {{"type", "string"}, {"description", "The " + object + " id"}};
  cw::Json required = cw::Json::array({"id"});
  if (i % 3 == 0) properties["limit"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}};
  if (i % 4 == 1) properties["query"] = {{"type", "string"}};
  if (i % 5 == 2) {
    properties["tags"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
    required.push_back("tags");
  }
  std::string title = verb;
  title[0] = static_cast<char>(title[0] - 'a' + 'A');
  return {{"name", domain + "." + verb + "_" + object + "_" + std::to_string(i)},
          {"description",
           title + " a " + object + " in " + domain + " " + purpose + ". Variant " + std::to_string(i) + "."},
          {"inputSchema", {{"type", "object"}, {"properties", properties}, {"required", required}}}};
}

std::vector<cw::Json> peer_tools(const fs::path& fixtures) {
  std::ifstream in(fixtures / "peer_tools.json");
  if (!in) {
    std::fprintf(stderr, "bench_mcp: cannot read %s (run: node tests/e2e_mcp/capture_peer_tools.mjs)\n",
                 (fixtures / "peer_tools.json").c_str());
    std::exit(1);
  }
  std::stringstream text;
  text << in.rdbuf();
  std::vector<cw::Json> tools;
  const cw::Json document = cw::loads(text.str());
  for (const auto& [server, listing] : document.items()) {
    for (const auto& tool : listing["tools"]) tools.push_back(tool);
  }
  return tools;
}

std::shared_ptr<cw::GatewayRuntime> runtime_over(std::vector<cw::Json> tools,
                                                 std::shared_ptr<cw::SessionRecorder> recorder = nullptr) {
  auto upstream =
      std::make_shared<cw::StubUpstream>(std::move(tools), [](const std::string& name, const cw::Json& args) {
        return cw::Json{{"content", cw::Json::array({{{"type", "text"}, {"text", name + " " + cw::dumps(args)}}})},
                        {"isError", false}};
      });
  cw::GatewayRuntimeOptions options;
  options.recorder = std::move(recorder);
  auto runtime = std::make_shared<cw::GatewayRuntime>(upstream, options);
  runtime->refresh();
  return runtime;
}

const std::vector<std::string> kPeerQueries = {"echo a message",
                                               "read a text file",
                                               "write a file",
                                               "list the directory",
                                               "search files by pattern",
                                               "create entities",
                                               "search nodes in the graph",
                                               "add observations",
                                               "get the sum of two numbers",
                                               "get a tiny image",
                                               "delete relations",
                                               "move a file",
                                               "directory tree",
                                               "file info and metadata",
                                               "long running operation",
                                               "structured content",
                                               "annotated message",
                                               "read multiple files",
                                               "open nodes by name",
                                               "edit a file"};

std::vector<std::string> synthetic_queries() {
  std::vector<std::string> queries;
  for (int i = 0; i < 50; ++i) {
    const cw::Json tool = synthetic_tool(i * 197 + 13);
    queries.push_back(tool["description"].get<std::string>().substr(0, 40));
  }
  for (const char* q : {"export invoices for audits", "refund a payment", "sync calendar events", "archive old tickets",
                        "approve a contract in hr", "list dashboards in monitoring"}) {
    queries.emplace_back(q);
  }
  return queries;
}

// The id of the tool whose raw name is `name`.
std::string id_of(const cw::GatewayRuntime& runtime, const std::string& name) {
  for (const auto& id : runtime.tool_ids()) {
    if (runtime.raw_name_of(id) == name) return id;
  }
  std::fprintf(stderr, "bench_mcp: no tool %s\n", name.c_str());
  std::exit(1);
}

void check(const cw::Json& result, const char* what) {
  if (result.value("isError", false)) {
    std::fprintf(stderr, "bench_mcp: %s failed: %s\n", what, cw::dumps(result).c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::max(10, std::atoi(argv[1])) : 2000;
  // Default: the peers' folder of the source tree (CMake compiles this file by absolute path).
  const bool given = argc > 2 && argv[2][0] != '\0';
  const fs::path fixtures = given ? fs::path(argv[2]) : fs::path(CW_SOURCE_DIR) / ".deps" / "mcp-peers";
  g_filter = argc > 3 ? argv[3] : "";

  if (selected("browse/peers")) {
    auto runtime = runtime_over(peer_tools(fixtures));
    std::printf("catalog: %zu tools from the three npm servers\n", runtime->tool_ids().size());
    measure("browse/peers", iterations, [&](int i) {
      check(runtime->browse({{"query", kPeerQueries[static_cast<std::size_t>(i) % kPeerQueries.size()]}}), "browse");
    });
  }
  if (selected("browse/10k")) {
    std::vector<cw::Json> tools;
    for (int i = 0; i < 10000; ++i) tools.push_back(synthetic_tool(i));
    const double c0 = thread_cpu_us();
    auto runtime = runtime_over(tools);
    std::printf("catalog: %zu synthetic tools, built in %.0f ms CPU\n", runtime->tool_ids().size(),
                (thread_cpu_us() - c0) / 1e3);
    const auto queries = synthetic_queries();
    measure("browse/10k", iterations, [&](int i) {
      check(runtime->browse({{"query", queries[static_cast<std::size_t>(i) % queries.size()]}}), "browse");
    });
  }
  if (selected("execute/mem")) {
    auto runtime = runtime_over(peer_tools(fixtures));
    const std::string echo = id_of(*runtime, "echo");
    measure("execute/mem", iterations, [&](int i) {
      check(runtime->execute({{"tool_id", echo}, {"args", {{"message", "ping " + std::to_string(i)}}}}), "execute");
    });
  }
  if (selected("execute/files")) {
    const fs::path dir = fs::temp_directory_path() / ("cw-bench-mcp-" + std::to_string(::getpid()));
    fs::create_directories(dir / "artifacts");
    {
      auto db = cw::SqliteDatabase::open((dir / "session.db").string());
      auto recorder = std::make_shared<cw::SessionRecorder>(
          std::make_shared<cw::SqliteEventLog>(db),
          std::make_shared<cw::JsonFileArtifactStore>((dir / "artifacts").string()));
      auto runtime = runtime_over(peer_tools(fixtures), recorder);
      const std::string echo = id_of(*runtime, "echo");
      measure("execute/files", iterations, [&](int i) {
        check(runtime->execute({{"tool_id", echo}, {"args", {{"message", "ping " + std::to_string(i)}}}}), "execute");
      });
    }
    fs::remove_all(dir);
  }
  if (selected("execute/session")) {
    const fs::path dir = fs::temp_directory_path() / ("cw-bench-mcp-session-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
      auto db = cw::SqliteDatabase::open((dir / "session.db").string());
      cw::SqliteBackgroundCheckpointer checkpointer(db);
      auto artifacts = std::make_shared<cw::LayeredArtifactStore>(std::vector<std::shared_ptr<cw::ArtifactStore>>{
          std::make_shared<cw::SqliteArtifactStore>(db),
          std::make_shared<cw::JsonFileArtifactStore>((dir / "artifacts").string())});
      cw::SessionRecorderOptions options;
      options.write_scope = [db](const std::function<void()>& write) { cw::run_in_transaction(*db, write); };
      auto recorder =
          std::make_shared<cw::SessionRecorder>(std::make_shared<cw::SqliteEventLog>(db), artifacts, options);
      auto runtime = runtime_over(peer_tools(fixtures), recorder);
      const std::string echo = id_of(*runtime, "echo");
      measure("execute/session", iterations, [&](int i) {
        check(runtime->execute({{"tool_id", echo}, {"args", {{"message", "ping " + std::to_string(i)}}}}), "execute");
      });
    }
    fs::remove_all(dir);
  }
  return 0;
}
