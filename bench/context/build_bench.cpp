// ContextManager.build(answer) timings of spec/perf.md §3: the four benchmark
// scenarios and synthetic 1,000 / 10,000-item logs (perfgen), plus a
// per-stage split and stage 6 (dedup) alone, against the quadratic oracle and
// on the perfgen workload at 10k / 100k / 300k events.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "contextweaver/context/candidates.hpp"
#include "contextweaver/context/dedup.hpp"
#include "contextweaver/context/firewall.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/prompt.hpp"
#include "contextweaver/context/scenario.hpp"
#include "contextweaver/context/scoring.hpp"
#include "contextweaver/context/selection.hpp"
#include "contextweaver/context/sensitivity.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "store/perfgen.hpp"

namespace {

using namespace contextweaver;

struct Workload {
  std::shared_ptr<InMemoryEventLog> log = std::make_shared<InMemoryEventLog>();
  std::string query;
};

std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("CW_SHARED_DIR")) return env;
  // bench/context/ -> the repository -> ../shared beside it.
  return std::filesystem::path(CW_SOURCE_DIR) / ".." / "shared";
}

// Scenario logs by name, and perfgen logs by "synthetic_<n>"; built once.
Workload& workload(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Workload>> cache;
  auto& slot = cache[name];
  if (!slot) {
    slot = std::make_unique<Workload>();
    std::vector<ContextItem> items;
    if (name.starts_with("synthetic_")) {
      items = cwperf::gen_events(std::stoul(name.substr(10)));
    } else {
      items = load_scenario_jsonl(shared_dir() / "data/reference/benchmarks/scenarios" / (name + ".jsonl"));
    }
    for (const auto& item : items) slot->log->append(item);
    slot->query = scenario_query(items);
  }
  return *slot;
}

ContextBudget benchmark_budget() {
  ContextBudget b;
  b.call = 4000;
  return b;
}

// The named workload, or nullptr after marking the benchmark skipped.
Workload* workload_or_skip(benchmark::State& state, const std::string& name) {
  try {
    return &workload(name);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return nullptr;
  }
}

// A manager over the workload's log with perf.md §3's settings.
std::unique_ptr<ContextManager> fresh_manager(const Workload& w) {
  ContextManagerOptions options;
  options.event_log = w.log;
  options.budget = benchmark_budget();
  return std::make_unique<ContextManager>(options);
}

BuildRequest answer_request(const Workload& w) {
  BuildRequest request;
  request.phase = Phase::answer;
  request.query = w.query;
  return request;
}

// build(answer) on a fresh manager per repetition (construction not timed), as perf.md §3.
void BM_Build(benchmark::State& state, const std::string& name) {
  Workload* w = workload_or_skip(state, name);
  if (w == nullptr) return;
  const BuildRequest request = answer_request(*w);
  std::int64_t included = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto manager = fresh_manager(*w);
    state.ResumeTiming();
    ContextPack pack = manager->build(request);
    included = pack.stats.included_count;
    benchmark::DoNotOptimize(pack);
    state.PauseTiming();
    manager.reset();
    state.ResumeTiming();
  }
  state.counters["included"] = static_cast<double>(included);
}

// BM_Build with the managers made 64 at a time: the same timed work, without
// the two PauseTiming/ResumeTiming pairs per build, whose process-CPU clock
// reads (system calls) add about 2 µs of CPU time to every BM_Build figure.
void BM_BuildBatched(benchmark::State& state, const std::string& name) {
  Workload* w = workload_or_skip(state, name);
  if (w == nullptr) return;
  const BuildRequest request = answer_request(*w);
  constexpr std::size_t kBatch = 64;
  std::vector<std::unique_ptr<ContextManager>> managers;
  std::size_t next = 0;
  std::int64_t included = 0;
  for (auto _ : state) {
    if (next == managers.size()) {
      state.PauseTiming();
      managers.clear();  // the used ones: destruction is not timed, as in BM_Build
      for (std::size_t k = 0; k < kBatch; ++k) managers.push_back(fresh_manager(*w));
      next = 0;
      state.ResumeTiming();
    }
    ContextPack pack = managers[next++]->build(request);
    included = pack.stats.included_count;
    benchmark::DoNotOptimize(pack);
  }
  state.counters["included"] = static_cast<double>(included);
}

