// SqliteEventLog benchmarks: the workload of spec/perf.md §1 at N = 10,000
// and 100,000 (items from perfgen's gen_events, seed 42), on a file in the
// temporary folder (on disk, not tmpfs, for the fsync figures).
//
// Goals at 100k (docs/benchmarks.md): append FULL <= one fsync + 10 us
// (compare with BM_Fsync), append NORMAL <= 15 us, append_many >=
// 300,000 items/s, get <= 3 us, query(kinds=[tool_result], limit=50) <= 0.2
// ms, tail(20) <= 15 us, children <= 3 us, reopen + count <= 0.3 ms. get,
// tail and children are measured with the read cache (cached) and without
// (no_cache).
// Every benchmark reports max_rss_MiB (the process's peak so far).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <span>
#include <string>
#include <vector>

#include "contextweaver/store/sqlite_event_log.hpp"
#include "store/perfgen.hpp"

namespace {

using namespace contextweaver;

double max_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void report_rss(benchmark::State& state) {
  state.counters["max_rss_MiB"] = max_rss_mib();
}

// A folder under the temporary directory, removed at exit.
const std::filesystem::path& bench_dir() {
  static const auto dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("cw-bench-sqlite-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] { std::filesystem::remove_all(bench_dir()); });
    return d;
  }();
  return dir;
}

void remove_db(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

// Items appended after a log of n items in the append benchmarks.
constexpr std::size_t kExtra = 20000;

// gen_events(n + kExtra), generated once per n: the first n items fill a log,
// the rest are appended to it.
const std::vector<ContextItem>& events(std::size_t n) {
  static std::map<std::size_t, std::vector<ContextItem>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, cwperf::gen_events(n + kExtra)).first;
  return it->second;
}

std::span<const ContextItem> first(std::size_t n) {
  return std::span<const ContextItem>(events(n)).first(n);
}

std::string ev(std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "ev%06zu", i);
  return buf;
}

// A log file holding gen_events(n), built once per n, for the read benchmarks.
std::string prebuilt(std::size_t n) {
  static std::map<std::size_t, std::string> built;
  auto it = built.find(n);
  if (it != built.end()) return it->second;
  const auto path = bench_dir() / ("read_" + std::to_string(n) + ".db");
  remove_db(path);
  {
    SqliteEventLog log(path.string());
    log.append_many(first(n));
  }
  return built.emplace(n, path.string()).first->second;
}

// append(), one transaction per item, to a log that already holds N items
// (filled with append_many, not timed): the per-item cost at size N.
void BM_Append(benchmark::State& state, Durability durability) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& items = events(n);
  const auto path = bench_dir() / "append.db";
  remove_db(path);
  SqliteOptions options;
  options.durability = durability;
  auto log = std::make_unique<SqliteEventLog>(path.string(), options);
  log->append_many(first(n));
  std::size_t i = n;
  for (auto _ : state) {
    if (i == items.size()) {
      state.SkipWithError("more iterations than prepared items");
      break;
    }
    log->append(items[i++]);
  }
  if (log->count() != i) state.SkipWithError("count mismatch after appends");
  log.reset();
  remove_db(path);
  report_rss(state);
}

// fsync cost of this disk: a write of range(0) bytes, then fdatasync. At
// offset 0 every time (a block rewritten in place), or, for `wal_like`, at
// successive offsets of a 4 MiB file written beforehand, wrapping around — the
// pattern of a WAL commit (this schema's single append writes 5 frames of
// 24 + 4,096 bytes = 20,600 bytes, then syncs).
void BM_Fsync(benchmark::State& state, bool wal_like) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto path = bench_dir() / "fsync.bin";
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0) {
    state.SkipWithError("cannot create the fsync probe file");
    return;
  }
  constexpr off_t kFileSize = off_t{4} << 20;
  const std::string block(size, 'x');
  if (wal_like) {
    const std::string fill(static_cast<std::size_t>(kFileSize), 'w');
    if (pwrite(fd, fill.data(), fill.size(), 0) != kFileSize || fdatasync(fd) != 0) {
      state.SkipWithError("cannot fill the fsync probe file");
      ::close(fd);
      return;
    }
  }
  off_t offset = 0;
  for (auto _ : state) {
    if (pwrite(fd, block.data(), block.size(), offset) != static_cast<ssize_t>(block.size()) || fdatasync(fd) != 0) {
      state.SkipWithError("write or fdatasync failed");
      break;
    }
    if (wal_like) {
      offset += static_cast<off_t>(size);
      if (offset + static_cast<off_t>(size) > kFileSize) offset = 0;
    }
  }
  ::close(fd);
  std::filesystem::remove(path);
  report_rss(state);
}

