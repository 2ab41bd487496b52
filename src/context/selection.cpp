#include "contextweaver/context/selection.hpp"

#include <algorithm>
#include <map>

#include "contextweaver/context/prompt.hpp"
#include "join_pieces.hpp"

namespace contextweaver {

namespace {
// At most this much is reserved up front for the renderings.
constexpr std::size_t kRenderedReserveCap = std::size_t{1} << 16;
}  // namespace

std::string join_prompt(const RenderedItems& rendered, std::string_view separator, std::string_view header,
                        std::string_view footer) {
  return context_detail::join_pieces(rendered, rendered.bytes(), separator, header, footer);
}

Selection select_items(std::vector<ScoredItem> scored, std::int64_t limit, const ContextPolicy& policy,
                       const TokenEstimator& estimator, std::string_view separator) {
  Selection sel;
  const std::int64_t sep_cost = estimator.estimate(separator);
  std::int64_t used = 0;
  std::int64_t counts[std::size(kAllItemKinds)] = {};
  std::int64_t caps[std::size(kAllItemKinds)];
  for (ItemKind k : kAllItemKinds) caps[static_cast<int>(k)] = policy.max_items(k);
  std::string rendered;  // scratch: the current item's rendering
  // The selected items are compacted in place and the vector handed over
  // (when everything fits, as is usual, no ScoredItem moves at all).
  const std::size_t expected = std::min<std::size_t>(scored.size(), 128);
  std::size_t text_bytes = 0;  // the renderings' size if all are kept, capped (huge logs keep few)
  for (const auto& s : scored) {
    text_bytes += s.item.text.size() + 32;
    if (text_bytes >= kRenderedReserveCap) break;
  }
  sel.rendered.reserve(expected, std::min(text_bytes, kRenderedReserveCap));
  sel.costs.reserve(expected);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < scored.size(); ++i) {
    ScoredItem& s = scored[i];
    std::int64_t& count = counts[static_cast<int>(s.item.kind)];
    if (count >= caps[static_cast<int>(s.item.kind)]) {
      sel.kind_limited.push_back(std::move(s.item));
      continue;
    }
    render_item_to(s.item, rendered);
    const std::int64_t cost = estimator.estimate(rendered);
    const std::int64_t total = cost + (kept == 0 ? 0 : sep_cost);
    sel.considered_tokens += total;
    if (used + total > limit) {
      sel.over_budget.push_back(std::move(s.item));
      continue;
    }
    used += total;
    ++count;
    sel.costs.push_back(cost);
    sel.rendered.push_back(rendered);
    if (kept != i) scored[kept] = std::move(s);
    ++kept;
  }
  scored.erase(scored.begin() + static_cast<std::ptrdiff_t>(kept), scored.end());
  sel.selected = std::move(scored);
  return sel;
}

OrderedCounts tokens_per_section(const std::vector<ScoredItem>& items, const std::vector<std::int64_t>& costs) {
  // Summed per kind in an array (no string built or compared per item), then
  // listed in order of first appearance, as add_count would list them.
  constexpr std::size_t kKinds = std::size(kAllItemKinds);
  std::int64_t sum[kKinds] = {};
  bool present[kKinds] = {};
  ItemKind order[kKinds];
  std::size_t kinds = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ItemKind kind = items[i].item.kind;
    const auto k = static_cast<std::size_t>(kind);
    if (!present[k]) {
      present[k] = true;
      order[kinds++] = kind;
    }
    sum[k] += costs[i];
  }
  OrderedCounts out;
  out.reserve(kinds);
  for (std::size_t j = 0; j < kinds; ++j) {
    out.emplace_back(std::string(to_string(order[j])), sum[static_cast<std::size_t>(order[j])]);
  }
  return out;
}

std::pair<std::vector<ContextItem>, BuildStats> select_and_pack(std::vector<ScoredItem> scored, Phase phase,
                                                                const ContextBudget& budget,
                                                                const ContextPolicy& policy,
                                                                const TokenEstimator& estimator) {
  const auto total = static_cast<std::int64_t>(scored.size());
  Selection sel = select_items(std::move(scored), budget.for_phase(phase), policy, estimator);
  BuildStats stats;
  stats.tokens_per_section = tokens_per_section(sel.selected, sel.costs);
  stats.total_candidates = total;
  stats.included_count = static_cast<std::int64_t>(sel.selected.size());
  stats.dropped_count = total - stats.included_count;
  if (!sel.kind_limited.empty()) add_count(stats.dropped_reasons, "kind_limit", std::ssize(sel.kind_limited));
  if (!sel.over_budget.empty()) add_count(stats.dropped_reasons, "budget", std::ssize(sel.over_budget));
  std::vector<ContextItem> items;
  items.reserve(sel.selected.size());
  for (auto& s : sel.selected) items.push_back(std::move(s.item));
  return {std::move(items), stats};
}

}  // namespace contextweaver
