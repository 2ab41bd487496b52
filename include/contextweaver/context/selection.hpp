// Pipeline stage 7: budget-aware selection (context/selection.py, with
// docs/compat.md C2: items cost what their rendering costs).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contextweaver/context/config.hpp"
#include "contextweaver/context/envelope.hpp"
#include "contextweaver/context/scoring.hpp"
#include "contextweaver/tokens/estimator.hpp"

namespace contextweaver {

// Renderings back to back in one buffer (a string per item cost an
// allocation per selected item): item i is operator[](i). A plain value:
// const access may be shared between threads, modification may not.
class RenderedItems {
 public:
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i ? ends_[i - 1] : 0;
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  void push_back(std::string_view rendering) {
    text_.append(rendering);
    ends_.push_back(text_.size());
  }
  void pop_back() {
    ends_.pop_back();
    text_.resize(ends_.empty() ? 0 : ends_.back());
  }
  void reserve(std::size_t items, std::size_t bytes) {
    ends_.reserve(items);
    text_.reserve(bytes);
  }
  std::size_t bytes() const { return text_.size(); }  // all renderings together

 private:
  std::string text_;
  std::vector<std::size_t> ends_;
};

// join_prompt (prompt.hpp) over RenderedItems: the same string.
std::string join_prompt(const RenderedItems& rendered, std::string_view separator, std::string_view header,
                        std::string_view footer);

// Everything the build needs from selection, beyond the public pair.
struct Selection {
  std::vector<ScoredItem> selected;       // selection order (descending score)
  RenderedItems rendered;                 // render_item of each selected item
  std::vector<std::int64_t> costs;        // est(rendered) of each selected item (no separator)
  std::vector<ContextItem> kind_limited;  // dropped by the per-kind cap
  std::vector<ContextItem> over_budget;   // dropped by the budget
  std::int64_t considered_tokens = 0;     // cost of selected + over-budget items, separators included
};

// Greedy in score order with skip-and-continue: an item over its kind's cap
// is a kind_limit drop; otherwise it costs est(render_item(item)) plus
// est(separator) when an item was already selected, and is a budget drop
// when it does not fit in `limit` tokens.
Selection select_items(std::vector<ScoredItem> scored, std::int64_t limit, const ContextPolicy& policy,
                       const TokenEstimator& estimator, std::string_view separator = "\n\n");

// Per kind, the sum of `costs` over `items`, keys in order of first appearance.
OrderedCounts tokens_per_section(const std::vector<ScoredItem>& items, const std::vector<std::int64_t>& costs);

// The reference's entry point: selects against budget.for_phase(phase) and
// reports tokens_per_section, total/included/dropped counts and the
// kind_limit and budget drop reasons (in that key order, non-zero only).
std::pair<std::vector<ContextItem>, BuildStats> select_and_pack(std::vector<ScoredItem> scored, Phase phase,
                                                                const ContextBudget& budget,
                                                                const ContextPolicy& policy,
                                                                const TokenEstimator& estimator);

}  // namespace contextweaver
