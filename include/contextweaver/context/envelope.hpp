// Output types of the context engine (envelope.py): ResultEnvelope,
// BuildStats and ContextPack, with the reference's JSON shapes.
// (ChoiceCard, HydrationResult and RoutingDecision belong to the routing
// module, which defines them; the context module does not depend on routing.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

// An insertion-ordered string -> count map (a Python dict of ints).
using OrderedCounts = std::vector<std::pair<std::string, std::int64_t>>;
// Adds `n` to `key`, appending the key at the end when new.
void add_count(OrderedCounts& counts, const std::string& key, std::int64_t n = 1);
std::int64_t get_count(const OrderedCounts& counts, const std::string& key);

// What the firewall (or an ingest) returns for one tool result.
struct ResultEnvelope {
  std::string status = "ok";  // "ok" | "partial" | "error" (not validated, as in the reference)
  std::string summary;
  std::vector<std::string> facts;
  std::vector<ArtifactRef> artifacts;
  std::vector<ViewSpec> views;
  Json provenance = Json::object();

  // {"status","summary","facts","artifacts","views","provenance"}.
  Json to_dict() const;
  // status and summary required (KeyError); the rest default.
  static ResultEnvelope from_dict(const Json& data);
  bool operator==(const ResultEnvelope&) const = default;
};

// Counters of one build (semantics of docs/compat.md C2/C3, see docs/context.md).
struct BuildStats {
  OrderedCounts tokens_per_section;
  std::int64_t total_candidates = 0;
  std::int64_t included_count = 0;
  std::int64_t dropped_count = 0;
  OrderedCounts dropped_reasons;
  std::int64_t dedup_removed = 0;
  std::int64_t dependency_closures = 0;
  std::int64_t header_footer_tokens = 0;

  // The reference's property: sum of tokens_per_section + header_footer_tokens.
  std::int64_t prompt_tokens() const;

  Json to_dict() const;
  // Every key optional (Python int()).
  static BuildStats from_dict(const Json& data);
  bool operator==(const BuildStats&) const = default;

  // The human-readable report: format "text" or "rich" (markup tags), with an
  // optional phase and budget (0 / nullopt = none). ValueError for another format.
  std::string report(std::string_view format = "text", std::optional<std::string> phase = std::nullopt,
                     std::optional<std::int64_t> budget = std::nullopt) const;
  // {"version":1,"phase","budget","prompt_tokens","tokens_per_section","candidates",
  //  "dropped_reasons","recommendations"} with sorted section and reason keys.
  Json report_dict(std::optional<std::string> phase = std::nullopt,
                   std::optional<std::int64_t> budget = std::nullopt) const;
};

inline constexpr int kBuildStatsReportVersion = 1;

// The result of a build: the prompt, its stats and the firewall's envelopes.
struct ContextPack {
  std::string prompt;
  BuildStats stats;
  Phase phase = Phase::answer;
  std::vector<ResultEnvelope> envelopes;

  // {"prompt","stats","phase","envelopes"}.
  Json to_dict() const;
  // prompt required (KeyError); the rest default.
  static ContextPack from_dict(const Json& data);
  bool operator==(const ContextPack&) const = default;
};

}  // namespace contextweaver
