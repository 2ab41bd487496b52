// Aggregated observability across builds and routes (metrics.py):
// MetricsCollector (thread-safe counters with a JSON summary) and MetricsHook
// (an EventHook feeding one). Route figures take only candidate ids and scores,
// so the collector accepts the routing module's RouteResult, the context
// module's RouteOutcome, or any type with those two members, without the
// context module depending on routing (core <- store <- context; core <- routing).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "contextweaver/context/envelope.hpp"
#include "contextweaver/context/hooks.hpp"
#include "contextweaver/core/json.hpp"

namespace contextweaver {

// Thread-safe: every method takes the collector's mutex.
class MetricsCollector {
 public:
  // `log_each_build`: one INFO line on "contextweaver.metrics" per recorded
  // build and route (off by default).
  explicit MetricsCollector(bool log_each_build = false) : log_each_(log_each_build) {}

  // builds + 1; adds stats.prompt_tokens(), dropped_count, dedup_removed, and
  // merges dropped_reasons into the drop reasons.
  void record_build(const ContextPack& pack);

  // routes + 1; candidate count = candidate_count, top score = scores[0] (0.0
  // if none), confidence gap = scores[0] - scores[1] (0.0 with fewer than two);
  // running sums and maxima (maxima start at 0), O(1) memory.
  void record_route(std::size_t candidate_count, std::span<const double> scores);
  // The same from any route result with `candidate_ids` and `scores` members
  // (RouteResult of the routing module, RouteOutcome of this one).
  template <class Route>
  requires requires(const Route& r) {
    r.candidate_ids.size();
    std::span<const double>(r.scores);
  }
  void record_route(const Route& route) {
    record_route(route.candidate_ids.size(), std::span<const double>(route.scores));
  }

  void record_firewall();
  void record_items_excluded(std::int64_t n);
  void record_budget_exceeded();

  // A snapshot with alphabetical keys: avg_candidates_per_route,
  // avg_confidence_gap, avg_prompt_tokens, avg_top_score (sum / count, 0.0
  // when none, rounded to 4 places as Python's round), budget_exceeded,
  // drop_reasons (key-sorted object), firewall_interceptions, items_excluded,
  // max_candidates_per_route, max_confidence_gap, max_top_score (rounded),
  // total_builds, total_dedup_removed, total_dropped, total_prompt_tokens,
  // total_routes.
  Json summary() const;

  // Zeroes every counter.
  void reset();

 private:
  struct Counters {
    std::int64_t total_builds = 0;
    std::int64_t total_routes = 0;
    std::int64_t total_prompt_tokens = 0;
    std::int64_t total_dropped = 0;
    std::int64_t total_dedup_removed = 0;
    std::int64_t firewall_interceptions = 0;
    std::int64_t items_excluded = 0;
    std::int64_t budget_exceeded = 0;
    std::map<std::string, std::int64_t> drop_reasons;
    std::int64_t candidate_count_sum = 0;
    std::int64_t candidate_count_max = 0;
    double top_score_sum = 0.0;
    double top_score_max = 0.0;
    double confidence_gap_sum = 0.0;
    double confidence_gap_max = 0.0;
  };
  mutable std::mutex mutex_;
  Counters c_;
  bool log_each_;
};

// An EventHook forwarding on_context_built -> record_build,
// on_firewall_triggered -> record_firewall, on_items_excluded ->
// record_items_excluded(items.size()), on_budget_exceeded ->
// record_budget_exceeded. on_route_completed is deliberately a no-op: route
// figures need the scores, which reach the collector through
// ContextManager::build_route_prompt (ContextManagerOptions::metrics).
// Thread-safe, as its collector is.
class MetricsHook final : public EventHook {
 public:
  // Shares `collector`, or owns a fresh one when null.
  explicit MetricsHook(std::shared_ptr<MetricsCollector> collector = nullptr)
      : collector_(collector ? std::move(collector) : std::make_shared<MetricsCollector>()) {}

  const std::shared_ptr<MetricsCollector>& collector() const { return collector_; }

  void on_context_built(const ContextPack& pack) override { collector_->record_build(pack); }
  void on_firewall_triggered(const ContextItem& /*item*/, const std::string& /*reason*/) override {
    collector_->record_firewall();
  }
  void on_items_excluded(const std::vector<ContextItem>& items, const std::string& /*reason*/) override {
    collector_->record_items_excluded(static_cast<std::int64_t>(items.size()));
  }
  void on_budget_exceeded(std::int64_t /*requested*/, std::int64_t /*budget*/) override {
    collector_->record_budget_exceeded();
  }
  void on_route_completed(const std::vector<std::string>& /*tool_ids*/) override {}

 private:
  std::shared_ptr<MetricsCollector> collector_;
};

}  // namespace contextweaver
