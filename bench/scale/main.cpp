// bench_scale: the long-session benchmark (docs/benchmarks.md#long-sessions-benchscale).
// For each session size N it writes perfgen's workload as a JSONL file and
// times the contextweaver CLI on it as whole processes, as a user runs them:
// ingest, replay, stats, export and log --json. It reports the median wall
// time and the peak RSS of each command, their growth per doubling of the
// session and the goals; --smoke runs each command once and checks
// its output instead (the test run's check, scripts/run-tests).
//
//   bench_scale [--sizes 10000,100000] [--repeat 3] [--dir D] [--keep] [--cli PATH] [--json out.json] [--smoke]
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scale/process.hpp"
#include "scale/report.hpp"
#include "scale/smoke.hpp"
#include "scale/workload.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"

namespace fs = std::filesystem;

namespace {

using cwscale::CommandFigures;
using cwscale::Goal;
using cwscale::SizeFigures;

struct Options {
  std::vector<std::size_t> sizes = {10000, 100000};
  int repeat = 3;
  std::string dir;
  bool keep = false;
  std::string cli = CW_CLI_BINARY;
  std::string json_out;
  bool smoke = false;
};

// The folders of one size: the workload, the ingests' workspaces, the outputs.
struct SizePaths {
  fs::path root;
  fs::path events() const { return root / "events.jsonl"; }
  fs::path workspace(int run) const { return root / fmt::format("ws{}", run); }
  fs::path export_file() const { return root / "export.json"; }
  fs::path out(const std::string& tag) const { return root / (tag + ".out"); }
  fs::path err(const std::string& tag) const { return root / (tag + ".err"); }
};

// One measured command: its name, file tag, arguments after the global
// options, and the goals.
struct Measured {
  std::string name;
  std::string tag;
  std::vector<Goal> goals;
};

const std::vector<Measured>& measured_commands() {
  static const std::vector<Measured> commands = {
      {"ingest", "ingest", {{100000, 0.7, std::nullopt}, {1000000, 7.0, std::nullopt}}},
      {"replay --phase answer --budget 6000", "replay", {{100000, 0.5, 150.0}, {1000000, 5.0, 1024.0}}},
      {"stats --phase answer --budget 6000", "stats", {{100000, 0.5, 150.0}}},
      {"export --out f", "export", {{100000, 0.4, 60.0}, {1000000, 4.0, 60.0}}},
      {"log --json", "log", {{100000, 0.4, 60.0}}},
  };
  return commands;
}

// The CLI's arguments for one command; `workspace` holds session "scale".
std::vector<std::string> command_argv(const Options& options, const std::string& tag, const SizePaths& paths,
                                      const fs::path& workspace) {
  std::vector<std::string> argv = {options.cli, "--workspace", workspace.string(), "--session", "scale"};
  if (tag == "ingest") {
    argv.insert(argv.end(), {"ingest", "--events", paths.events().string()});
  } else if (tag == "replay" || tag == "stats") {
    argv.insert(argv.end(), {tag, "--phase", "answer", "--budget", "6000"});
  } else if (tag == "export") {
    argv.insert(argv.end(), {"export", "--out", paths.export_file().string()});
  } else {
    argv.insert(argv.end(), {"--json", "log"});
  }
  return argv;
}

std::string tail_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

// Runs `work` in a forked child and returns its exit code (1 when it throws),
// so this process never holds what `work` builds: a child started with
// posix_spawn shares this process's memory until exec, and Linux folds that
// memory's peak into the child's ru_maxrss — a parent that had built a
// 1,000,000-event workload, or parsed an export, made every later command
// look as big.
int run_in_child(const std::function<int()>& work) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw contextweaver::StorageError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int code = 1;
    try {
      code = work();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_scale: %s\n", e.what());
    }
    std::fflush(nullptr);
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw contextweaver::StorageError(std::string("waitpid: ") + std::strerror(errno));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

std::uintmax_t write_workload_in_child(const fs::path& path, std::size_t n) {
  if (run_in_child([&] {
        cwscale::write_workload(path, n);
        return 0;
      }) != 0) {
    throw contextweaver::StorageError("writing the workload " + path.string() + " failed");
  }
  return fs::file_size(path);
}

// Runs every command at one size. Returns false (after saying why on stderr)
// when a command fails, or under --smoke when its output is wrong.
bool run_size(const Options& options, std::size_t n, const SizePaths& paths, std::vector<CommandFigures>& figures) {
  fs::create_directories(paths.root);
  const std::uintmax_t bytes = write_workload_in_child(paths.events(), n);
  std::fprintf(stderr, "N=%zu: workload %.1f MB in %s\n", n, static_cast<double>(bytes) / 1e6, paths.events().c_str());
  const int runs = options.smoke ? 1 : options.repeat;
  const auto& commands = measured_commands();
  for (std::size_t c = 0; c < commands.size(); ++c) {
    const Measured& command = commands[c];
    SizeFigures size;
    size.n = n;
    for (int run = 1; run <= runs; ++run) {
      // Every ingest writes a fresh workspace; the other commands read the first one's session.
      const fs::path workspace = paths.workspace(command.tag == "ingest" ? run : 1);
      if (command.tag == "ingest") fs::remove_all(workspace);
      if (command.tag == "export") fs::remove(paths.export_file());
      const cwscale::ProcessRun result = cwscale::run_measured(command_argv(options, command.tag, paths, workspace),
                                                               paths.out(command.tag), paths.err(command.tag));
      std::fprintf(stderr, "  %-36s run %d/%d: %.3f s, %.0f MB, exit %d\n", command.name.c_str(), run, runs,
                   result.seconds, static_cast<double>(result.max_rss_kb) / 1024.0, result.exit_code);
      if (result.exit_code != 0) {
        std::fprintf(stderr, "bench_scale: '%s' failed at N=%zu (exit %d); its stderr:\n%s\n", command.name.c_str(), n,
                     result.exit_code, tail_of(paths.err(command.tag)).c_str());
        return false;
      }
      if (options.smoke &&
          run_in_child([&] {
            const auto problem = cwscale::check_output(command.tag, n, paths.out(command.tag), paths.export_file());
            if (problem)
              std::fprintf(stderr, "bench_scale: '%s' at N=%zu: %s\n", command.name.c_str(), n, problem->c_str());
            return problem ? 1 : 0;
          }) != 0) {
        return false;
      }
      if (command.tag == "ingest" && run > 1) fs::remove_all(workspace);  // only the first is read again
      size.seconds.push_back(result.seconds);
      size.max_rss_kb.push_back(result.max_rss_kb);
    }
    figures[c].sizes.push_back(size);
  }
  return true;
}

// The scratch folder: --dir (created if absent), else a fresh one under the
// system's temporary folder.
fs::path scratch_folder(const Options& options, bool& fresh) {
  fresh = options.dir.empty();
  if (!fresh) {
    fs::create_directories(options.dir);
    return options.dir;
  }
  std::string pattern = (fs::temp_directory_path() / "bench_scale.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw contextweaver::StorageError("cannot create a temporary folder");
  return pattern;
}

int run(const Options& options) {
  if (!fs::exists(options.cli)) throw contextweaver::StorageError("no CLI at '" + options.cli + "' (use --cli)");
  if (options.repeat < 1) throw contextweaver::ValueError("--repeat must be at least 1");
  std::vector<std::size_t> sizes = options.sizes;
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  if (sizes.empty() || sizes.front() < 4) throw contextweaver::ValueError("--sizes must be at least 4 events");

  bool fresh = false;
  const fs::path scratch = scratch_folder(options, fresh);
  std::vector<CommandFigures> figures;
  for (const auto& command : measured_commands()) figures.push_back(CommandFigures{command.name, command.goals, {}});
  bool ok = true;
  for (std::size_t n : sizes) {
    const SizePaths paths{scratch / fmt::format("n{}", n)};
    ok = run_size(options, n, paths, figures);
    if (!options.keep) fs::remove_all(paths.root);
    if (!ok) break;
  }
  if (!options.keep && fresh) fs::remove_all(scratch);
  if (options.keep) std::fprintf(stderr, "kept %s\n", scratch.c_str());
  if (!ok) return 1;

  if (options.smoke) {
    std::printf("bench_scale --smoke: every command ran and printed what it should at N = %s\n",
                fmt::format("{}", fmt::join(sizes, ", ")).c_str());
  } else {
    std::printf("## Long sessions (bench_scale, median of %d runs)\n\n", options.repeat);
    for (const auto& command : figures) std::printf("%s\n", cwscale::markdown_table(command).c_str());
  }
  if (!options.json_out.empty()) {
    std::ofstream out(options.json_out, std::ios::binary | std::ios::trunc);
    contextweaver::Json doc = cwscale::figures_json(figures, options.smoke ? 1 : options.repeat);
    doc["cli"] = options.cli;
    out << contextweaver::dumps(doc, contextweaver::DumpOptions{false, 1, true}) << "\n";
    if (!out) throw contextweaver::StorageError("cannot write '" + options.json_out + "'");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"Times the contextweaver CLI on long sessions (docs/benchmarks.md#long-sessions-benchscale)."};
  app.add_option("--sizes", options.sizes, "Session sizes in events, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--repeat", options.repeat, "Runs per command (the median is reported)")->capture_default_str();
  app.add_option("--dir", options.dir, "Scratch folder (default: a fresh temporary folder)");
  app.add_flag("--keep", options.keep, "Keep the scratch files");
  app.add_option("--cli", options.cli, "The contextweaver binary")->capture_default_str();
  app.add_option("--json", options.json_out, "Also write the raw figures to this JSON file");
  app.add_flag("--smoke", options.smoke, "One run per command, checking outputs instead of judging times");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_scale: %s\n", e.what());
    return 1;
  }
}
