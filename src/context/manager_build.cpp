// ContextManager (manager.hpp), split from manager.cpp: build() with its
// eight stages over the manager's per-item records (build_cache.hpp), the
// memory header, the C2 budget fit and the BuildStats of docs/compat.md C2/C3.
#include <algorithm>
#include <cmath>
#include <set>

#include "contextweaver/context/candidates.hpp"
#include "contextweaver/context/dedup.hpp"
#include "contextweaver/context/firewall.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/prompt.hpp"
#include "contextweaver/context/scoring.hpp"
#include "contextweaver/context/selection.hpp"
#include "contextweaver/context/sensitivity.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "build_cache.hpp"

namespace contextweaver {

namespace {

constexpr std::string_view kSeparator = "\n\n";
constexpr std::size_t kMaxFactLines = 64;
constexpr std::size_t kMaxFactChars = 2000;

// The sensitivity of a fact or episode: metadata["sensitivity"] (public when absent).
Sensitivity memory_sensitivity(const Json& metadata, const std::string& what) {
  if (!metadata.is_object()) return Sensitivity::public_;
  auto it = metadata.find("sensitivity");
  if (it == metadata.end()) return Sensitivity::public_;
  try {
    return sensitivity_from_json(*it);
  } catch (const ValueError& e) {
    throw ValueError(what + ": " + e.what());
  }
}

// Applies the policy to one header line's text (C6): nullopt = left out.
std::optional<std::string> screen(const std::string& id, const std::string& text, Sensitivity sensitivity,
                                  const ContextPolicy& policy,
                                  const std::vector<std::shared_ptr<const RedactionHook>>& hooks) {
  if (static_cast<int>(sensitivity) < static_cast<int>(policy.sensitivity_floor)) return text;
  if (policy.sensitivity_action != "redact") return std::nullopt;
  ContextItem item;
  item.id = id;
  item.kind = ItemKind::memory_fact;
  item.text = text;
  item.sensitivity = sensitivity;
  for (const auto& hook : hooks) item = hook->redact(item);
  return item.text;
}

// The budget of the request's phase (its own budget_tokens win); ConfigError
// when negative.
std::int64_t checked_phase_budget(const ContextBudget& budget, const BuildRequest& request) {
  ContextBudget eff = budget;
  if (request.budget_tokens) eff.for_phase(request.phase) = *request.budget_tokens;
  const std::int64_t phase_budget = eff.for_phase(request.phase);
  if (phase_budget < 0) {
    throw ConfigError("Token budget for phase " + py_repr(to_string(request.phase)) + " must be >= 0, got " +
                      std::to_string(phase_budget));
  }
  return phase_budget;
}

// query_tags and hints, sorted and unique.
std::vector<std::string> request_tags(const BuildRequest& request) {
  std::set<std::string> tag_set(request.query_tags.begin(), request.query_tags.end());
  tag_set.insert(request.hints.begin(), request.hints.end());
  return {tag_set.begin(), tag_set.end()};
}

// The prompt's header (memory header, then the request's) and the C2
// reservation for it and the footer, separators included.
struct Frame {
  std::string header;
  std::int64_t reservation = 0;
};

// BudgetExceededError when the header and footer alone exceed the budget.
Frame frame_of(const std::string& memory, const BuildRequest& request, const TokenEstimator& estimator,
               std::int64_t phase_budget) {
  Frame frame;
  frame.header = memory;
  if (!request.header.empty()) frame.header = memory.empty() ? request.header : memory + "\n\n" + request.header;
  const std::int64_t sep_cost = estimator.estimate(kSeparator);
  if (!frame.header.empty()) frame.reservation += estimator.estimate(frame.header) + sep_cost;
  if (!request.footer.empty()) frame.reservation += estimator.estimate(request.footer) + sep_cost;
  if (frame.reservation > phase_budget) {
    throw BudgetExceededError("Header and footer need " + std::to_string(frame.reservation) +
                              " tokens, more than the " + std::string(to_string(request.phase)) + " budget of " +
                              std::to_string(phase_budget));
  }
  return frame;
}

// Stage 7's outcome as log positions of the build cache (selection.hpp's
// Selection, without holding the items).
struct LightSelection {
  std::vector<std::uint32_t> selected;  // selection order (descending score)
  RenderedItems rendered;               // render_item of each selected item
  std::vector<std::int64_t> costs;      // est(rendered) of each selected item
  std::vector<std::uint32_t> kind_limited;
  std::vector<std::uint32_t> over_budget;
  std::int64_t considered_tokens = 0;  // selected + over-budget costs, separators included
};

// The selected items joined with the frame, in selection order or, when the
// request asks, in log order.
std::string render_prompt(const LightSelection& sel, const BuildRequest& request, const std::string& header) {
  if (!request.chronological) return join_prompt(sel.rendered, kSeparator, header, request.footer);
  std::vector<std::size_t> order(sel.selected.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sel.selected[a] < sel.selected[b]; });
  RenderedItems rendered;
  rendered.reserve(order.size(), sel.rendered.bytes());
  for (std::size_t i : order) rendered.push_back(sel.rendered[i]);
  return join_prompt(rendered, kSeparator, header, request.footer);
}

// C2: the rendered prompt, after moving the lowest-scored selected items to
// over_budget until it fits the budget.
std::string fit_prompt(LightSelection& sel, const BuildRequest& request, const std::string& header,
                       const TokenEstimator& estimator, std::int64_t phase_budget) {
  std::string prompt = render_prompt(sel, request, header);
  while (!sel.selected.empty() && estimator.estimate(prompt) > phase_budget) {
    sel.over_budget.push_back(sel.selected.back());
    sel.selected.pop_back();
    sel.rendered.pop_back();
    sel.costs.pop_back();
    prompt = render_prompt(sel, request, header);
  }
  return prompt;
}

// At most this many items are re-read one by one (EventLog::get); more are
// picked from one scan of the log.
constexpr std::size_t kMaxSingleReads = 256;

// The log's items at `positions` (any order, repeats allowed), in that order.
std::vector<ContextItem> read_items(const EventLog& log, const context_detail::BuildCache& cache,
                                    const std::vector<std::uint32_t>& positions) {
  std::vector<ContextItem> out;
  out.reserve(positions.size());
  if (positions.size() <= kMaxSingleReads) {
    for (std::uint32_t p : positions) out.push_back(log.get(std::string(cache.log_id(p))));
    return out;
  }
  std::vector<std::uint32_t> sorted(positions);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<ContextItem> found(sorted.size());
  std::size_t at = sorted.front();
  std::size_t next = 0;  // index in sorted of the next position wanted
  log.scan(sorted.front(), [&](ContextItem&& item) {
    if (next < sorted.size() && at == sorted[next]) found[next++] = std::move(item);
    ++at;
  });
  for (std::uint32_t p : positions) {
    const auto k = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), p) - sorted.begin());
    out.push_back(found[k]);
  }
  return out;
}

