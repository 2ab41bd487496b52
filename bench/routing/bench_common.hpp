// Helpers shared by the bench_routing program's commands.
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/evaluation.hpp"

namespace cwbench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Nearest-rank percentile, as the reference harness computes it.
inline double percentile(std::vector<double> v, double pct) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto i = std::min(static_cast<std::size_t>(static_cast<double>(v.size()) * pct), v.size() - 1);
  return v[i];
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw contextweaver::StorageError("cannot read '" + p.string() + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The held-out protocol: "even" = the 1st, 3rd, 5th … tool query and the
// 1st, 3rd … no-tool query in file order (the tuning half), "odd" = the
// others (held out), "all" = every query.
inline std::vector<contextweaver::GoldQuery> split_half(const std::vector<contextweaver::GoldQuery>& all,
                                                        const std::string& half) {
  if (half == "all") return all;
  if (half != "even" && half != "odd") throw contextweaver::ValueError("half must be all, even or odd");
  // Alternate within tool and no-tool queries separately, so that both
  // halves get half of the (few) no-tool queries.
  std::vector<contextweaver::GoldQuery> out;
  std::size_t seen[2] = {0, 0};
  for (const auto& q : all) {
    if (seen[q.no_tool]++ % 2 == (half == "even" ? 0u : 1u)) out.push_back(q);
  }
  return out;
}

}  // namespace cwbench

int run_dev(int argc, char** argv);
int run_conf(int argc, char** argv);
int run_goldmiss(int argc, char** argv);
int run_latency(int argc, char** argv);
int run_report(int argc, char** argv);
int run_reference(int argc, char** argv);
std::string latency_markdown(const std::filesystem::path& shared, int runs);
