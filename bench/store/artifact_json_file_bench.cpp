// JsonFileArtifactStore workloads of spec/perf.md §2: 1,000 artifacts of 64 KiB
// (gen_artifact), Durability::normal (atomic, no fsync), warm page cache.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "contextweaver/store/json_file_artifact_store.hpp"
#include "store/perfgen.hpp"

namespace {

using namespace contextweaver;
namespace fs = std::filesystem;

constexpr int kArtifacts = 1000;

std::string handle_of(int k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "art-%04d", k);
  return buf;
}

// A folder holding all 1,000 artifacts, made once and removed at exit.
struct Corpus {
  fs::path dir = fs::temp_directory_path() / ("cw-bench-artifacts-" + std::to_string(::getpid()));
  std::vector<std::string> bytes;
  std::unique_ptr<JsonFileArtifactStore> store;
  Corpus() {
    fs::remove_all(dir);
    for (int k = 0; k < kArtifacts; ++k) bytes.push_back(cwperf::gen_artifact(k));
    store = std::make_unique<JsonFileArtifactStore>(dir);
    for (int k = 0; k < kArtifacts; ++k)
      store->put(handle_of(k), bytes[static_cast<std::size_t>(k)], "application/json", "perf");
  }
  ~Corpus() {
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Corpus& corpus() {
  static Corpus c;
  return c;
}

// put of a 64 KiB artifact under a new handle into an emptied folder, as
// perf.md's workload does (.data + .json, each a new temp file renamed into
// place). Two inode allocations per put: on a journal-less ext4 their cost
// grows with the inodes freed in the last minutes (e.g. by an earlier run's
// cleanup), so this figure depends on what ran just before.
void BM_JsonFileArtifactStore_Put(benchmark::State& state) {
  auto& c = corpus();
  const fs::path dir = c.dir.string() + "-put";
  fs::remove_all(dir);
  JsonFileArtifactStore store(dir);
  int k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(store.put("put-" + std::to_string(k), c.bytes[static_cast<std::size_t>(k % kArtifacts)],
                                       "application/json", "perf"));
    ++k;
  }
  fs::remove_all(dir);  // after the timed loop
}

// put over an existing artifact of the same handle: written into the store's
// spare (the previous version of the last overwrite) and swapped in with
// RENAME_EXCHANGE; the metadata is identical, so it is only compared.
void BM_JsonFileArtifactStore_PutOverwrite(benchmark::State& state) {
  auto& c = corpus();
  int k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        c.store->put(handle_of(k), c.bytes[static_cast<std::size_t>(k)], "application/json", "perf"));
    k = (k + 1) % kArtifacts;
  }
}

void BM_JsonFileArtifactStore_Get(benchmark::State& state) {
  auto& c = corpus();
  int k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.store->get(handle_of(k)));
    k = (k + 1) % kArtifacts;
  }
}

// Through the corpus's store, whose prefix cache (on by default) holds the
// 1,000 prefixes after the first pass; with `limits`, through a second
// instance over the same folder with that cache.
void drill(benchmark::State& state, const char* selector_text, const JsonFilePrefixCacheLimits* limits = nullptr) {
  auto& c = corpus();
  const Json selector = loads(selector_text);
  std::unique_ptr<JsonFileArtifactStore> own;
  if (limits != nullptr) own = std::make_unique<JsonFileArtifactStore>(c.dir, Durability::normal, *limits);
  const JsonFileArtifactStore& store = own ? *own : *c.store;
  int k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(store.drilldown(handle_of(k), selector));
    k = (k + 1) % kArtifacts;
  }
}

void BM_JsonFileArtifactStore_DrillHead500(benchmark::State& state) {
  drill(state, R"({"type":"head","chars":500})");
}
// The cache off: every call opens and reads the file.
void BM_JsonFileArtifactStore_DrillHead500Uncached(benchmark::State& state) {
  const JsonFilePrefixCacheLimits off{0, 0};
  drill(state, R"({"type":"head","chars":500})", &off);
}
// Every call a miss (100 entries cycled by 1,000 artifacts): fstatat, read and
// caching, the cache's worst case.
void BM_JsonFileArtifactStore_DrillHead500Misses(benchmark::State& state) {
  const JsonFilePrefixCacheLimits small{std::size_t{16} << 20, 100};
  drill(state, R"({"type":"head","chars":500})", &small);
}
void BM_JsonFileArtifactStore_DrillLines10to60(benchmark::State& state) {
  drill(state, R"({"type":"lines","start":10,"end":60})");
}
void BM_JsonFileArtifactStore_DrillJsonKeysIdMeta(benchmark::State& state) {
  drill(state, R"({"type":"json_keys","keys":["id","meta"]})");
}
void BM_JsonFileArtifactStore_DrillRows0to50(benchmark::State& state) {
  drill(state, R"({"type":"rows","start":0,"end":50})");
}

