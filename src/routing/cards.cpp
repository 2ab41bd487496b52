#include "contextweaver/routing/cards.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/catalog.hpp"

namespace contextweaver {
namespace {

constexpr std::string_view kEmDash = "\u2014";
constexpr std::string_view kEllipsis = "\u2026";

std::string fixed2(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// str.rstrip() (Unicode whitespace).
std::string rstrip(std::string_view s) {
  const std::vector<std::size_t> offsets = code_point_offsets(s);
  std::size_t end = offsets.size() - 1;
  while (end > 0) {
    std::size_t pos = offsets[end - 1];
    if (!py_isspace(decode_code_point(s, pos))) break;
    --end;
  }
  return std::string(s.substr(0, offsets[end]));
}

std::string card_line(const ChoiceCard& card, std::string_view description) {
  std::string line =
      "[1/1] " + card.id + " (" + card.kind + ") " + std::string(kEmDash) + " " + std::string(description);
  if (!card.tags.empty()) line += " [" + join(card.tags, ", ") + "]";
  if (card.score) line += " score=" + fixed2(*card.score);
  return line;
}

}  // namespace

void ChoiceCard::validate() const {
  if (kind != "tool" && kind != "agent" && kind != "skill" && kind != "internal") {
    throw ValueError("ChoiceCard kind must be one of tool, agent, skill, internal; got " + py_repr(kind));
  }
  if (code_point_count(name) > 64) {
    throw ValueError("ChoiceCard name exceeds 64 chars: " + std::to_string(code_point_count(name)));
  }
  if (tags.size() > 5) throw ValueError("ChoiceCard allows at most 5 tags, got " + std::to_string(tags.size()));
  for (const auto& tag : tags) {
    if (code_point_count(tag) > 24) throw ValueError("ChoiceCard tag exceeds 24 chars: " + py_repr(tag));
  }
}

Json ChoiceCard::to_dict() const {
  Json out = Json::object();
  out["id"] = id;
  out["name"] = name;
  out["description"] = description;
  Json t = Json::array();
  for (const auto& tag : tags) t.push_back(tag);
  out["tags"] = t;
  out["kind"] = kind;
  out["namespace"] = namespace_;
  out["has_schema"] = has_schema;
  out["cost_hint"] = cost_hint;
  out["side_effects"] = side_effects;
  if (score) out["score"] = *score;
  return out;
}

ChoiceCard ChoiceCard::from_dict(const Json& data) {
  ChoiceCard card;
  card.id = as_string(require_key(data, "id"), "id");
  card.name = as_string(require_key(data, "name"), "name");
  card.description = as_string(require_key(data, "description"), "description");
  if (data.contains("tags")) card.tags = as_string_list(data.at("tags"), "tags");
  if (data.contains("kind")) card.kind = as_string(data.at("kind"), "kind");
  if (data.contains("namespace")) card.namespace_ = as_string(data.at("namespace"), "namespace");
  if (data.contains("has_schema")) card.has_schema = py_truthy(data.at("has_schema"));
  if (data.contains("score") && !data.at("score").is_null()) card.score = py_float(data.at("score"), "score");
  if (data.contains("cost_hint")) card.cost_hint = py_float(data.at("cost_hint"), "cost_hint");
  if (data.contains("side_effects")) card.side_effects = py_truthy(data.at("side_effects"));
  card.validate();
  return card;
}

std::int64_t count_tokens(std::string_view text, const TokenEstimator* estimator) {
  if (text.empty()) return 0;
  if (estimator != nullptr) return estimator->estimate(text);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(code_point_count(text) / 4));
}

std::string truncate_description_to_tokens(std::string_view text, std::int64_t max_tokens,
                                           const TokenEstimator* estimator) {
  if (max_tokens <= 0) return "";
  if (count_tokens(text, estimator) <= max_tokens) return std::string(text);
  // Sentence ends: [.!?] followed by whitespace (included in the match) or the end.
  const std::vector<std::size_t> offsets = code_point_offsets(text);
  const std::size_t n = offsets.size() - 1;
  std::vector<std::size_t> ends;  // in code points
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[offsets[i]];
    if (c != '.' && c != '!' && c != '?') continue;
    if (i + 1 == n) {
      ends.push_back(i + 1);
    } else {
      std::size_t pos = offsets[i + 1];
      if (py_isspace(decode_code_point(text, pos))) ends.push_back(i + 2);
    }
  }
  for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
    const std::string candidate = rstrip(text.substr(0, offsets[*it]));
    if (count_tokens(candidate, estimator) <= max_tokens) return candidate;
  }
  const std::int64_t target = std::max<std::int64_t>(max_tokens - 1, 0);
  std::int64_t lo = 0, hi = static_cast<std::int64_t>(n), best = 0;
  while (lo <= hi) {
    const std::int64_t mid = (lo + hi) / 2;
    if (count_tokens(text.substr(0, offsets[static_cast<std::size_t>(mid)]), estimator) <= target) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return rstrip(text.substr(0, offsets[static_cast<std::size_t>(best)])) + std::string(kEllipsis);
}

ChoiceCard item_to_card(const SelectableItem& item, std::optional<double> score) {
  ChoiceCard card;
  card.id = item.id;
  card.name = slice_code_points(item.name, std::nullopt, 64);
  std::set<std::string> tags;
  for (const auto& tag : item.tags) tags.insert(slice_code_points(tag, std::nullopt, 24));
  for (const auto& tag : tags) {
    if (card.tags.size() == 5) break;
    card.tags.push_back(tag);
  }
  card.kind = item.kind;
  card.namespace_ = item.namespace_;
  card.description = item.description;
  card.has_schema = py_truthy(item.args_schema);
  card.score = score;
  card.cost_hint = item.cost_hint;
  card.side_effects = item.side_effects;
  card.validate();
  return card;
}

