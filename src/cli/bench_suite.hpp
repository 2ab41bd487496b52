// The benchmark scorecard behind `contextweaver bench`: the reference's
// benchmark (routing quality and latency per catalog size and router, context
// metrics per scenario) plus store throughput, as one JSON document.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver::cli {

struct BenchSettings {
  std::filesystem::path data_dir;  // the reference's inputs: catalogs/, benchmarks/
  std::vector<int> sizes{50, 83, 100, 500, 1000};
  std::vector<std::string> routers{"default", "reference-tfidf", "reference-bm25", "reference-fuzzy"};
  int timing_runs = 3;               // route() calls per query, as the reference's --timing-runs
  int k = 5;                         // precision/recall cut-off
  std::int64_t store_items = 10000;  // items appended in the store throughput section
  // Called with (section label, done, total) as work advances.
  std::function<void(const std::string&, std::int64_t, std::int64_t)> progress;
  // Called often (between queries, files, and every few hundred store
  // operations); may throw to stop the run, e.g. on Ctrl-C. The store
  // section's temporary folder is removed as the exception passes.
  std::function<void()> checkpoint;
};

// Runs every section; ConfigError when the data folder lacks what a section
// needs; whatever settings.checkpoint throws.
Json run_benchmark(const BenchSettings& settings);

// The scorecard as aligned text tables.
std::string format_scorecard(const Json& results);

}  // namespace contextweaver::cli
