// RoutingDecision (envelope.py): the weaver-spec-shaped record of
// one routing call — the choice cards shown, when, and what was picked.
// It lives in routing, beside ChoiceCard, because RouteResult builds it and
// routing depends only on core (the context module does not define it).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/routing/cards.hpp"

namespace contextweaver {

// A UTC instant with microsecond resolution (Python's aware datetime).
using UtcTime = std::chrono::sys_time<std::chrono::microseconds>;

// The current UTC time.
UtcTime utc_now();

// datetime.isoformat() of an aware UTC datetime: "2026-05-14T09:30:15+00:00",
// with ".ffffff" only when the microseconds are non-zero.
std::string utc_isoformat(UtcTime t);

// datetime.fromisoformat(): "YYYY-MM-DD", optionally followed by "T" or " "
// and "HH[:MM[:SS[.f…]]]", then optionally "Z" or "±HH:MM[:SS]". A naive time
// is taken as UTC; an offset converts to UTC (the offset itself is not kept).
// ValueError "Invalid isoformat string: '…'" otherwise.
UtcTime parse_isoformat(std::string_view text);

struct RoutingDecision {
  std::string id;
  std::vector<ChoiceCard> choice_cards;
  UtcTime timestamp{};
  std::optional<std::string> selected_item_id;
  std::optional<std::string> selected_card_id;
  std::optional<std::string> context_summary;
  Json metadata = Json::object();

  // {"id","choice_cards","timestamp" (ISO 8601),"metadata"} then
  // selected_item_id, selected_card_id and context_summary only when set
  // (the weaver-spec schema rejects nulls there).
  Json to_dict() const;
  // id required (KeyError); a missing or non-string timestamp is now, a
  // trailing "Z" means UTC; the other keys default.
  static RoutingDecision from_dict(const Json& data);
  bool operator==(const RoutingDecision&) const = default;
};

// Arguments of RouteResult::to_routing_decision (all optional).
struct RoutingDecisionOptions {
  std::optional<std::string> decision_id;       // default "rd-" + a random UUID4
  std::optional<std::string> selected_item_id;  // the item the LLM picked
  std::optional<std::string> selected_card_id;  // default: the card of selected_item_id, if any
  std::optional<std::string> context_summary;
  std::optional<UtcTime> now;      // default utc_now()
  Json metadata = Json::object();  // caller's; "contextweaver" is merged into
};

// "rd-" + a random version-4 UUID (8-4-4-4-12 lowercase hex).
std::string new_decision_id();

}  // namespace contextweaver
