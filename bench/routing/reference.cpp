// `bench_routing reference`: the reference beam-search router's benchmarks: per-query latency over the 200 gold
// queries at 83, 1,000 and 10,000 tools (TF-IDF and BM25), tree build and
// index fit at 1,000 and 10,000, and the process's max RSS.
//
// Usage: bench_routing reference [shared_dir] [runs] [build-only [size]]   (shared_dir defaults
// to $CW_SHARED_DIR, then ../shared beside the source tree; runs defaults to 5;
// build-only times just tree build + index fit, for profiling; a fourth
// argument keeps one catalog size).
// Build and fit are reported as medians of CPU time (this thread's), because
// the machine the figures come from is shared; latencies are wall time.
#include <time.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/tree_builder.hpp"
#include "routing/bench_common.hpp"

namespace cw = contextweaver;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// This thread's CPU time in ms (unaffected by other processes' load).
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Nearest-rank percentile, as the reference harness computes it.
double percentile(std::vector<double> v, double pct) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto i = std::min(static_cast<std::size_t>(static_cast<double>(v.size()) * pct), v.size() - 1);
  return v[i];
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

long max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

// argv[0] is the command name; the arguments follow it.
int run_reference(int argc, char** argv) {
  std::filesystem::path shared;
  if (argc > 1) {
    shared = argv[1];
  } else if (const char* env = std::getenv("CW_SHARED_DIR"); env && *env) {
    shared = env;
  } else {
    shared = std::filesystem::path(CW_SOURCE_DIR) / ".." / "shared";
  }
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  const bool build_only = argc > 3 && std::string(argv[3]) == "build-only";
  const auto gold_path = shared / "data" / "reference" / "benchmarks" / "routing_gold.json";
  if (!std::filesystem::exists(gold_path)) {
    std::fprintf(stderr, "reference data not found under %s\n", shared.c_str());
    return 1;
  }
  std::vector<std::string> queries;
  for (const auto& entry : cw::loads(slurp(gold_path))) queries.push_back(entry.at("query").get<std::string>());

  std::printf("routing benchmark: %zu gold queries, %d runs per cell (10,000: 1 run)\n", queries.size(), runs);
  std::printf("%-6s %7s %10s %10s %10s %10s %12s %12s\n", "engine", "tools", "median_ms", "mean_ms", "p95_ms", "p99_ms",
              "build_cpu_ms", "fit_cpu_ms");
  const int only_size = argc > 4 ? std::atoi(argv[4]) : 0;
  for (const int size : {83, 1000, 10000}) {
    if (only_size != 0 && size != only_size) continue;
    const auto catalog = shared / "data" / "reference" / "catalogs" / ("catalog_" + std::to_string(size) + ".json");
    const std::vector<cw::SelectableItem> items = cw::load_catalog(catalog);
    for (const char* backend : {"tfidf", "bm25"}) {
      // Tree build (uncached) and index fit, best of a few builds.
      std::vector<double> builds, fits;
      cw::ChoiceGraph graph;
      const int build_reps = size >= 10000 ? 3 : 10;
      for (int r = 0; r < build_reps; ++r) {
        cw::TreeBuilder builder;
        const double t0 = cpu_ms();
        graph = builder.build(items, false);
        builds.push_back(cpu_ms() - t0);
        cw::ReferenceRouterOptions options;
        options.scorer_backend = backend;
        const cw::ReferenceRouter probe(graph, items, options);
        const double t1 = cpu_ms();
        probe.ensure_index();
        fits.push_back(cpu_ms() - t1);
      }
      if (build_only) {
        std::printf("%-6s %7d %10s %10s %10s %10s %12.2f %12.2f\n", backend, size, "-", "-", "-", "-", median(builds),
                    median(fits));
        continue;
      }
      cw::ReferenceRouterOptions options;
      options.scorer_backend = backend;
      const cw::ReferenceRouter router(graph, items, options);
      router.ensure_index();
      router.route(queries.front());  // warm-up
      std::vector<double> latencies;
      const int cell_runs = size >= 10000 ? 1 : runs;
      std::size_t sink = 0;
      for (int r = 0; r < cell_runs; ++r) {
        for (const auto& q : queries) {
          const auto t0 = Clock::now();
          const cw::RouteResult result = router.route(q);
          latencies.push_back(ms_since(t0));
          sink += result.candidate_ids.size();
        }
      }
      double mean = 0.0;
      for (const double l : latencies) mean += l;
      mean /= static_cast<double>(latencies.size());
      std::printf("%-6s %7d %10.4f %10.4f %10.4f %10.4f %12.2f %12.2f   (candidates %zu)\n", backend, size,
                  median(latencies), mean, percentile(latencies, 0.95), percentile(latencies, 0.99), median(builds),
                  median(fits), sink);
    }
  }
  std::printf("max RSS: %.1f MiB\n", static_cast<double>(max_rss_kb()) / 1024.0);
  return 0;
}
