#include "scale/report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace cwscale {

namespace {

using contextweaver::Json;

const Goal* goal_at(const CommandFigures& command, std::size_t n) {
  for (const auto& goal : command.goals) {
    if (goal.n == n) return &goal;
  }
  return nullptr;
}

bool time_met(const Goal& goal, const SizeFigures& figures) {
  return figures.median_seconds() <= goal.seconds;
}

bool rss_met(const Goal& goal, const SizeFigures& figures) {
  return !goal.rss_mb || figures.max_rss_mb() <= *goal.rss_mb;
}

std::string with_thousands(std::size_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string goal_text(const Goal& goal) {
  std::string text = fmt::format("≤ {:g} s", goal.seconds);
  if (goal.rss_mb) text += fmt::format(", ≤ {:g} MB", *goal.rss_mb);
  return text;
}

std::string verdict(const Goal& goal, const SizeFigures& figures) {
  const bool time_ok = time_met(goal, figures);
  const bool rss_ok = rss_met(goal, figures);
  if (time_ok && rss_ok) return "pass";
  if (!time_ok && !rss_ok) return "miss (time, RSS)";
  return time_ok ? "miss (RSS)" : "miss (time)";
}

}  // namespace

double SizeFigures::median_seconds() const {
  if (seconds.empty()) return 0;
  std::vector<double> sorted = seconds;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t mid = sorted.size() / 2;
  return sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

double SizeFigures::max_rss_mb() const {
  long peak = 0;
  for (long kb : max_rss_kb) peak = std::max(peak, kb);
  return static_cast<double>(peak) / 1024.0;
}

double growth_per_doubling(const SizeFigures& previous, const SizeFigures& current) {
  const double doublings = std::log2(static_cast<double>(current.n) / static_cast<double>(previous.n));
  return std::pow(current.median_seconds() / previous.median_seconds(), 1.0 / doublings);
}

std::string markdown_table(const CommandFigures& command) {
  std::string out = fmt::format("### {}\n\n", command.name);
  out += fmt::format("| N | median s | max RSS MB | time per doubling (≤ {:g}×) | goal | |\n", kMaxGrowthPerDoubling);
  out += "|---:|---:|---:|---:|---|---|\n";
  for (std::size_t i = 0; i < command.sizes.size(); ++i) {
    const SizeFigures& figures = command.sizes[i];
    std::string growth = "—";
    if (i > 0 && command.sizes[i - 1].n < figures.n) {
      const double g = growth_per_doubling(command.sizes[i - 1], figures);
      growth = fmt::format("{:.2f}× {}", g, g <= kMaxGrowthPerDoubling ? "pass" : "miss");
    }
    const Goal* goal = goal_at(command, figures.n);
    out += fmt::format("| {} | {:.3f} | {:.0f} | {} | {} | {} |\n", with_thousands(figures.n), figures.median_seconds(),
                       figures.max_rss_mb(), growth, goal ? goal_text(*goal) : "", goal ? verdict(*goal, figures) : "");
  }
  return out;
}

Json figures_json(const std::vector<CommandFigures>& commands, int repeat) {
  Json out = Json::object();
  out["repeat"] = repeat;
  out["max_growth_per_doubling"] = kMaxGrowthPerDoubling;
  Json list = Json::array();
  for (const auto& command : commands) {
    Json sizes = Json::array();
    for (std::size_t i = 0; i < command.sizes.size(); ++i) {
      const SizeFigures& figures = command.sizes[i];
      Json entry = Json::object();
      entry["n"] = static_cast<std::int64_t>(figures.n);
      entry["seconds"] = figures.seconds;
      entry["max_rss_kb"] = figures.max_rss_kb;
      entry["median_seconds"] = figures.median_seconds();
      entry["max_rss_mb"] = figures.max_rss_mb();
      entry["growth_per_doubling"] = nullptr;
      if (i > 0 && command.sizes[i - 1].n < figures.n) {
        entry["growth_per_doubling"] = growth_per_doubling(command.sizes[i - 1], figures);
      }
      entry["goal"] = nullptr;
      if (const Goal* goal = goal_at(command, figures.n)) {
        entry["goal"] = Json{{"seconds", goal->seconds},
                             {"rss_mb", goal->rss_mb ? Json(*goal->rss_mb) : Json(nullptr)},
                             {"time_met", time_met(*goal, figures)},
                             {"rss_met", rss_met(*goal, figures)}};
      }
      sizes.push_back(entry);
    }
    list.push_back(Json{{"command", command.name}, {"sizes", sizes}});
  }
  out["commands"] = list;
  return out;
}

}  // namespace cwscale