// The processed items (after sensitivity and firewall) at `positions`.
std::vector<ContextItem> processed_items(const EventLog& log, const context_detail::BuildCache& cache,
                                         const std::vector<std::uint32_t>& positions, bool before_firewall = false) {
  std::vector<ContextItem> items = read_items(log, cache, positions);
  for (std::size_t k = 0; k < items.size(); ++k) {
    items[k] = cache.processed(positions[k], std::move(items[k]), before_firewall);
  }
  return items;
}

// store_raw of firewall.cpp: the raw bytes unless the same bytes, type and
// label are already there (docs/compat.md C5).
void store_raw(ArtifactStore& store, const ArtifactRef& ref, std::string_view raw) {
  if (store.exists(ref.handle)) {
    ArtifactRef existing = store.ref(ref.handle);
    if (existing.media_type == ref.media_type && existing.label == ref.label &&
        existing.size_bytes == static_cast<std::int64_t>(raw.size()) && store.get(ref.handle) == raw) {
      return;
    }
  }
  store.put(ref.handle, raw, ref.media_type, ref.label);
}

// What each stage dropped, for BuildStats (C3: included + dropped == total).
struct Drops {
  std::int64_t entering_selection = 0;  // candidates left after dedup
  std::int64_t dedup = 0;
  std::int64_t sensitivity = 0;
  std::int64_t closures = 0;
};

