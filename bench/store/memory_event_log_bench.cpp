// InMemoryEventLog workloads of spec/perf.md §1 at N = 10,000 and 100,000.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "contextweaver/store/in_memory_event_log.hpp"
#include "store/perfgen.hpp"

namespace {

using namespace contextweaver;

// The generated items and a filled log per N, built once.
struct Workload {
  std::vector<ContextItem> items;
  std::vector<std::string> ids;
  InMemoryEventLog log;
};

Workload& workload(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<Workload>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<Workload>();
    slot->items = cwperf::gen_events(n);
    slot->ids = cwperf::pick_ids(n, 10000);
    for (const auto& item : slot->items) slot->log.append(item);
  }
  return *slot;
}

// Appending all N items to a fresh log; the time is per item.
void BM_InMemoryEventLog_Append(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& items = workload(n).items;
  for (auto _ : state) {
    state.PauseTiming();
    auto log = std::make_unique<InMemoryEventLog>();
    state.ResumeTiming();
    for (const auto& item : items) log->append(item);
    benchmark::DoNotOptimize(log->count());
    state.PauseTiming();
    log.reset();
    state.ResumeTiming();
  }
  state.counters["per_item"] = benchmark::Counter(
      static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_InMemoryEventLog_Get(benchmark::State& state) {
  auto& w = workload(static_cast<std::size_t>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.log.get(w.ids[i]));
    i = (i + 1) % w.ids.size();
  }
}

// query(kinds=[tool_result], limit=50): ev000003 … ev000199.
void BM_InMemoryEventLog_QueryToolResult50(benchmark::State& state) {
  auto& w = workload(static_cast<std::size_t>(state.range(0)));
  const std::optional<std::vector<ItemKind>> kinds = std::vector<ItemKind>{ItemKind::tool_result};
  if (const auto r = w.log.query(kinds, std::nullopt, 50);
      r.size() != 50 || r.front().id != "ev000003" || r.back().id != "ev000199") {
    state.SkipWithError("query returned the wrong items");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(w.log.query(kinds, std::nullopt, 50));
}

void BM_InMemoryEventLog_Tail20(benchmark::State& state) {
  auto& w = workload(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(w.log.tail(20));
}

// children(x), x = ev(N/2 rounded down to a multiple of 4): a user_turn with one child.
void BM_InMemoryEventLog_Children(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto& w = workload(n);
  const std::string parent = cwperf::event_id(n / 2 / 4 * 4);
  if (w.log.children(parent).size() != 1) {
    state.SkipWithError("children() should return exactly one item");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(w.log.children(parent));
}

BENCHMARK(BM_InMemoryEventLog_Append)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_InMemoryEventLog_Get)->Arg(10000)->Arg(100000);
BENCHMARK(BM_InMemoryEventLog_QueryToolResult50)->Arg(10000)->Arg(100000);
BENCHMARK(BM_InMemoryEventLog_Tail20)->Arg(10000)->Arg(100000);
BENCHMARK(BM_InMemoryEventLog_Children)->Arg(10000)->Arg(100000);

}  // namespace
