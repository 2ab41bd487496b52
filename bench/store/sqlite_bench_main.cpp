// The main() of bench_store (Google Benchmark), kept apart from the benchmark
// files so that every bench/store/*.cpp can register benchmarks.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