// tokens_per_section (selection.hpp) over the selected positions.
OrderedCounts section_tokens(const LightSelection& sel, const context_detail::BuildCache& cache) {
  constexpr std::size_t kKinds = std::size(kAllItemKinds);
  std::int64_t sum[kKinds] = {};
  bool present[kKinds] = {};
  ItemKind order[kKinds];
  std::size_t kinds = 0;
  for (std::size_t i = 0; i < sel.selected.size(); ++i) {
    const ItemKind kind = cache.kind(sel.selected[i]);
    const auto k = static_cast<std::size_t>(kind);
    if (!present[k]) {
      present[k] = true;
      order[kinds++] = kind;
    }
    sum[k] += sel.costs[i];
  }
  OrderedCounts out;
  out.reserve(kinds);
  for (std::size_t j = 0; j < kinds; ++j) {
    out.emplace_back(std::string(to_string(order[j])), sum[static_cast<std::size_t>(order[j])]);
  }
  return out;
}

BuildStats build_stats(const LightSelection& sel, const context_detail::BuildCache& cache, const Drops& drops,
                       std::int64_t reservation) {
  BuildStats stats;
  stats.tokens_per_section = section_tokens(sel, cache);
  stats.included_count = static_cast<std::int64_t>(sel.selected.size());
  stats.total_candidates = drops.entering_selection + drops.dedup + drops.sensitivity;
  stats.dropped_count = stats.total_candidates - stats.included_count;
  if (drops.dedup) add_count(stats.dropped_reasons, "dedup", drops.dedup);
  if (!sel.kind_limited.empty()) add_count(stats.dropped_reasons, "kind_limit", std::ssize(sel.kind_limited));
  if (!sel.over_budget.empty()) add_count(stats.dropped_reasons, "budget", std::ssize(sel.over_budget));
  if (drops.sensitivity) add_count(stats.dropped_reasons, "sensitivity", drops.sensitivity);
  stats.dedup_removed = drops.dedup;
  stats.dependency_closures = drops.closures;
  stats.header_footer_tokens = reservation;
  return stats;
}

// docs/compat.md C8: tell the hook what was left out (the items re-read from
// the log only for a hook that looks at them).
void report_exclusions(EventHook& hook, const EventLog& log, const context_detail::BuildCache& cache,
                       const std::vector<std::uint32_t>& sensitive, const std::vector<std::uint32_t>& duplicates,
                       const LightSelection& sel, std::int64_t reservation, std::int64_t phase_budget) {
  if (hook.observes_items()) {
    if (!sensitive.empty()) hook.on_items_excluded(read_items(log, cache, sensitive), "sensitivity");
    if (!duplicates.empty()) hook.on_items_excluded(processed_items(log, cache, duplicates), "dedup");
    if (!sel.kind_limited.empty()) hook.on_items_excluded(processed_items(log, cache, sel.kind_limited), "kind_limit");
    if (!sel.over_budget.empty()) hook.on_items_excluded(processed_items(log, cache, sel.over_budget), "budget");
  }
  if (!sel.over_budget.empty()) hook.on_budget_exceeded(sel.considered_tokens + reservation, phase_budget);
}

}  // namespace

