// `contextweaver bench`: the benchmark scorecard (routing quality and latency,
// context metrics, store throughput) on the reference's inputs.
//
// SIGINT, SIGTERM and SIGHUP stop the run at its next checkpoint: the
// temporary folder of the store section is removed and the exit status is
// 128 + the signal (docs/cli.md#signals); no results are written.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "bench_suite.hpp"
#include "command.hpp"
#include "fileio.hpp"
#include "output.hpp"
#include "session_options.hpp"
#include "stop_signals.hpp"
#include "contextweaver/core/errors.hpp"

namespace contextweaver::cli {
namespace {

struct BenchArgs {
  std::string data = "../shared/data/reference";
  std::string out;
  std::vector<int> sizes{50, 83, 100, 500, 1000};
  std::vector<std::string> routers{"default", "reference-tfidf", "reference-bm25", "reference-fuzzy"};
  int timing_runs = 3;
  std::int64_t store_items = 10000;
};

void run_bench(const GlobalOptions& globals, const BenchArgs& args) {
  const StopSignals signals;
  BenchSettings settings;
  settings.checkpoint = [&signals] { signals.throw_if_received(); };
  settings.data_dir = args.data;
  settings.sizes = args.sizes;
  settings.routers = args.routers;
  settings.timing_runs = args.timing_runs;
  settings.store_items = args.store_items;
  if (!std::filesystem::is_directory(settings.data_dir)) {
    throw ConfigError("bench: data folder " + settings.data_dir.string() +
                      " not found (pass --data DIR: the reference's data with catalogs/ and benchmarks/)");
  }
  std::unique_ptr<Progress> bar;
  settings.progress = [&](const std::string& label, std::int64_t done, std::int64_t total) {
    const bool show = !globals.json && stdout_is_tty();
    if (!bar || done == 0) bar = std::make_unique<Progress>(label, total, show);
    bar->update(done);
    if (done >= total) bar->finish();
  };
  Json results;
  try {
    results = run_benchmark(settings);
    settings.checkpoint();  // a signal during the last section: nothing is written either
  } catch (const Interrupted& stop) {
    bar.reset();
    std::cerr << "contextweaver: bench: " << signal_name(stop.signal())
              << " received; stopped, temporary files removed\n";
    throw;
  }
  bar.reset();

  const std::filesystem::path out =
      args.out.empty() ? workspace_of(globals).root() / "bench" / "latest.json" : std::filesystem::path(args.out);
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  write_file_atomic(out, dumps(results, DumpOptions{false, 2, true}) + "\n");
  if (globals.json) {
    print_json(results);
    return;
  }
  std::cout << format_scorecard(results) << "\nResults written to " << out.string() << "\n";
}

const CommandRegistration kRegistration(90, [](CLI::App& app, GlobalOptions& globals) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = add_command(
      app, "bench",
      "Run the benchmark scorecard: routing precision@5, recall@5, MRR and latency per catalog size and router; "
      "context metrics per scenario; store throughput. Prints the scorecard and writes JSON.",
      "  contextweaver bench\n"
      "  contextweaver bench --data ../shared/data/reference --sizes 83,1000 --routers default,reference-tfidf\n"
      "  contextweaver bench --json --out results.json\n");
  cmd->add_option("--data", args->data, "The reference's data folder (catalogs/, benchmarks/)")->capture_default_str();
  cmd->add_option("--out", args->out, "Where to write the JSON results (default <workspace>/bench/latest.json)");
  cmd->add_option("--sizes", args->sizes, "Catalog sizes (catalogs/catalog_<n>.json)")->delimiter(',');
  cmd->add_option("--routers", args->routers, "Routers: default, reference-tfidf, reference-bm25, reference-fuzzy")
      ->delimiter(',')
      ->check(CLI::IsMember({"default", "reference-tfidf", "reference-bm25", "reference-fuzzy"}));
  cmd->add_option("--timing-runs", args->timing_runs, "route() calls per query")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--store-items", args->store_items, "Items appended in the store section")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->callback([&globals, args] { run_bench(globals, *args); });
});

}  // namespace
}  // namespace contextweaver::cli
