// Warm and cold ContextManager builds over a perfgen session in SQLite
// (docs/context.md#warm-builds): BM_WarmBuild appends one event and builds
// (answer, budget 6000) on a manager that keeps its records; BM_ColdBuild
// builds on a fresh manager over the same session. Sizes 10k/100k/200k show
// how each grows with the session.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "store/perfgen.hpp"

namespace {

using namespace contextweaver;

// The sessions' database files, removed (with their -wal/-shm files) at exit.
struct SessionFiles {
  std::vector<std::filesystem::path> paths;
  ~SessionFiles() {
    std::error_code ec;
    for (const auto& p : paths) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix, ec);
    }
  }
};

// A SQLite session of n perfgen events, written once per size into the temp folder.
std::shared_ptr<SqliteEventLog> session(std::size_t n) {
  static SessionFiles files;  // constructed first, so destroyed after the logs close
  static std::map<std::size_t, std::shared_ptr<SqliteEventLog>> cache;
  auto& slot = cache[n];
  if (!slot) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("cw_warm_bench_" + std::to_string(::getpid()) + "_" + std::to_string(n) + ".db");
    std::filesystem::remove(path);
    files.paths.push_back(path);
    slot = std::make_shared<SqliteEventLog>(path.string());
    const auto items = cwperf::gen_events(n);
    slot->append_many(items);
  }
  return slot;
}

BuildRequest answer_request() {
  BuildRequest r;
  r.phase = Phase::answer;
  r.query = "deploy error retry";
  r.budget_tokens = 6000;
  return r;
}

void BM_WarmBuild(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto log = session(n);
  ContextManagerOptions o;
  o.event_log = log;
  o.artifact_store = std::make_shared<InMemoryArtifactStore>();
  ContextManager m(o);
  const BuildRequest request = answer_request();
  benchmark::DoNotOptimize(m.build(request));  // cold, outside the timing
  std::size_t next = log->count();
  for (auto _ : state) {
    ContextItem item;
    item.id = "warm" + std::to_string(next++);
    item.kind = ItemKind::agent_msg;
    item.text = "warm build appended event " + std::to_string(next) + " deploy retry";
    log->append(item);
    benchmark::DoNotOptimize(m.build(request));
  }
}

void BM_ColdBuild(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto log = session(n);
  const BuildRequest request = answer_request();
  for (auto _ : state) {
    ContextManagerOptions o;
    o.event_log = log;
    o.artifact_store = std::make_shared<InMemoryArtifactStore>();
    ContextManager m(o);
    benchmark::DoNotOptimize(m.build(request));
  }
}

}  // namespace

BENCHMARK(BM_WarmBuild)->Arg(10'000)->Arg(100'000)->Arg(200'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ColdBuild)->Arg(10'000)->Arg(100'000)->Arg(200'000)->Unit(benchmark::kMillisecond)->Iterations(3);
