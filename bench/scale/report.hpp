// bench_scale's figures, the goals and their reports: one markdown
// table per command, and the raw figures as JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace cwscale {

// A goal at one session size: wall seconds and (when set) peak RSS in MB.
struct Goal {
  std::size_t n = 0;
  double seconds = 0;
  std::optional<double> rss_mb;
};

// Each doubling of the session may cost at most this factor in time.
inline constexpr double kMaxGrowthPerDoubling = 2.2;

// The measured runs of one command at one size.
struct SizeFigures {
  std::size_t n = 0;
  std::vector<double> seconds;    // one per run, in run order
  std::vector<long> max_rss_kb;   // one per run
  double median_seconds() const;  // the median run (the mean of the middle two for an even count)
  double max_rss_mb() const;      // the largest run's ru_maxrss, KiB / 1024
};

// One CLI command measured at every size.
struct CommandFigures {
  std::string name;                // as shown: "ingest", "replay", …, "log --json"
  std::vector<Goal> goals;         // the goals (100,000 and 1,000,000 events)
  std::vector<SizeFigures> sizes;  // in the order measured (ascending sizes)
};

// The time growth from `previous` to `current`, normalised to one doubling of
// the session: (t2 / t1) ^ (1 / log2(n2 / n1)).
double growth_per_doubling(const SizeFigures& previous, const SizeFigures& current);

// The markdown table of one command: N, median s, max RSS MB, growth per
// doubling (vs the previous size, judged against kMaxGrowthPerDoubling) and
// the goal at that size with pass/miss.
std::string markdown_table(const CommandFigures& command);

// Every figure, for --json: per command and size the runs, the median, the
// peak RSS, the growth and the goal verdicts.
contextweaver::Json figures_json(const std::vector<CommandFigures>& commands, int repeat);

}  // namespace cwscale
