// Context-engine configuration (config.py): scoring weights, per-phase token
// budgets and the context policy, with the reference's dict shapes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

// Weights of the relevance score (context/scoring) and the dedup threshold.
struct ScoringConfig {
  double recency_weight = 0.3;
  double tag_match_weight = 0.25;
  double kind_priority_weight = 0.35;
  double token_cost_penalty = 0.1;
  double dedup_threshold = 0.85;

  Json to_dict() const;
  // Missing keys take the defaults; values go through Python float().
  static ScoringConfig from_dict(const Json& data);
  bool operator==(const ScoringConfig&) const = default;
};

// Token budget per phase.
struct ContextBudget {
  std::int64_t route = 2000;
  std::int64_t call = 3000;
  std::int64_t interpret = 4000;
  std::int64_t answer = 6000;

  std::int64_t for_phase(Phase phase) const;
  std::int64_t& for_phase(Phase phase);
  Json to_dict() const;
  // Missing keys take the defaults; values go through Python int().
  static ContextBudget from_dict(const Json& data);
  bool operator==(const ContextBudget&) const = default;
};

// Which kinds each phase may see, per-kind caps, and the sensitivity rule.
struct ContextPolicy {
  // Insertion-ordered like the reference's dict; a phase absent here gets no candidates.
  std::vector<std::pair<Phase, std::vector<ItemKind>>> allowed_kinds_per_phase = default_allowed_kinds();
  // Per-kind cap; a kind absent here is capped at 50.
  std::vector<std::pair<ItemKind, std::int64_t>> max_items_per_kind = default_max_items();
  Sensitivity sensitivity_floor = Sensitivity::confidential;
  std::string sensitivity_action = "drop";   // "drop" | "redact"; checked at build time (ConfigError)
  std::vector<std::string> redaction_hooks;  // empty -> ["mask"] in redact mode
  Json extra = Json::object();

  // The kinds allowed in `phase` (empty when the phase is not listed).
  const std::vector<ItemKind>& allowed_kinds(Phase phase) const;
  // The cap of `kind` (50 when not listed).
  std::int64_t max_items(ItemKind kind) const;

  Json to_dict() const;
  // Every key optional; a present allowed_kinds_per_phase replaces the whole
  // map. Bad enum strings -> ValueError; sensitivity_action is not validated here.
  static ContextPolicy from_dict(const Json& data);
  bool operator==(const ContextPolicy&) const = default;

  static std::vector<std::pair<Phase, std::vector<ItemKind>>> default_allowed_kinds();
  static std::vector<std::pair<ItemKind, std::int64_t>> default_max_items();
};

}  // namespace contextweaver
