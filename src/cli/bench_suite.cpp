#include "bench_suite.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "output.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/scenario.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/evaluation.hpp"
#include "contextweaver/routing/default_router.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/any_router.hpp"
#include "contextweaver/routing/tree_builder.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"

namespace contextweaver::cli {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The reference's percentile: sorted samples, index min(int(n * pct), n - 1).
double percentile(std::vector<double> samples, double pct) {
  if (samples.empty()) return 0.0;
  std::sort(samples.begin(), samples.end());
  const auto n = samples.size();
  const auto index = std::min(static_cast<std::size_t>(static_cast<double>(n) * pct), n - 1);
  return py_round(samples[index], 3);
}

void report(const BenchSettings& s, const std::string& label, std::int64_t done, std::int64_t total) {
  if (s.progress) s.progress(label, done, total);
}

// Where a run may stop (BenchSettings::checkpoint). In timed loops it is
// called every 256 iterations only, so it does not weigh on the timings.
void checkpoint(const BenchSettings& s) {
  if (s.checkpoint) s.checkpoint();
}

std::filesystem::path require_path(const std::filesystem::path& path, const char* what) {
  if (!std::filesystem::exists(path)) {
    throw ConfigError(
        fmt::format("bench: {} not found at {} (pass --data DIR, the reference's data folder)", what, path.string()));
  }
  return path;
}

// Ranked ids for one query by one router.
using RouteFn = std::function<std::vector<std::string>(const std::string&)>;

Json routing_cell(const BenchSettings& s, const std::string& router, int size, const std::vector<GoldQuery>& gold,
                  const std::vector<SelectableItem>& items) {
  const auto build_start = Clock::now();
  // Every router through the facade, by name. The default router ranks the
  // catalog flat and needs no tree, so its build time is its index alone.
  AnyRouterOptions options;
  options.top_k = 10;
  std::unique_ptr<AnyRouter> named;
  if (router == "default") {
    named = make_router(ChoiceGraph(), DefaultRouter(items, options.default_router), options);
  } else {
    named = make_router(router, TreeBuilder().build(items, false), items, options);
    named->ensure_index();  // fitted lazily otherwise; it counts as build
  }
  const RouteFn route = [&named](const std::string& q) { return named->route(q).result.candidate_ids; };
  const double build_ms = elapsed_ms(build_start);

  std::set<std::string> ids;
  for (const auto& item : items) ids.insert(item.id);
  std::vector<double> latencies;
  double precision = 0, recall = 0, rr = 0;
  std::int64_t evaluated = 0;
  for (const auto& q : gold) {
    checkpoint(s);
    std::vector<std::string> expected;
    for (const auto& e : q.expected) {
      if (ids.count(e)) expected.push_back(e);
    }
    if (expected.empty()) continue;  // as the reference: only queries the catalog can answer
    std::vector<std::string> predicted;
    for (int run = 0; run < s.timing_runs; ++run) {
      const auto start = Clock::now();
      predicted = route(q.query);
      latencies.push_back(elapsed_ms(start));
    }
    precision += precision_at_k(predicted, expected, static_cast<std::size_t>(s.k));
    recall += recall_at_k(predicted, expected, static_cast<std::size_t>(s.k));
    rr += reciprocal_rank(predicted, expected);
    ++evaluated;
  }
  const double n = evaluated > 0 ? static_cast<double>(evaluated) : 1.0;
  Json cell = Json::object();
  cell["router"] = router;
  cell["catalog_size"] = size;
  cell["queries_evaluated"] = evaluated;
  cell["precision_at_k"] = py_round(precision / n, 4);
  cell["recall_at_k"] = py_round(recall / n, 4);
  cell["mrr"] = py_round(rr / n, 4);
  cell["latency_ms_p50"] = percentile(latencies, 0.50);
  cell["latency_ms_p95"] = percentile(latencies, 0.95);
  cell["latency_ms_p99"] = percentile(latencies, 0.99);
  cell["build_ms"] = py_round(build_ms, 3);
  return cell;
}

Json routing_section(const BenchSettings& s) {
  const auto gold = load_reference_gold(require_path(s.data_dir / "benchmarks/routing_gold.json", "routing gold"));
  Json rows = Json::array();
  const auto total = static_cast<std::int64_t>(s.sizes.size() * s.routers.size());
  std::int64_t done = 0;
  for (int size : s.sizes) {
    const auto path = s.data_dir / "catalogs" / fmt::format("catalog_{}.json", size);
    const auto items = load_catalog(require_path(path, "catalog"));
    for (const auto& router : s.routers) {
      checkpoint(s);
      report(s, fmt::format("routing {} @ {}", router, size), done, total);
      rows.push_back(routing_cell(s, router, size, gold, items));
      ++done;
    }
  }
  report(s, "routing", total, total);
  return rows;
}

Json context_row(const std::filesystem::path& file) {
  const auto items = load_scenario_jsonl(file);
  auto log = std::make_shared<InMemoryEventLog>();
  for (const auto& item : items) log->append(item);
  const std::string query = scenario_query(items);

  const auto make_manager = [&log] {
    ContextManagerOptions options;
    options.event_log = log;
    options.budget = ContextBudget{2000, 4000, 4000, 6000};
    return std::make_unique<ContextManager>(options);
  };
  std::vector<double> latencies;
  std::unique_ptr<ContextManager> manager;
  ContextPack pack;
  for (int rep = 0; rep < 10; ++rep) {  // fresh manager per rep, as the reference's harness
    manager = make_manager();
    const auto start = Clock::now();
    BuildRequest request;
    request.phase = Phase::answer;
    request.query = query;
    pack = manager->build(request);
    latencies.push_back(elapsed_ms(start));
  }
  const auto prompt_tokens = static_cast<std::int64_t>(code_point_count(pack.prompt) / 4);
  double ratio_sum = 0;
  int ratio_count = 0;
  for (const auto& env : pack.envelopes) {
    if (env.artifacts.empty() || env.summary.empty()) continue;
    ratio_sum += static_cast<double>(env.artifacts.front().size_bytes) / static_cast<double>(env.summary.size());
    ++ratio_count;
  }
  Json row = Json::object();
  row["scenario"] = file.stem().string();
  row["event_count"] = items.size();
  row["items_included"] = pack.stats.included_count;
  row["items_dropped"] = pack.stats.dropped_count;
  row["dedup_removed"] = pack.stats.dedup_removed;
  row["prompt_tokens"] = prompt_tokens;
  row["budget_tokens"] = 6000;
  row["budget_utilization_pct"] = py_round(static_cast<double>(prompt_tokens) / 6000.0 * 100.0, 1);
  row["artifacts_created"] = manager->artifact_store().list_refs().size();
  row["avg_compaction_ratio"] = ratio_count > 0 ? py_round(ratio_sum / ratio_count, 2) : 0.0;
  row["build_ms_p50"] = percentile(latencies, 0.50);
  return row;
}

Json context_section(const BenchSettings& s) {
  const auto dir = require_path(s.data_dir / "benchmarks/scenarios", "scenario folder");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  Json rows = Json::array();
  for (std::size_t i = 0; i < files.size(); ++i) {
    checkpoint(s);
    report(s, "context " + files[i].stem().string(), static_cast<std::int64_t>(i),
           static_cast<std::int64_t>(files.size()));
    rows.push_back(context_row(files[i]));
  }
  return rows;
}

ContextItem synthetic_item(std::int64_t i) {
  static constexpr ItemKind kinds[] = {ItemKind::user_turn, ItemKind::agent_msg, ItemKind::tool_call,
                                       ItemKind::tool_result};
  ContextItem item;
  item.id = fmt::format("ev{:06d}", i);
  item.kind = kinds[i % 4];
  item.text = fmt::format("[{} {}] ", to_string(item.kind), i) + std::string(290, 'x');
  item.metadata = Json{{"source", "bench"}, {"turn", i / 4}};
  if (i % 4 == 2) item.parent_id = fmt::format("ev{:06d}", i - 2);
  if (i % 4 == 3) item.parent_id = fmt::format("ev{:06d}", i - 1);
  return item;
}

Json store_section(const BenchSettings& s) {
  report(s, "store", 0, 1);
  const auto dir = std::filesystem::temp_directory_path() /
                   fmt::format("contextweaver-bench-{}", std::chrono::steady_clock::now().time_since_epoch().count());
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};

