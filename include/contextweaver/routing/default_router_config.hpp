// Settings of the default tool router (DefaultRouter) and its document fields.
//
// The defaults were tuned on half of the real-catalog development set
// (docs/routing-quality.md says how, and what the other half shows).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "contextweaver/core/json.hpp"
#include "contextweaver/routing/analyzer.hpp"

namespace contextweaver {

// The fields of a tool document. Order is the storage order.
enum class RankField : std::size_t { name = 0, namespace_ = 1, description = 2, tags = 3, params = 4 };
inline constexpr std::size_t kRankFieldCount = 5;

// "name", "namespace", "description", "tags", "params".
std::string_view to_string(RankField field);

struct DefaultRouterConfig {
  AnalyzerOptions analyzer;
  // BM25F: per-field weight and length normalisation b, one saturation k1.
  // name/namespace/tags are short and precise; descriptions are long and noisy.
  std::array<double, kRankFieldCount> field_weight = {3.0, 2.5, 1.0, 1.5, 0.6};
  std::array<double, kRankFieldCount> field_b = {0.5, 0.0, 0.75, 0.3, 0.5};
  double k1 = 1.2;

  bool related_words = true;     // curated API lexicon (Lexicon::builtin)
  double related_factor = 0.45;  // a related word counts this much of an exact match
  bool typos = true;             // match unknown query terms to catalog terms one or two edits away
  double typo_factor = 0.8;
  // Typo matching only for words that are no English word (EnglishDictionary,
  // WordNet): "contract" is a word the catalog lacks, not a typo of "contact".
  // Off by default: on the tuning half it raised false refusals (ablation).
  bool dictionary = false;
  double hint_factor = 0.5;
  // A generic query word (is_generic_term) counts this much of another word.
  double generic_weight = 1.0;  // context hints count this much of a query term
  // Score × (matched query terms / query terms)^coordination; 0 = off.
  double coordination = 0.0;

  // Refusal: the best candidate's confidence (see RankResult::confidence)
  // below this → refused. Calibrated on the development set.
  double refusal_threshold = 0.075;
  // Also refused (product not named): the best tool matches less than this
  // share of the query's terms (RankResult::coverage) while at least half of
  // them are words no catalog tool holds (RankResult::unknown_terms) …
  double min_coverage = 0.2;
  // … or matches only generic words (is_generic_term: get, list, put, …).
  bool refuse_generic_only = true;

  // All values, for save/load and the report; from_json validates (ConfigError).
  Json to_json() const;
  static DefaultRouterConfig from_json(const Json& data);
  // Throws ConfigError naming the first out-of-range value.
  void validate() const;
};

}  // namespace contextweaver
