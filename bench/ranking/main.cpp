// bench_ranking: the default tool router's benchmark and quality-report tool.
//
//   bench_ranking latency [shared] [runs]   per-query p50/p99 at 1,000 and 10,000 tools, build time
//   bench_ranking report <shared> <out.md>  regenerates docs/routing-quality.md
//   bench_ranking dev <shared> [config.json|-] [all|even|odd] [-v]   tuning figures (and misses)
//   bench_ranking conf <shared> [config.json|-] [half]   per-query confidence, for refusal calibration
//   bench_ranking goldmiss <shared> [size]   reference-gold misses at one catalog size
#include <cstdio>
#include <exception>
#include <string>

#include "ranking/bench_common.hpp"

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "latency";
  try {
    if (cmd == "dev") return run_dev(argc, argv);
    if (cmd == "conf") return run_conf(argc, argv);
    if (cmd == "goldmiss") return run_goldmiss(argc, argv);
    if (cmd == "report") return run_report(argc, argv);
    if (cmd == "latency") return run_latency(argc, argv);
    std::fprintf(stderr, "unknown command '%s' (latency | report | dev | conf | goldmiss)\n", cmd.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ranking: %s\n", e.what());
    return 1;
  }
}