  const std::int64_t n = s.store_items;
  std::vector<ContextItem> items;
  items.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    if (i % 256 == 0) checkpoint(s);
    items.push_back(synthetic_item(i));
  }

  Json out = Json::object();
  {
    SqliteEventLog log((dir / "append.db").string());
    auto start = Clock::now();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i % 256 == 0) checkpoint(s);
      log.append(items[i]);
    }
    out["sqlite_append_us"] = py_round(elapsed_ms(start) * 1000.0 / static_cast<double>(n), 2);

    start = Clock::now();
    const int gets = 10000;
    for (int i = 0; i < gets; ++i) {
      if (i % 256 == 0) checkpoint(s);
      (void)log.get(items[static_cast<std::size_t>((i * 7919) % n)].id);
    }
    out["sqlite_get_us"] = py_round(elapsed_ms(start) * 1000.0 / gets, 2);

    start = Clock::now();
    const int queries = 200;
    for (int i = 0; i < queries; ++i) {
      if (i % 16 == 0) checkpoint(s);
      (void)log.query(std::vector<ItemKind>{ItemKind::tool_result}, std::nullopt, 50);
    }
    out["sqlite_query_ms"] = py_round(elapsed_ms(start) / queries, 4);
  }
  checkpoint(s);
  {
    SqliteEventLog log((dir / "batch.db").string());
    const auto start = Clock::now();
    log.append_many(items);
    out["sqlite_append_many_items_per_s"] = std::llround(static_cast<double>(n) / (elapsed_ms(start) / 1000.0));
  }
  {
    JsonFileArtifactStore store(dir / "artifacts");
    const std::string blob(65536, 'a');
    const int count = 200;
    auto start = Clock::now();
    checkpoint(s);
    for (int i = 0; i < count; ++i) store.put(fmt::format("art-{:04d}", i), blob, "text/plain");
    out["artifact_put_64k_us"] = py_round(elapsed_ms(start) * 1000.0 / count, 1);
    start = Clock::now();
    for (int i = 0; i < count; ++i) (void)store.get(fmt::format("art-{:04d}", i));
    out["artifact_get_64k_us"] = py_round(elapsed_ms(start) * 1000.0 / count, 1);
  }
  out["items"] = n;
  report(s, "store", 1, 1);
  return out;
}

