// Structured audit record of one route() call (routing/trace.py).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/pyconv.hpp"  // py_round, which the traces apply

namespace contextweaver {

// One beam expansion: the node, its eligible children with their scores
// (best first) and the ids kept on the beam.
struct TraceStep {
  std::int64_t depth = 0;
  std::string node;
  std::vector<std::pair<std::string, double>> scored_children;
  std::vector<std::string> kept;

  // {"depth","node","scored_children":[{"id","score" (4 dp)}],"kept"}.
  Json to_dict() const;
  // Accepts {"id","score"} objects or [id, score] pairs for scored_children.
  static TraceStep from_dict(const Json& data);
  bool operator==(const TraceStep&) const = default;
};

struct RouteTrace {
  std::int64_t trace_version = 1;
  std::string query;
  double confidence_gap = 0.0;
  double top_score = 0.0;
  std::optional<double> runner_up_score;
  bool is_ambiguous = false;
  std::int64_t excluded_count = 0;
  std::int64_t gated_count = 0;
  std::string retriever_engine = "tfidf";
  std::vector<TraceStep> steps;  // only with route(debug=true)
  std::optional<std::string> clarifying_question;
  Json extra = Json::object();

  Json to_dict() const;
  static RouteTrace from_dict(const Json& data);
  // [{"depth": d, "expansions": [{"node", "scored_children"}]}] by ascending depth.
  Json to_legacy_dicts() const;
  bool operator==(const RouteTrace&) const = default;
};

}  // namespace contextweaver
