// Latency of the default tool router: per-query p50/p99 and index build time
// (spec: p99 ≤ 1 ms per query at 10,000 tools, build ≤ 0.3 s at 10,000).
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "contextweaver/routing/evaluation.hpp"
#include "routing/bench_common.hpp"

namespace cw = contextweaver;
namespace fs = std::filesystem;

namespace {

std::string ms(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// CPU time of this thread in ms: unlike wall time, not inflated when the
// scheduler hands the core to another process mid-query.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  return cwbench::percentile(std::move(v), 0.5);
}

}  // namespace

std::string latency_markdown(const fs::path& shared, int runs) {
  std::ostringstream md;
  const auto gold = cw::load_reference_gold(shared / "data/reference/benchmarks/routing_gold.json");
  const auto dev = cw::load_dev_gold(shared / "data/dev_routing/gold.json");
  struct Case {
    std::string label;
    fs::path catalog;
    const std::vector<cw::GoldQuery>* queries;
  };
  const std::vector<Case> cases = {
      {"dev catalog (454 real tools), dev queries", shared / "data/dev_routing/catalog.json", &dev},
      {"mcp_537 (real tools), dev queries", shared / "data/real_catalogs/mcp_537.json", &dev},
      {"catalog_1000, reference gold", shared / "data/reference/catalogs/catalog_1000.json", &gold},
      {"catalog_10000, reference gold", shared / "data/reference/catalogs/catalog_10000.json", &gold},
  };
  md << "Machine: " << sysconf(_SC_NPROCESSORS_ONLN) << "-core VM shared with other builds; " << runs
     << " runs per query (top 10, with explanations); build = median of 3 fresh builds.\n\n"
     << "Wall = elapsed time; CPU = the thread's CPU time (the same work without time lost to other processes).\n\n"
     << "| catalog | tools | queries × runs | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms | build wall ms | "
        "build CPU ms |\n"
     << "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& c : cases) {
    if (!fs::exists(c.catalog)) continue;
    const auto items = cw::load_catalog_array(c.catalog);
    std::vector<double> builds, build_cpu;
    for (int i = 0; i < 3; ++i) {
      const double c0 = thread_cpu_ms();
      const auto t0 = cwbench::Clock::now();
      const cw::DefaultRouter r(items);
      builds.push_back(cwbench::ms_since(t0));
      build_cpu.push_back(thread_cpu_ms() - c0);
    }
    const cw::DefaultRouter ranker(items);
    std::vector<double> lat, cpu;
    for (int run = 0; run < runs; ++run) {
      for (const auto& q : *c.queries) {
        const double c0 = thread_cpu_ms();
        const auto t0 = cwbench::Clock::now();
        const auto r = ranker.rank(q.query);
        lat.push_back(cwbench::ms_since(t0));
        cpu.push_back(thread_cpu_ms() - c0);
        if (r.candidates.size() > 10) return "error: more than top_k candidates";
      }
    }
    md << "| " << c.label << " | " << items.size() << " | " << lat.size() << " | " << ms(cwbench::percentile(lat, 0.5))
       << " | " << ms(cwbench::percentile(lat, 0.99)) << " | " << ms(cwbench::percentile(cpu, 0.5)) << " | "
       << ms(cwbench::percentile(cpu, 0.99)) << " | " << ms(median(builds)) << " | " << ms(median(build_cpu)) << " |\n";
  }

  // Incremental updates and persistence at 10,000 tools.
  const fs::path big = shared / "data/reference/catalogs/catalog_10000.json";
  if (fs::exists(big)) {
    auto items = cw::load_catalog_array(big);
    cw::DefaultRouter ranker(items);
    std::vector<double> adds, removes;
    for (std::size_t i = 0; i < 200; ++i) {
      const auto& item = items[i * (items.size() / 200)];
      auto t0 = cwbench::Clock::now();
      ranker.remove(item.id);
      removes.push_back(cwbench::ms_since(t0));
      t0 = cwbench::Clock::now();
      ranker.add(item);
      adds.push_back(cwbench::ms_since(t0));
    }
    const fs::path tmp = fs::temp_directory_path() / ("cw_ranker_bench_" + std::to_string(::getpid()) + ".json");
    auto t0 = cwbench::Clock::now();
    ranker.save(tmp);
    const double save_ms = cwbench::ms_since(t0);
    t0 = cwbench::Clock::now();
    const auto loaded = cw::DefaultRouter::load(tmp);
    const double load_ms = cwbench::ms_since(t0);
    const auto bytes = fs::file_size(tmp);
    fs::remove(tmp);
    md << "\nAt 10,000 tools: add one tool p50 " << ms(median(adds)) << " ms, remove one tool p50 "
       << ms(median(removes)) << " ms (200 each, incremental, no rebuild); save " << ms(save_ms) << " ms, load "
       << ms(load_ms) << " ms (" << bytes / 1024 << " KiB JSON, " << loaded.size() << " tools).\n";
  }
  return md.str();
}

int run_latency(int argc, char** argv) {
  fs::path shared;
  if (argc > 2) {
    shared = argv[2];
  } else if (const char* env = std::getenv("CW_SHARED_DIR"); env && *env) {
    shared = env;
  } else {
    shared = fs::path(CW_SOURCE_DIR) / ".." / "shared";
  }
  const int runs = argc > 3 ? std::stoi(argv[3]) : 5;
  std::printf("%s", latency_markdown(shared, runs).c_str());
  return 0;
}