// The pipeline run stage by stage (as the manager runs it) with each stage's
// mean time per build reported as a counter in milliseconds.
void BM_BuildStages(benchmark::State& state, const std::string& name) {
  Workload& w = workload(name);
  const ContextPolicy policy;
  const ScoringConfig scoring;
  const CharDivFourEstimator est;
  using clock = std::chrono::steady_clock;
  std::map<std::string, double> total;
  auto lap = [&](const char* stage, clock::time_point& t) {
    auto now = clock::now();
    total[stage] += std::chrono::duration<double, std::milli>(now - t).count();
    t = now;
  };
  for (auto _ : state) {
    InMemoryArtifactStore store;
    auto t = clock::now();
    auto all = w.log->all();
    lap("0_read_log", t);
    auto [candidates, closures] = candidates_with_closure(std::move(all), Phase::answer, policy);
    lap("1_2_candidates_closure", t);
    auto [visible, dropped] = apply_sensitivity_filter(std::move(candidates), policy);
    lap("3_sensitivity", t);
    auto [processed, envelopes] =
        apply_firewall_to_batch(std::move(visible), store, {nullptr, nullptr, nullptr, nullptr, &est});
    lap("4_firewall", t);
    auto scored = score_candidates(std::move(processed), w.query, {}, scoring);
    lap("5_score", t);
    auto [unique, removed] = deduplicate_candidates(std::move(scored), scoring.dedup_threshold);
    lap("6_dedup", t);
    Selection sel = select_items(std::move(unique), 6000, policy, est);
    lap("7_select", t);
    std::string prompt = join_prompt(sel.rendered, "\n\n", "", "");
    benchmark::DoNotOptimize(est.estimate(prompt));
    lap("8_render_fit", t);
    benchmark::DoNotOptimize(prompt);
    benchmark::DoNotOptimize(closures + dropped + removed);
  }
  for (const auto& [stage, ms] : total) state.counters[stage + "_ms"] = ms / static_cast<double>(state.iterations());
}

// Stage 6 alone on the workload's scored candidates, as the build scores them:
// deduplicate_candidates (NearDuplicateIndex) or the reference's quadratic
// oracle. The copy of the scored list each run consumes is not timed.
void BM_Dedup(benchmark::State& state, const std::string& name, bool quadratic) {
  Workload* w = workload_or_skip(state, name);
  if (w == nullptr) return;
  auto [candidates, closures] = candidates_with_closure(w->log->all(), Phase::answer, ContextPolicy{});
  InMemoryArtifactStore store;
  auto [processed, envelopes] = apply_firewall_to_batch(std::move(candidates), store);
  const auto scored = score_candidates(std::move(processed), w->query, {}, ScoringConfig{});
  std::int64_t removed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = scored;
    state.ResumeTiming();
    auto result = quadratic ? deduplicate_candidates_quadratic(std::move(copy), 0.85)
                            : deduplicate_candidates(std::move(copy), 0.85);
    removed = result.second;
    benchmark::DoNotOptimize(result);
    state.PauseTiming();
    result = {};
    state.ResumeTiming();
  }
  state.counters["candidates"] = static_cast<double>(scored.size());
  state.counters["removed"] = static_cast<double>(removed);
}

const char* const kScenarios[] = {"short_conversation", "large_catalog", "long_conversation", "stress_conversation"};

int register_all() {
  for (const char* s : kScenarios) {
    benchmark::RegisterBenchmark((std::string("BM_Build/") + s).c_str(), BM_Build, std::string(s))
        ->Unit(benchmark::kMicrosecond);
  }
  for (const char* s : {"synthetic_1000", "synthetic_10000"}) {
    benchmark::RegisterBenchmark((std::string("BM_Build/") + s).c_str(), BM_Build, std::string(s))
        ->Unit(benchmark::kMillisecond);
  }
  for (const char* s : kScenarios) {
    benchmark::RegisterBenchmark((std::string("BM_BuildBatched/") + s).c_str(), BM_BuildBatched, std::string(s))
        ->Unit(benchmark::kMicrosecond);
  }
  for (const char* s : {"stress_conversation", "synthetic_1000", "synthetic_10000"}) {
    benchmark::RegisterBenchmark((std::string("BM_BuildStages/") + s).c_str(), BM_BuildStages, std::string(s))
        ->Unit(benchmark::kMillisecond);
  }
  for (const char* s : {"stress_conversation", "synthetic_1000"}) {
    benchmark::RegisterBenchmark((std::string("BM_Dedup/index/") + s).c_str(), BM_Dedup, std::string(s), false)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("BM_Dedup/quadratic/") + s).c_str(), BM_Dedup, std::string(s), true)
        ->Unit(benchmark::kMillisecond);
  }
  // The perfgen workload (nothing is a near-duplicate) at growing sizes: the
  // index's cost should grow about linearly; the oracle (quadratic) at 10k only.
  for (const char* n : {"10000", "100000", "300000"}) {
    benchmark::RegisterBenchmark((std::string("BM_Dedup/perfgen/") + n).c_str(), BM_Dedup,
                                 std::string("synthetic_") + n, false)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("BM_Dedup/perfgen_quadratic/10000", BM_Dedup, std::string("synthetic_10000"), true)
      ->Unit(benchmark::kMillisecond);
  return 0;
}

const int kRegistered = register_all();

}  // namespace

BENCHMARK_MAIN();