// A new instance over the corpus folder and its list_refs(); false (the
// benchmark marked failed) unless all 1,000 refs are listed.
bool reopen_and_list(benchmark::State& state) {
  JsonFileArtifactStore reopened(corpus().dir);
  const auto refs = reopened.list_refs();
  if (refs.size() != kArtifacts) {
    state.SkipWithError("list_refs did not return 1000 refs");
    return false;
  }
  benchmark::DoNotOptimize(refs.data());
  return true;
}

// A new instance over the folder and list_refs() of the 1,000 refs.
void BM_JsonFileArtifactStore_ReopenListRefs1000(benchmark::State& state) {
  (void)corpus();  // made before the timed loop
  for (auto _ : state) {
    if (!reopen_and_list(state)) return;
  }
}

// The same when the folder's listing index is unusable (damaged here; the
// same work as a folder written by the reference, or a first listing): every
// metadata file is opened and read, and the index is rebuilt. The index is
// spoilt in place (untimed): deleting it would free an inode per iteration,
// and on a journal-less ext4 every later inode allocation then steps over the
// recently freed ones (the first listing of a real folder allocates two, once).
void BM_JsonFileArtifactStore_ReopenListRefs1000NoIndex(benchmark::State& state) {
  auto& c = corpus();
  const fs::path index = c.dir / ".cwrefs.idx";
  for (auto _ : state) {
    state.PauseTiming();
    const int fd = ::open(index.c_str(), O_WRONLY | O_CLOEXEC);
    const bool spoilt = fd >= 0 && ::pwrite(fd, "XXXX", 4, 0) == 4;
    if (fd >= 0) ::close(fd);
    state.ResumeTiming();
    if (!reopen_and_list(state)) return;
    benchmark::DoNotOptimize(spoilt);
  }
}

// The steady state after a change: one artifact's metadata changed (and the
// previous iteration's changed back), more than the index's 20 ms racy margin
// ago (untimed sleep), so the listing reads those two files, takes the other
// 998 from the index and rewrites the index.
void BM_JsonFileArtifactStore_ReopenListRefs1000OneChanged(benchmark::State& state) {
  auto& c = corpus();
  int k = 0;
  for (auto _ : state) {
    state.PauseTiming();
    c.store->put(handle_of(k), c.bytes[static_cast<std::size_t>(k)], "application/json", "perf changed");
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    state.ResumeTiming();
    if (!reopen_and_list(state)) return;
    state.PauseTiming();
    c.store->put(handle_of(k), c.bytes[static_cast<std::size_t>(k)], "application/json", "perf");
    k = (k + 1) % kArtifacts;
    state.ResumeTiming();
  }
}

BENCHMARK(BM_JsonFileArtifactStore_Put)->Iterations(1000);
BENCHMARK(BM_JsonFileArtifactStore_PutOverwrite);
BENCHMARK(BM_JsonFileArtifactStore_Get);
BENCHMARK(BM_JsonFileArtifactStore_DrillHead500);
BENCHMARK(BM_JsonFileArtifactStore_DrillHead500Uncached);
BENCHMARK(BM_JsonFileArtifactStore_DrillHead500Misses);
BENCHMARK(BM_JsonFileArtifactStore_DrillLines10to60);
BENCHMARK(BM_JsonFileArtifactStore_DrillJsonKeysIdMeta);
BENCHMARK(BM_JsonFileArtifactStore_DrillRows0to50);
BENCHMARK(BM_JsonFileArtifactStore_ReopenListRefs1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonFileArtifactStore_ReopenListRefs1000NoIndex)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonFileArtifactStore_ReopenListRefs1000OneChanged)->Unit(benchmark::kMillisecond)->Iterations(40);

}  // namespace
