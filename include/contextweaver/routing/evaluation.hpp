// Routing-quality measurement shared by the quality test and the report
// generator: gold-set loading and the reference benchmark's metrics
// (precision@k, recall@k, reciprocal rank over ≤10 predictions).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/routing/default_router.hpp"

namespace contextweaver {

struct GoldQuery {
  std::string id;  // dev set id ("d001"), or the position for the reference gold
  std::string query;
  std::vector<std::string> expected;
  std::string difficulty;  // dev set only: easy | medium | hard
  bool no_tool = false;    // dev set only: nothing in the catalog answers it
};

// A JSON array of SelectableItem objects (named apart from routing's load_catalog,
// which also validates and reads YAML). StorageError, JsonDecodeError, KeyError, TypeError.
std::vector<SelectableItem> load_catalog_array(const std::filesystem::path& path);
// dev_routing/gold.json: {"version": 1, "queries": [{id, query, expected, difficulty, no_tool}]}.
std::vector<GoldQuery> load_dev_gold(const std::filesystem::path& path);
// benchmarks/routing_gold.json: [{query, expected, tags, namespace}].
std::vector<GoldQuery> load_reference_gold(const std::filesystem::path& path);

// |{p ∈ pred[:k] : p ∈ expected}| / k.
double precision_at_k(const std::vector<std::string>& pred, const std::vector<std::string>& expected, std::size_t k);
// |{e ∈ expected : e ∈ pred[:k]}| / |expected| (1.0 when expected is empty).
double recall_at_k(const std::vector<std::string>& pred, const std::vector<std::string>& expected, std::size_t k);
// 1 / rank of the first prediction (of at most 10) in expected, else 0.
double reciprocal_rank(const std::vector<std::string>& pred, const std::vector<std::string>& expected);
// Any expected id in pred[:k] (the dev set README's "hit").
bool hit_at_k(const std::vector<std::string>& pred, const std::vector<std::string>& expected, std::size_t k);

struct QualitySummary {
  std::size_t queries = 0;  // tool queries evaluated (expected non-empty after catalog filtering)
  double precision_at_5 = 0, recall_at_1 = 0, recall_at_5 = 0, hit_at_5 = 0, mrr = 0;
  std::size_t no_tool_queries = 0;
  std::size_t refused_no_tool = 0;    // no-tool queries refused
  std::size_t refused_with_tool = 0;  // tool queries refused (false refusals)
  double refusal_rate() const { return no_tool_queries ? double(refused_no_tool) / double(no_tool_queries) : 0.0; }
  double false_refusal_rate() const { return queries ? double(refused_with_tool) / double(queries) : 0.0; }
};

// Ranks every query (top 10) and averages the metrics. Expected ids absent
// from the ranker are dropped first and a tool query left with none is
// skipped, as the reference harness does; no_tool queries only count refusals.
QualitySummary evaluate(const DefaultRouter& ranker, const std::vector<GoldQuery>& queries);

}  // namespace contextweaver
