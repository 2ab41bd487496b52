// `contextweaver replay` and `contextweaver stats`: a manager over a session
// (a workspace session's own stores, or a session JSON file restored as in
// the reference) and one phase's context built from it.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "output.hpp"
#include "session_json.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

namespace {

struct BuildOptions {
  std::string phase = "answer";
  std::int64_t budget = 4000;
  bool full = false;
  std::string format = "rich";
  std::optional<std::string> query;  // the reference always builds with "replay" / "stats"
};

std::vector<std::string> phase_names() {
  std::vector<std::string> names;
  for (Phase phase : kAllPhases) names.emplace_back(to_string(phase));
  return names;
}

std::string repr_counts(const OrderedCounts& counts) {
  Json object = Json::object();
  for (const auto& [key, n] : counts) object[key] = n;
  return py_repr_json(object);
}

// The build of one phase from the --session source (which keeps a workspace session open meanwhile).
ContextPack build_phase(ReplaySource& source, const BuildOptions& options, const char* query) {
  BuildRequest request;
  request.phase = parse_phase(options.phase);
  request.query = options.query.value_or(query);
  request.budget_tokens = options.budget;
  return source.manager->build_sync(request);
}

void run_replay(const GlobalOptions& globals, const BuildOptions& options) {
  ReplaySource source = open_replay_source(globals, options.budget);
  const ContextPack pack = build_phase(source, options, "replay");
  const Json& artifacts = source.artifacts;
  const Json& facts = source.facts;
  std::vector<std::string> handles;
  for (const auto& [handle, meta] : artifacts.items()) handles.push_back(handle);
  std::vector<std::string> fact_lines;
  for (const auto& [key, value] : facts.items()) {
    fact_lines.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : py_repr_json(value)));
  }
  if (globals.json) {
    print_json(Json{{"phase", options.phase},
                    {"budget", options.budget},
                    {"stats", pack.stats.to_dict()},
                    {"prompt_tokens", pack.stats.prompt_tokens()},
                    {"artifacts", handles},
                    {"facts", fact_lines},
                    {"prompt", pack.prompt}});
    return;
  }
  const BuildStats& s = pack.stats;
  std::cout << "=== Context Build: phase=" << options.phase << ", budget=" << options.budget << " ===\n"
            << "Stats: total_candidates=" << s.total_candidates << ", included=" << s.included_count
            << ", dropped=" << s.dropped_count << " (" << repr_counts(s.dropped_reasons)
            << "), dedup=" << s.dedup_removed << ", closures=" << s.dependency_closures << "\n"
            << "Token breakdown: " << repr_counts(s.tokens_per_section) << "\n"
            << "Total tokens: " << s.prompt_tokens() << " / " << options.budget << "\n";
  if (!handles.empty()) std::cout << "Artifacts available: " << repr_str_list(handles) << "\n";
  if (!fact_lines.empty()) std::cout << "Facts: " << repr_str_list(fact_lines) << "\n";
  std::cout << "--- Rendered prompt ---\n";
  const std::size_t length = code_point_count(pack.prompt);
  if (options.full || length <= 500) {
    std::cout << pack.prompt << "\n";
  } else {
    std::cout << slice_code_points(pack.prompt, 0, 500) << "\n"
              << "... (" << length - 500 << " more chars, use --full to see all)\n";
  }
}

void run_stats(const GlobalOptions& globals, const BuildOptions& options) {
  ReplaySource source = open_replay_source(globals, options.budget);
  const ContextPack pack = build_phase(source, options, "stats");
  if (globals.json) {
    print_json(
        Json{{"report", pack.stats.report_dict(options.phase, options.budget)}, {"stats", pack.stats.to_dict()}});
    return;
  }
  if (options.format == "text") {
    std::cout << pack.stats.report("text", options.phase, options.budget) << "\n";
  } else {
    std::cout << render_markup(pack.stats.report("rich", options.phase, options.budget), stdout_is_tty()) << "\n";
  }
}

void add_build_options(CLI::App* cmd, BuildOptions& options) {
  cmd->add_option("--phase", options.phase, "Phase to build")
      ->check(CLI::IsMember(phase_names()))
      ->capture_default_str();
  cmd->add_option("--budget", options.budget, "Token budget (every phase)")->capture_default_str();
  cmd->add_option("--query", options.query, "The build's query (default: the command's name, as the reference)");
}

const CommandRegistration kRegistration(50, [](CLI::App& app, GlobalOptions& globals) {
  auto replay_options = std::make_shared<BuildOptions>();
  CLI::App* replay = add_command(app, "replay",
                                 "Replay a session and build the context of one phase. --session names a workspace "
                                 "session, or a session JSON file (a path, or a name ending in .json).",
                                 "  contextweaver replay --session support --phase answer\n"
                                 "  contextweaver replay --session ./session.json --budget 2000 --full\n");
  add_build_options(replay, *replay_options);
  replay->add_flag("--full,!--no-full", replay_options->full, "Show the whole prompt instead of 500 characters");
  replay->callback([&globals, replay_options] { run_replay(globals, *replay_options); });

  auto stats_options = std::make_shared<BuildOptions>();
  CLI::App* stats = add_command(app, "stats",
                                "Report the BuildStats of one phase's build of a session (workspace session or "
                                "session JSON file).",
                                "  contextweaver stats --session support --format text\n"
                                "  contextweaver stats --session ./session.json --phase call --json\n");
  add_build_options(stats, *stats_options);
  stats->add_option("--format", stats_options->format, "rich: compact, coloured on a terminal; text: grep-friendly")
      ->check(CLI::IsMember({"rich", "text"}))
      ->capture_default_str();
  stats->callback([&globals, stats_options] { run_stats(globals, *stats_options); });
});

}  // namespace

}  // namespace contextweaver::cli
