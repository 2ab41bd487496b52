#include "contextweaver/context/metrics.hpp"

#include <cstdio>
#include <cstdlib>

#include "contextweaver/core/log.hpp"
#include "contextweaver/core/pyconv.hpp"

namespace contextweaver {

namespace {

double average(double sum, std::int64_t count) {
  return count ? sum / static_cast<double>(count) : 0.0;
}

}  // namespace

void MetricsCollector::record_build(const ContextPack& pack) {
  const BuildStats& stats = pack.stats;
  const std::int64_t prompt_tokens = stats.prompt_tokens();
  {
    std::lock_guard lock(mutex_);
    ++c_.total_builds;
    c_.total_prompt_tokens += prompt_tokens;
    c_.total_dropped += stats.dropped_count;
    c_.total_dedup_removed += stats.dedup_removed;
    for (const auto& [reason, n] : stats.dropped_reasons) c_.drop_reasons[reason] += n;
  }
  if (log_each_) {
    char line[200];
    std::snprintf(line, sizeof line, "build: phase=%s tokens=%lld candidates=%lld included=%lld dropped=%lld",
                  std::string(to_string(pack.phase)).c_str(), static_cast<long long>(prompt_tokens),
                  static_cast<long long>(stats.total_candidates), static_cast<long long>(stats.included_count),
                  static_cast<long long>(stats.dropped_count));
    log_message(LogLevel::info, "contextweaver.metrics", line);
  }
}

void MetricsCollector::record_route(std::size_t candidate_count, std::span<const double> scores) {
  const auto count = static_cast<std::int64_t>(candidate_count);
  const double top = scores.empty() ? 0.0 : scores[0];
  const double gap = scores.size() >= 2 ? scores[0] - scores[1] : 0.0;
  {
    std::lock_guard lock(mutex_);
    ++c_.total_routes;
    c_.candidate_count_sum += count;
    c_.top_score_sum += top;
    c_.confidence_gap_sum += gap;
    if (count > c_.candidate_count_max) c_.candidate_count_max = count;
    if (top > c_.top_score_max) c_.top_score_max = top;
    if (gap > c_.confidence_gap_max) c_.confidence_gap_max = gap;
  }
  if (log_each_) {
    char line[160];
    std::snprintf(line, sizeof line, "route: candidates=%lld top_score=%.4f gap=%.4f", static_cast<long long>(count),
                  top, gap);
    log_message(LogLevel::info, "contextweaver.metrics", line);
  }
}

void MetricsCollector::record_firewall() {
  std::lock_guard lock(mutex_);
  ++c_.firewall_interceptions;
}

void MetricsCollector::record_items_excluded(std::int64_t n) {
  std::lock_guard lock(mutex_);
  c_.items_excluded += n;
}

void MetricsCollector::record_budget_exceeded() {
  std::lock_guard lock(mutex_);
  ++c_.budget_exceeded;
}

Json MetricsCollector::summary() const {
  std::lock_guard lock(mutex_);
  Json reasons = Json::object();
  for (const auto& [reason, n] : c_.drop_reasons) reasons[reason] = n;  // std::map: key-sorted
  Json out = Json::object();
  out["avg_candidates_per_route"] = py_round(average(static_cast<double>(c_.candidate_count_sum), c_.total_routes), 4);
  out["avg_confidence_gap"] = py_round(average(c_.confidence_gap_sum, c_.total_routes), 4);
  out["avg_prompt_tokens"] = py_round(average(static_cast<double>(c_.total_prompt_tokens), c_.total_builds), 4);
  out["avg_top_score"] = py_round(average(c_.top_score_sum, c_.total_routes), 4);
  out["budget_exceeded"] = c_.budget_exceeded;
  out["drop_reasons"] = std::move(reasons);
  out["firewall_interceptions"] = c_.firewall_interceptions;
  out["items_excluded"] = c_.items_excluded;
  out["max_candidates_per_route"] = c_.candidate_count_max;
  out["max_confidence_gap"] = py_round(c_.confidence_gap_max, 4);
  out["max_top_score"] = py_round(c_.top_score_max, 4);
  out["total_builds"] = c_.total_builds;
  out["total_dedup_removed"] = c_.total_dedup_removed;
  out["total_dropped"] = c_.total_dropped;
  out["total_prompt_tokens"] = c_.total_prompt_tokens;
  out["total_routes"] = c_.total_routes;
  return out;
}

void MetricsCollector::reset() {
  std::lock_guard lock(mutex_);
  c_ = Counters{};
}

}  // namespace contextweaver