std::string fmt_num(const Json& v) {
  if (v.is_number_float()) return float_repr(v.get<double>());
  return dumps(v);
}

}  // namespace

Json run_benchmark(const BenchSettings& settings) {
  Json results = Json::object();
  results["benchmark_version"] = "1.1";
  results["k"] = settings.k;
  results["timing_runs"] = settings.timing_runs;
  results["routing"] = routing_section(settings);
  results["context"] = context_section(settings);
  results["store"] = store_section(settings);
  return results;
}

std::string format_scorecard(const Json& results) {
  std::string out = "Routing (gold queries, P@k / R@k / MRR, latency ms)\n";
  std::vector<std::vector<std::string>> rows{
      {"catalog", "router", "queries", "P@5", "R@5", "MRR", "p50", "p95", "p99", "build ms"}};
  for (const auto& r : results["routing"]) {
    rows.push_back({fmt_num(r["catalog_size"]), r["router"].get<std::string>(), fmt_num(r["queries_evaluated"]),
                    fmt_num(r["precision_at_k"]), fmt_num(r["recall_at_k"]), fmt_num(r["mrr"]),
                    fmt_num(r["latency_ms_p50"]), fmt_num(r["latency_ms_p95"]), fmt_num(r["latency_ms_p99"]),
                    fmt_num(r["build_ms"])});
  }
  out += format_table(rows);
  out += "\nContext (answer phase, budget 6000)\n";
  rows = {{"scenario", "events", "included", "dropped", "dedup", "prompt tokens", "util %", "artifacts", "compaction",
           "build ms"}};
  for (const auto& r : results["context"]) {
    rows.push_back({r["scenario"].get<std::string>(), fmt_num(r["event_count"]), fmt_num(r["items_included"]),
                    fmt_num(r["items_dropped"]), fmt_num(r["dedup_removed"]), fmt_num(r["prompt_tokens"]),
                    fmt_num(r["budget_utilization_pct"]), fmt_num(r["artifacts_created"]),
                    fmt_num(r["avg_compaction_ratio"]), fmt_num(r["build_ms_p50"])});
  }
  out += format_table(rows);
  const auto& st = results["store"];
  out += fmt::format(
      "\nStore ({} items)\n  SqliteEventLog append {} µs, append_many {} items/s, get {} µs, "
      "query(tool_result, 50) {} ms\n  JsonFileArtifactStore put 64 KiB {} µs, get {} µs\n",
      fmt_num(st["items"]), fmt_num(st["sqlite_append_us"]), fmt_num(st["sqlite_append_many_items_per_s"]),
      fmt_num(st["sqlite_get_us"]), fmt_num(st["sqlite_query_ms"]), fmt_num(st["artifact_put_64k_us"]),
      fmt_num(st["artifact_get_64k_us"]));
  return out;
}

}  // namespace contextweaver::cli