std::vector<ChoiceCard> render_cards(const std::vector<SelectableItem>& items) {
  std::vector<ChoiceCard> out;
  for (const auto& item : items) out.push_back(item_to_card(item));
  return out;
}

std::int64_t card_token_count(const ChoiceCard& card, const TokenEstimator* estimator) {
  return count_tokens(card_line(card, card.description), estimator);
}

ChoiceCard enforce_card_budget(const ChoiceCard& card, const CardBudget& budget) {
  if (card_token_count(card, budget.estimator) <= budget.target_tokens) return card;
  const std::int64_t overhead = count_tokens(card_line(card, ""), budget.estimator);
  const std::int64_t description_budget = std::max<std::int64_t>(budget.target_tokens - overhead, 1);
  ChoiceCard truncated = card;
  truncated.description = truncate_description_to_tokens(card.description, description_budget, budget.estimator);
  const std::int64_t final_tokens = card_token_count(truncated, budget.estimator);
  if (final_tokens > budget.hard_cap_tokens) {
    throw CatalogError("ChoiceCard for " + py_repr(card.id) + " exceeds hard cap (" + std::to_string(final_tokens) +
                       " > " + std::to_string(budget.hard_cap_tokens) +
                       " tokens) after description truncation; non-description fields too large.");
  }
  return truncated;
}

namespace {
void sort_for_browse(std::vector<ChoiceCard>& cards) {
  std::stable_sort(cards.begin(), cards.end(), [](const ChoiceCard& a, const ChoiceCard& b) {
    const double sa = a.score.value_or(0.0), sb = b.score.value_or(0.0);
    return sa != sb ? sa > sb : a.id < b.id;
  });
}
}  // namespace

std::vector<ChoiceCard> make_choice_cards(const std::vector<SelectableItem>& items, std::int64_t max_cards,
                                          const std::map<std::string, double>& scores, const CardBudget& budget) {
  std::vector<ChoiceCard> cards;
  cards.reserve(items.size());
  for (const auto& item : items) {
    const auto it = scores.find(item.id);
    cards.push_back(enforce_card_budget(
        item_to_card(item, it == scores.end() ? std::nullopt : std::optional<double>(it->second)), budget));
  }
  if (!scores.empty()) sort_for_browse(cards);
  cards.resize(py_slice(cards.size(), std::nullopt, max_cards).end);
  return cards;
}

std::vector<ChoiceCard> bound_browse_response(const std::vector<ChoiceCard>& cards, const CardBudget& budget,
                                              std::int64_t preamble_tokens,
                                              std::optional<std::int64_t> max_total_tokens) {
  std::vector<ChoiceCard> ordered = cards;
  sort_for_browse(ordered);
  std::vector<ChoiceCard> kept;
  std::vector<std::int64_t> costs;
  std::int64_t total = 0;
  for (const auto& card : ordered) {
    kept.push_back(enforce_card_budget(card, budget));
    costs.push_back(card_token_count(kept.back(), budget.estimator));
    total += costs.back();
  }
  while (!kept.empty()) {
    const std::int64_t limit = max_total_tokens
                                   ? *max_total_tokens
                                   : budget.target_tokens * static_cast<std::int64_t>(kept.size()) + preamble_tokens;
    if (total + preamble_tokens <= limit) break;
    total -= costs.back();
    costs.pop_back();
    kept.pop_back();
  }
  return kept;
}

std::string render_cards_text(const std::vector<ChoiceCard>& cards) {
  std::vector<std::string> lines;
  const std::string total = std::to_string(cards.size());
  for (std::size_t i = 0; i < cards.size(); ++i) {
    const ChoiceCard& card = cards[i];
    // Appended piece by piece: `"[" + std::string&&` trips a GCC 12 -O3 stringop-overflow false positive.
    std::string line("[");
    line.append(std::to_string(i + 1)).append("/").append(total).append("] ").append(card.id);
    line.append(" (").append(card.kind).append(") ").append(kEmDash).append(" ").append(card.description);
    if (!card.tags.empty()) {
      std::vector<std::string> sorted = card.tags;
      std::sort(sorted.begin(), sorted.end());
      line += " [" + join(sorted, ", ") + "]";
    }
    if (card.score) line += " score=" + fixed2(*card.score);
    lines.push_back(std::move(line));
  }
  return join(lines, "\n");
}

std::string format_card_for_prompt(const ChoiceCard& card) {
  std::vector<std::string> lines = {"[" + card.id + "] " + card.name, "  " + card.description};
  if (!card.tags.empty()) {
    std::vector<std::string> sorted = card.tags;
    std::sort(sorted.begin(), sorted.end());
    lines.push_back("  tags: " + join(sorted, ", "));
  }
  if (card.side_effects) lines.push_back("  ! has side effects");
  if (card.cost_hint != 0.0) lines.push_back("  cost: " + fixed2(card.cost_hint));
  return join(lines, "\n");
}

std::vector<ChoiceCard> cards_for_route(const std::vector<std::string>& route, const Catalog& catalog) {
  std::vector<ChoiceCard> out;
  for (const auto& id : route)
    if (catalog.contains(id)) out.push_back(item_to_card(catalog.get(id)));
  return out;
}

}  // namespace contextweaver