std::string ContextManager::memory_header() const {
  const auto hooks = resolve_redaction_hooks(policy_);
  std::vector<std::string> sections;
  std::vector<std::string> episode_lines;
  for (const auto& ep : episodic_store_->latest(3)) {
    auto text = screen(ep.episode_id, ep.summary, memory_sensitivity(ep.metadata, "episode " + py_repr(ep.episode_id)),
                       policy_, hooks);
    if (text) episode_lines.push_back("- " + *text);
  }
  if (!episode_lines.empty()) {
    std::string section = "[EPISODIC MEMORY]";
    for (const auto& line : episode_lines) section += "\n" + line;
    sections.push_back(std::move(section));
  }
  std::vector<std::pair<std::string, std::string>> facts;  // key, screened value
  for (const auto& fact : fact_store_->all()) {
    auto value = screen(fact.fact_id, fact.value, memory_sensitivity(fact.metadata, "fact " + py_repr(fact.fact_id)),
                        policy_, hooks);
    if (value) facts.emplace_back(fact.key, *value);
  }
  if (!facts.empty()) {
    std::string section = "[FACTS]";
    std::size_t total = 7;
    for (std::size_t idx = 0; idx < facts.size(); ++idx) {
      if (idx >= kMaxFactLines) {
        section += "\n- ... (" + std::to_string(facts.size() - idx) + " more facts omitted)";
        break;
      }
      std::string line = "- " + facts[idx].first + ": " + facts[idx].second;
      const std::size_t len = code_point_count(line);
      if (total + len > kMaxFactChars) {
        section += "\n- ... (facts truncated to fit header budget)";
        break;
      }
      section += "\n" + line;
      total += len;
    }
    sections.push_back(std::move(section));
  }
  std::string out;
  for (std::size_t i = 0; i < sections.size(); ++i) out += (i ? "\n\n" : "") + sections[i];
  return out;
}