// append_many() of N items into a fresh file, one transaction.
void BM_AppendMany(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto items = first(n);
  const auto path = bench_dir() / "append_many.db";
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(path);
    auto log = std::make_unique<SqliteEventLog>(path.string());
    state.ResumeTiming();
    log->append_many(items);
    state.PauseTiming();
    log.reset();
    state.ResumeTiming();
  }
  remove_db(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  report_rss(state);
}

// The read benchmarks run with the default options, where repeated reads of
// an unchanged file are answered from SqliteEventLog's read cache (the
// 10,000 get ids fit in it), and with the cache off (`no_cache`: every call
// is a SQLite read transaction).
SqliteOptions read_options(bool cache) {
  SqliteOptions options;
  if (!cache) options.read_cache_items = 0;
  return options;
}

void BM_Get(benchmark::State& state, bool cache) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SqliteEventLog log(prebuilt(n), read_options(cache));
  const std::vector<std::string> ids = cwperf::pick_ids(n, 10000);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(log.get(ids[i]));
    if (++i == ids.size()) i = 0;
  }
  report_rss(state);
}

void BM_QueryToolResultLimit50(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SqliteEventLog log(prebuilt(n));
  const std::vector<ItemKind> kinds{ItemKind::tool_result};
  const auto check = log.query(kinds, std::nullopt, 50);
  if (check.size() != 50 || check.front().id != "ev000003" || check.back().id != "ev000199") {
    state.SkipWithError("query returned the wrong items");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(log.query(kinds, std::nullopt, 50));
  report_rss(state);
}

void BM_Tail20(benchmark::State& state, bool cache) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SqliteEventLog log(prebuilt(n), read_options(cache));
  for (auto _ : state) benchmark::DoNotOptimize(log.tail(20));
  report_rss(state);
}

void BM_Children(benchmark::State& state, bool cache) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SqliteEventLog log(prebuilt(n), read_options(cache));
  const std::string parent = ev(n / 2 / 4 * 4);  // a user_turn with exactly one child
  if (log.children(parent).size() != 1) {
    state.SkipWithError("children(x) should return one item");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(log.children(parent));
  report_rss(state);
}

// SqliteEventLog(path) + count(); closing is not timed.
void BM_ReopenCount(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::string path = prebuilt(n);
  for (auto _ : state) {
    auto log = std::make_unique<SqliteEventLog>(path);
    if (log->count() != n) state.SkipWithError("count mismatch");
    state.PauseTiming();
    log.reset();
    state.ResumeTiming();
  }
  report_rss(state);
}

constexpr int kReps = 3;

BENCHMARK_CAPTURE(BM_Append, normal, Durability::normal)
    ->Arg(10000)
    ->Arg(100000)
    ->Iterations(kExtra)
    ->Repetitions(kReps)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Fsync, in_place, false)
    ->Arg(4096)
    ->Iterations(1000)
    ->Repetitions(kReps)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Fsync, wal_like, true)
    ->Arg(4096)
    ->Arg(20600)
    ->Iterations(1000)
    ->Repetitions(kReps)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Append, full, Durability::full)
    ->Arg(10000)
    ->Arg(100000)
    ->Iterations(1000)
    ->Repetitions(kReps)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AppendMany)->Arg(10000)->Arg(100000)->Iterations(1)->Repetitions(kReps)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Get, cached, true)->Arg(10000)->Arg(100000)->Repetitions(kReps)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Get, no_cache, false)->Arg(10000)->Arg(100000)->Repetitions(kReps)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryToolResultLimit50)->Arg(10000)->Arg(100000)->Repetitions(kReps)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Tail20, cached, true)->Arg(10000)->Arg(100000)->Repetitions(kReps)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Tail20, no_cache, false)
    ->Arg(10000)
    ->Arg(100000)
    ->Repetitions(kReps)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Children, cached, true)
    ->Arg(10000)
    ->Arg(100000)
    ->Repetitions(kReps)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Children, no_cache, false)
    ->Arg(10000)
    ->Arg(100000)
    ->Repetitions(kReps)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReopenCount)->Arg(10000)->Arg(100000)->Repetitions(kReps)->Unit(benchmark::kMicrosecond);

}  // namespace
