// bench_routing: the routers' benchmarks and the quality-report tool.
//
//   bench_routing reference [shared] [runs] [build-only [size]]   the reference beam router: latency per
//                                            backend at 83, 1,000 and 10,000 tools, tree build, index fit
//   bench_routing latency [shared] [runs]   per-query p50/p99 at 1,000 and 10,000 tools, build time
//   bench_routing report <shared> <out.md>  regenerates docs/routing-quality.md
//   bench_routing dev <shared> [config.json|-] [all|even|odd] [-v]   tuning figures (and misses)
//   bench_routing conf <shared> [config.json|-] [half]   per-query confidence, for refusal calibration
//   bench_routing goldmiss <shared> [size]   reference-gold misses at one catalog size
#include <cstdio>
#include <exception>
#include <string>

#include "routing/bench_common.hpp"

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "reference") return run_reference(argc - 1, argv + 1);
    if (cmd == "dev") return run_dev(argc, argv);
    if (cmd == "conf") return run_conf(argc, argv);
    if (cmd == "goldmiss") return run_goldmiss(argc, argv);
    if (cmd == "report") return run_report(argc, argv);
    if (cmd == "latency") return run_latency(argc, argv);
    std::fprintf(stderr, "unknown command '%s' (reference | latency | report | dev | conf | goldmiss)\n", cmd.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_routing: %s\n", e.what());
    return 1;
  }
}