ContextPack ContextManager::build(const BuildRequest& request) {
  using context_detail::BuildCache;
  const std::int64_t phase_budget = checked_phase_budget(budget_, request);
  const std::vector<std::string> tags = request_tags(request);

  // Header and the C2 reservation first: every check that can fail runs
  // before stage 4 writes to the artifact store.
  const Frame frame = frame_of(memory_header(), request, *estimator_, phase_budget);
  resolve_redaction_hooks(policy_);  // validates the sensitivity policy

  // What every item contributes, read only for items new since the last
  // build (docs/context.md#warm-builds); writes nothing.
  auto& slot = build_cache_.cache;
  if (!slot || !slot->matches(policy_, scoring_)) {
    slot = std::make_unique<BuildCache>(
        policy_, scoring_, context_detail::CacheInputs{estimator_.get(), summarizer_.get(), extractor_.get()});
  }
  BuildCache& cache = *slot;
  cache.sync(*event_log_);
  const std::size_t n = cache.size();

  // Stages 1-2: the phase's kinds and their dependency closure (as
  // candidates_with_closure).
  Drops drops;
  bool allowed[std::size(kAllItemKinds)] = {};
  for (ItemKind k : policy_.allowed_kinds(request.phase)) allowed[static_cast<std::size_t>(k)] = true;
  std::vector<char> keep(n, 0);
  for (std::size_t i = 0; i < n; ++i) keep[i] = allowed[static_cast<std::size_t>(cache.log_kind(i))];
  for (std::size_t i = 0; i < n; ++i) {
    if (!allowed[static_cast<std::size_t>(cache.log_kind(i))]) continue;
    for (std::int32_t p = cache.parent(i); p != BuildCache::kNoParent && !keep[p]; p = cache.parent(p)) {
      keep[p] = 1;
      ++drops.closures;
    }
  }

  // Stage 3 (apply_sensitivity_filter).
  std::vector<std::uint32_t> sensitive;
  std::vector<std::uint32_t> visible;
  visible.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    (cache.dropped(i) ? sensitive : visible).push_back(static_cast<std::uint32_t>(i));
  }
  drops.sensitivity = std::ssize(sensitive);

  // Stage 4: the firewall's writes (the first build that sees an item
  // stores its raw bytes) and hook calls, and the envelopes.
  const bool observe = hook_->observes_items();
  std::vector<std::uint32_t> fired;
  for (std::uint32_t i : visible) {
    if (cache.firewall(i)) fired.push_back(i);
  }
  std::vector<ContextItem> originals;
  if (observe && !fired.empty()) originals = processed_items(*event_log_, cache, fired, true);
  EnvelopeList envelopes;
  envelopes.reserve(fired.size());
  for (std::size_t k = 0; k < fired.size(); ++k) {
    context_detail::FirewallRecord& rec = *cache.firewall(fired[k]);
    if (!rec.written) {
      store_raw(*artifact_store_, rec.envelope->artifacts.front(), rec.raw);
      rec.written = true;
      std::string().swap(rec.raw);
    }
    if (observe) hook_->on_firewall_triggered(originals[k], "tool_result intercepted");
    envelopes.push_back(rec.envelope);
  }

  // Stage 5 (score_candidates): recency by position among the candidates,
  // then score descending, id ascending.
  const std::size_t total = visible.size();
  std::vector<double> scores(total);
  const auto* query = tags.empty() ? &cache.query_tokens(request.query) : nullptr;
  const auto denominator = static_cast<double>(std::max<std::int64_t>(static_cast<std::int64_t>(total), 1));
  for (std::size_t p = 0; p < total; ++p) {
    const std::uint32_t i = visible[p];
    double tag_sim = 0.0;
    if (query) {
      const std::size_t size = cache.tokens(i).size();
      const std::size_t common = query->common[i];
      if (size != 0 || query->unique_count != 0) {
        tag_sim = static_cast<double>(common) / static_cast<double>(size + query->unique_count - common);
      }
    } else {
      tag_sim = jaccard(cache.tags(i), tags);
    }
    const double recency = static_cast<double>(p + 1) / denominator;
    scores[p] = scoring_.recency_weight * recency + scoring_.tag_match_weight * tag_sim +
                scoring_.kind_priority_weight * cache.kind_priority(i) + scoring_.token_cost_penalty * cache.penalty(i);
  }
  // Score descending, id ascending (candidate order between equal ids, as a stable sort).
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    const std::string_view ia = cache.id(visible[a]);
    const std::string_view ib = cache.id(visible[b]);
    if (ia != ib) return ia < ib;
    return a < b;
  };

  // Stage 6 (deduplicate_candidates): walking in score order, an item goes
  // when a class linked to its own (Jaccard >= threshold) already has a kept
  // item. Items of unlinked classes are always kept and never remove
  // another, so only the linked ones are walked in order.
  std::vector<char> is_dup(total, 0);
  const double threshold = scoring_.dedup_threshold;
  if (total == 0 || std::isnan(threshold) || threshold > 1.0) {
    // jaccard <= 1 < threshold (or a NaN comparison): nothing is removed.
  } else if (threshold <= 0.0) {
    std::uint32_t best = 0;  // every pair is similar: only the first in order stays
    for (std::uint32_t p = 1; p < total; ++p) best = before(p, best) ? p : best;
    std::fill(is_dup.begin(), is_dup.end(), 1);
    is_dup[best] = 0;
  } else {
    std::vector<std::uint32_t> linked;
    for (std::size_t p = 0; p < total; ++p) {
      if (cache.linked(cache.dedup_class(visible[p]))) linked.push_back(static_cast<std::uint32_t>(p));
    }
    std::sort(linked.begin(), linked.end(), before);
    std::vector<char> kept_class(cache.class_count(), 0);
    for (std::uint32_t p : linked) {
      const std::uint32_t c = cache.dedup_class(visible[p]);
      const auto& near = cache.neighbours(c);
      if (std::any_of(near.begin(), near.end(), [&](std::uint32_t d) { return kept_class[d] != 0; })) {
        is_dup[p] = 1;
      } else {
        kept_class[c] = 1;
      }
    }
  }
  drops.dedup = std::count(is_dup.begin(), is_dup.end(), 1);
  drops.entering_selection = static_cast<std::int64_t>(total) - drops.dedup;

  // Stage 7 (select_items) with the cached rendered costs.
  LightSelection sel;
  std::vector<std::uint32_t> duplicates;  // walk order; only for a hook that observes items
  const std::int64_t limit = std::max<std::int64_t>(phase_budget - frame.reservation, 0);
  const std::int64_t sep_cost = estimator_->estimate(kSeparator);
  constexpr std::size_t kKinds = std::size(kAllItemKinds);
  std::int64_t used = 0;
  std::int64_t counts[kKinds] = {};
  std::int64_t caps[kKinds];
  for (ItemKind k : kAllItemKinds) caps[static_cast<std::size_t>(k)] = policy_.max_items(k);
  auto consider = [&](std::uint32_t p) {
    const std::uint32_t i = visible[p];
    const auto k = static_cast<std::size_t>(cache.kind(i));
    if (counts[k] >= caps[k]) {
      sel.kind_limited.push_back(i);
      return;
    }
    const std::int64_t cost = cache.cost(i);
    const std::int64_t with_sep = cost + (sel.selected.empty() ? 0 : sep_cost);
    sel.considered_tokens += with_sep;
    if (used + with_sep > limit) {
      sel.over_budget.push_back(i);
      return;
    }
    used += with_sep;
    ++counts[k];
    sel.selected.push_back(i);
    sel.costs.push_back(cost);
  };
  std::vector<std::uint32_t> order(total);
  for (std::size_t p = 0; p < total; ++p) order[p] = static_cast<std::uint32_t>(p);
  if (observe) {
    std::sort(order.begin(), order.end(), before);
    for (std::uint32_t p : order) {
      if (is_dup[p]) {
        duplicates.push_back(visible[p]);
      } else {
        consider(p);
      }
    }
  } else {
    // Without a hook to hand the dropped items to, the order matters only
    // until nothing more can be selected: a growing prefix is sorted, and
    // once no kind under its cap has an item cheap enough for the budget
    // left, the rest are counted as kind_limit or budget drops unsorted.
    // Whether no item after the first `prefix` in order can still be selected:
    // every kind under its cap has only items costing more than what is left.
    auto saturated = [&](std::size_t prefix) {
      std::int64_t min_cost[kKinds];
      std::fill(std::begin(min_cost), std::end(min_cost), INT64_MAX);
      for (std::size_t j = prefix; j < total; ++j) {
        if (is_dup[order[j]]) continue;
        const std::uint32_t i = visible[order[j]];
        const auto k = static_cast<std::size_t>(cache.kind(i));
        min_cost[k] = std::min(min_cost[k], cache.cost(i));
      }
      const std::int64_t sep = sel.selected.empty() ? 0 : sep_cost;
      for (std::size_t k = 0; k < kKinds; ++k) {
        if (counts[k] < caps[k] && min_cost[k] != INT64_MAX && min_cost[k] + sep <= limit - used) return false;
      }
      return true;
    };
    // The order is extended a chunk at a time: the next best items are
    // partitioned to the front of the rest (nth_element), sorted, and walked.
    std::size_t prefix = 0;  // order[0, prefix) is sorted and walked
    for (std::size_t chunk = 32;; chunk *= 4) {
      const auto first = order.begin() + static_cast<std::ptrdiff_t>(prefix);
      const std::size_t end = std::min(total, prefix + chunk);
      const auto last = order.begin() + static_cast<std::ptrdiff_t>(end);
      if (end < total) std::nth_element(first, last, order.end(), before);
      std::sort(first, last, before);
      for (std::size_t j = prefix; j < end; ++j) {
        if (!is_dup[order[j]]) consider(order[j]);
      }
      prefix = end;
      if (prefix == total) break;
      if (saturated(prefix)) {
        const std::int64_t sep = sel.selected.empty() ? 0 : sep_cost;
        for (std::size_t j = prefix; j < total; ++j) {
          const std::uint32_t p = order[j];
          if (is_dup[p]) continue;
          const std::uint32_t i = visible[p];
          if (counts[static_cast<std::size_t>(cache.kind(i))] >= caps[static_cast<std::size_t>(cache.kind(i))]) {
            sel.kind_limited.push_back(i);
          } else {
            sel.considered_tokens += cache.cost(i) + sep;
            sel.over_budget.push_back(i);
          }
        }
        break;
      }
    }
  }
  // Only the selected items are re-read and rendered.
  {
    const std::vector<ContextItem> chosen = processed_items(*event_log_, cache, sel.selected);
    std::string rendered;
    for (const auto& item : chosen) {
      render_item_to(item, rendered);
      sel.rendered.push_back(rendered);
    }
  }
  std::string prompt = fit_prompt(sel, request, frame.header, *estimator_, phase_budget);

  ContextPack pack;
  pack.phase = request.phase;
  pack.stats = build_stats(sel, cache, drops, frame.reservation);
  pack.prompt = std::move(prompt);
  pack.envelopes = std::move(envelopes);
  report_exclusions(*hook_, *event_log_, cache, sensitive, duplicates, sel, frame.reservation, phase_budget);
  hook_->on_context_built(pack);
  return pack;
}

