// Choice cards (routing/cards.py; docs/gateway.md): compact, schema-free
// views of items for a routing prompt, each bounded in tokens.
//
// Token counts come from an injected TokenEstimator (e.g. the exact cl100k
// tokenizer). Without one, the reference's offline fallback is used:
// len(text) // 4 code points, at least 1 for non-empty text.
//
// Thread-safety: the functions here keep no state and may run concurrently
// (given a TokenEstimator that may).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"
#include "contextweaver/tokens/estimator.hpp"

namespace contextweaver {

class Catalog;

inline constexpr std::int64_t kDefaultCardTargetTokens = 60;
inline constexpr std::int64_t kDefaultCardHardCapTokens = 80;
inline constexpr std::int64_t kDefaultBrowsePreambleTokens = 32;

struct ChoiceCard {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string kind = "tool";
  std::string namespace_;
  bool has_schema = false;
  std::optional<double> score;
  double cost_hint = 0.0;
  bool side_effects = false;

  // ValueError when kind is not tool/agent/skill/internal, the name is longer
  // than 64 code points, there are more than 5 tags or a tag is longer than 24.
  void validate() const;
  // Keys id, name, description, tags, kind, namespace, has_schema, cost_hint,
  // side_effects, then score only when set. Never schemas or examples.
  Json to_dict() const;
  // Validated; missing optional keys take the defaults.
  static ChoiceCard from_dict(const Json& data);
  bool operator==(const ChoiceCard&) const = default;
};

// Tokens of `text`: estimator->estimate(text), or the reference fallback
// (len // 4, at least 1) when `estimator` is null. "" is always 0.
std::int64_t count_tokens(std::string_view text, const TokenEstimator* estimator = nullptr);

// `text` cut to at most `max_tokens`: verbatim when it fits; else the longest
// prefix ending a sentence ([.!?] then whitespace or end) that fits; else the
// longest prefix within max_tokens - 1 tokens, right-stripped, plus "…".
// max_tokens <= 0 gives "".
std::string truncate_description_to_tokens(std::string_view text, std::int64_t max_tokens,
                                           const TokenEstimator* estimator = nullptr);

// The card of an item: name capped at 64 code points, tags cut to 24 code
// points, de-duplicated, sorted, at most 5; has_schema = non-empty args_schema.
ChoiceCard item_to_card(const SelectableItem& item, std::optional<double> score = std::nullopt);
std::vector<ChoiceCard> render_cards(const std::vector<SelectableItem>& items);

struct CardBudget {
  std::int64_t target_tokens = kDefaultCardTargetTokens;
  std::int64_t hard_cap_tokens = kDefaultCardHardCapTokens;
  const TokenEstimator* estimator = nullptr;  // null: the len // 4 fallback
};

// Token cost of a card as one rendered line "[1/1] id (kind) — description [tags] score=x.xx".
std::int64_t card_token_count(const ChoiceCard& card, const TokenEstimator* estimator = nullptr);

// Truncates the description so the card costs at most budget.target_tokens
// where possible; CatalogError "ChoiceCard for 'id' exceeds hard cap (N > C
// tokens) …" when even so it costs more than budget.hard_cap_tokens.
ChoiceCard enforce_card_budget(const ChoiceCard& card, const CardBudget& budget = {});

// One bounded card per item; with a non-empty score map, sorted by score
// descending then id (missing score = 0.0); input order otherwise; first max_cards.
std::vector<ChoiceCard> make_choice_cards(const std::vector<SelectableItem>& items, std::int64_t max_cards = 20,
                                          const std::map<std::string, double>& scores = {},
                                          const CardBudget& budget = {});

// tool_browse response bound (cards really are dropped). Cards sorted by
// score descending then id, each bounded, then the lowest-ranked dropped
// until the summed card costs plus preamble_tokens fit max_total_tokens
// (default: target_tokens per card plus the preamble).
std::vector<ChoiceCard> bound_browse_response(const std::vector<ChoiceCard>& cards, const CardBudget& budget = {},
                                              std::int64_t preamble_tokens = kDefaultBrowsePreambleTokens,
                                              std::optional<std::int64_t> max_total_tokens = std::nullopt);

// "[i/N] id (kind) — description [a, b] score=0.82" lines joined by "\n"; "" for none.
std::string render_cards_text(const std::vector<ChoiceCard>& cards);

// "[id] name", "  description", "  tags: a, b", "  ! has side effects", "  cost: 0.25" (as applicable).
std::string format_card_for_prompt(const ChoiceCard& card);

// Cards (no score) for the ids that are catalog items; other ids are skipped.
std::vector<ChoiceCard> cards_for_route(const std::vector<std::string>& route, const Catalog& catalog);

}  // namespace contextweaver
