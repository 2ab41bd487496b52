// ContextManager (manager.hpp), split from manager.cpp: build() with its
// eight stages, the memory header, the C2 budget fit and the BuildStats of
// docs/compat.md C2/C3.
#include <algorithm>
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

// The selected items joined with the frame, in selection order or, when the
// request asks, in log order.
std::string render_prompt(const Selection& sel, const BuildRequest& request, const std::string& header) {
  if (!request.chronological) return join_prompt(sel.rendered, kSeparator, header, request.footer);
  std::vector<std::size_t> order(sel.selected.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sel.selected[a].position < sel.selected[b].position; });
  RenderedItems rendered;
  rendered.reserve(order.size(), sel.rendered.bytes());
  for (std::size_t i : order) rendered.push_back(sel.rendered[i]);
  return join_prompt(rendered, kSeparator, header, request.footer);
}

// C2: the rendered prompt, after moving the lowest-scored selected items to
// over_budget until it fits the budget.
std::string fit_prompt(Selection& sel, const BuildRequest& request, const std::string& header,
                       const TokenEstimator& estimator, std::int64_t phase_budget) {
  std::string prompt = render_prompt(sel, request, header);
  while (!sel.selected.empty() && estimator.estimate(prompt) > phase_budget) {
    sel.over_budget.push_back(std::move(sel.selected.back().item));
    sel.selected.pop_back();
    sel.rendered.pop_back();
    sel.costs.pop_back();
    prompt = render_prompt(sel, request, header);
  }
  return prompt;
}

// What each stage dropped, for BuildStats (C3: included + dropped == total).
struct Drops {
  std::int64_t entering_selection = 0;  // candidates left after dedup
  std::int64_t dedup = 0;
  std::int64_t sensitivity = 0;
  std::int64_t closures = 0;
};

BuildStats build_stats(const Selection& sel, const Drops& drops, std::int64_t reservation) {
  BuildStats stats;
  stats.tokens_per_section = tokens_per_section(sel.selected, sel.costs);
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

// docs/compat.md C8: tell the hook what was left out.
void report_exclusions(EventHook& hook, const std::vector<ContextItem>& sensitive,
                       const std::vector<ContextItem>& duplicates, const Selection& sel, std::int64_t reservation,
                       std::int64_t phase_budget) {
  if (!sensitive.empty()) hook.on_items_excluded(sensitive, "sensitivity");
  if (!duplicates.empty()) hook.on_items_excluded(duplicates, "dedup");
  if (!sel.kind_limited.empty()) hook.on_items_excluded(sel.kind_limited, "kind_limit");
  if (!sel.over_budget.empty()) {
    hook.on_items_excluded(sel.over_budget, "budget");
    hook.on_budget_exceeded(sel.considered_tokens + reservation, phase_budget);
  }
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
  const std::int64_t phase_budget = checked_phase_budget(budget_, request);
  const std::vector<std::string> tags = request_tags(request);

  // Header and the C2 reservation first: every check that can fail runs
  // before stage 4 writes to the artifact store.
  const Frame frame = frame_of(memory_header(), request, *estimator_, phase_budget);
  resolve_redaction_hooks(policy_);  // validates the sensitivity policy

  // Stages 1-2 (one read of the log), 3, 4.
  Drops drops;
  auto [candidates, closures] = candidates_with_closure(event_log_->all(), request.phase, policy_);
  drops.closures = closures;
  std::vector<ContextItem> sensitive;
  auto [visible, sensitivity_drops] = apply_sensitivity_filter(std::move(candidates), policy_, &sensitive);
  drops.sensitivity = sensitivity_drops;
  FirewallOptions fw{hook_.get(), nullptr, summarizer_.get(), extractor_.get(), estimator_.get()};
  auto [processed, envelopes] = apply_firewall_to_batch(std::move(visible), *artifact_store_, fw);

  // Stages 5-6.
  auto scored = score_candidates(std::move(processed), request.query, tags, scoring_);
  std::vector<ContextItem> duplicates;
  auto [unique, dedup_removed] = deduplicate_candidates(std::move(scored), scoring_.dedup_threshold, &duplicates);
  drops.dedup = dedup_removed;
  drops.entering_selection = static_cast<std::int64_t>(unique.size());

  // Stage 7, then the fit check on the rendered prompt.
  Selection sel = select_items(std::move(unique), std::max<std::int64_t>(phase_budget - frame.reservation, 0), policy_,
                               *estimator_, kSeparator);
  std::string prompt = fit_prompt(sel, request, frame.header, *estimator_, phase_budget);

  ContextPack pack;
  pack.phase = request.phase;
  pack.stats = build_stats(sel, drops, frame.reservation);
  pack.prompt = std::move(prompt);
  pack.envelopes = std::move(envelopes);
  report_exclusions(*hook_, sensitive, duplicates, sel, frame.reservation, phase_budget);
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