ContextPack ContextManager::build_route_prompt(const std::string& goal, const std::string& query,
                                               const RouteOutcome& routed, std::optional<std::int64_t> budget_tokens) {
  BuildRequest request;
  request.phase = Phase::route;
  request.query = query;
  request.header = "[GOAL]\n" + goal;
  if (!routed.cards_text.empty()) request.footer = "[AVAILABLE TOOLS]\n" + routed.cards_text;
  request.budget_tokens = budget_tokens;
  ContextPack pack = build(request);
  hook_->on_route_completed(routed.candidate_ids);
  if (metrics_) metrics_->record_route(routed);
  return pack;
}

std::string build_schema_header(const SelectableItem& item, const std::optional<Json>& schema,
                                const std::optional<std::vector<std::string>>& examples,
                                const std::optional<Json>& constraints) {
  const Json& s = schema ? *schema : item.args_schema;
  const Json& c = constraints ? *constraints : item.constraints;
  const std::vector<std::string>& ex = examples ? *examples : item.examples;
  const DumpOptions pretty{true, 2, true};
  std::string out = "[TOOL SCHEMA]\nTool: " + item.name + " (" + item.id + ")\nDescription: " + item.description;
  auto truthy = [](const Json& j) {
    return !(j.is_null() || ((j.is_object() || j.is_array() || j.is_string()) && j.empty()) ||
             (j.is_boolean() && !j.get<bool>()) || (j.is_number() && j.get<double>() == 0.0));
  };
  if (truthy(s)) out += "\nSchema:\n" + dumps(s, pretty);
  if (truthy(c)) out += "\nConstraints:\n" + dumps(c, pretty);
  if (!ex.empty()) {
    out += "\nExamples:";
    for (const auto& e : ex) out += "\n  - " + e;
  }
  if (item.cost_hint > 0) out += "\nCost hint: " + float_repr(item.cost_hint);
  if (item.side_effects) out += "\nSide effects: yes";
  return out;
}

ContextPack ContextManager::build_call_prompt(const SelectableItem& tool, const std::string& query,
                                              const std::optional<Json>& schema,
                                              const std::optional<std::vector<std::string>>& examples,
                                              const std::optional<Json>& constraints,
                                              std::optional<std::int64_t> budget_tokens) {
  BuildRequest request;
  request.phase = Phase::call;
  request.query = query;
  request.header = build_schema_header(tool, schema, examples, constraints);
  request.budget_tokens = budget_tokens;
  return build(request);
}

ContextPack ContextManager::build_call_prompt(const std::string& tool_id, const std::string& query,
                                              std::span<const SelectableItem> catalog,
                                              const std::optional<Json>& schema,
                                              const std::optional<std::vector<std::string>>& examples,
                                              const std::optional<Json>& constraints,
                                              std::optional<std::int64_t> budget_tokens) {
  for (const auto& item : catalog) {
    if (item.id == tool_id) return build_call_prompt(item, query, schema, examples, constraints, budget_tokens);
  }
  throw ItemNotFoundError("Item not found: " + py_repr(tool_id));
}

}  // namespace contextweaver
