// Warm builds (docs/context.md#warm-builds): a manager that keeps its
// per-item records between builds gives, after every batch of appends, the
// same ContextPack, hook calls and artifact store as a fresh manager over the
// same stores, and both agree with the stage functions chained as the
// reference's build does (the oracle below). Random sessions cover every
// kind, parent chains (missing and forward parents), near and exact
// duplicate texts, sensitive items under drop and redact policies, big tool
// results, tool results with and without content-hash refs, facts and
// episodes, in-memory and SQLite logs, a second writer, and setting changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "contextweaver/context/candidates.hpp"
#include "contextweaver/context/dedup.hpp"
#include "contextweaver/context/firewall.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/prompt.hpp"
#include "contextweaver/context/scoring.hpp"
#include "contextweaver/context/selection.hpp"
#include "contextweaver/context/sensitivity.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_episodic_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/in_memory_fact_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;
using cw::ItemKind;

namespace {

// Every call, with its arguments, as text.
class RecordingHook final : public cw::EventHook {
 public:
  std::vector<std::string> calls;
  void on_context_built(const cw::ContextPack& pack) override { calls.push_back("built " + cw::dumps(pack.to_dict())); }
  void on_firewall_triggered(const cw::ContextItem& item, const std::string& reason) override {
    calls.push_back("firewall " + reason + " " + cw::dumps(item.to_dict()));
  }
  void on_items_excluded(const std::vector<cw::ContextItem>& items, const std::string& reason) override {
    std::string s = "excluded " + reason;
    for (const auto& item : items) s += " " + cw::dumps(item.to_dict());
    calls.push_back(std::move(s));
  }
  void on_budget_exceeded(std::int64_t requested, std::int64_t budget) override {
    calls.push_back("budget " + std::to_string(requested) + " " + std::to_string(budget));
  }
  void on_route_completed(const std::vector<std::string>& ids) override {
    calls.push_back("route " + std::to_string(ids.size()));
  }
};

// One set of stores.
struct World {
  std::shared_ptr<cw::EventLog> log;     // what managers read
  std::shared_ptr<cw::EventLog> writer;  // what appends go through (another handle on SQLite)
  std::shared_ptr<cw::InMemoryArtifactStore> artifacts = std::make_shared<cw::InMemoryArtifactStore>();
  std::shared_ptr<cw::InMemoryEpisodicStore> episodes = std::make_shared<cw::InMemoryEpisodicStore>();
  std::shared_ptr<cw::InMemoryFactStore> facts = std::make_shared<cw::InMemoryFactStore>();

  cw::ContextManagerOptions options(const cw::ContextPolicy& policy, const cw::ScoringConfig& scoring,
                                    std::shared_ptr<cw::EventHook> hook) const {
    cw::ContextManagerOptions o;
    o.event_log = log;
    o.artifact_store = artifacts;
    o.stores.episodic_store = episodes;
    o.stores.fact_store = facts;
    o.policy = policy;
    o.scoring_config = scoring;
    o.hook = std::move(hook);
    return o;
  }

  std::string artifact_dump() const {
    auto refs = artifacts->list_refs();
    std::sort(refs.begin(), refs.end(), [](const auto& a, const auto& b) { return a.handle < b.handle; });
    std::string out;
    for (const auto& r : refs) out += cw::dumps(r.to_dict()) + "=" + artifacts->get(r.handle) + "\n";
    return out;
  }
};

// --- The oracle: the stage functions chained as the reference's build.

constexpr std::string_view kSep = "\n\n";

std::string oracle_build(cw::ContextManager& m, const cw::BuildRequest& request, cw::EventHook& hook) {
  cw::ContextBudget eff = m.budget();
  if (request.budget_tokens) eff.for_phase(request.phase) = *request.budget_tokens;
  const std::int64_t phase_budget = eff.for_phase(request.phase);
  if (phase_budget < 0) throw cw::ConfigError("negative budget");
  std::set<std::string> tag_set(request.query_tags.begin(), request.query_tags.end());
  tag_set.insert(request.hints.begin(), request.hints.end());
  const std::vector<std::string> tags(tag_set.begin(), tag_set.end());
  const cw::TokenEstimator& est = m.estimator();
  const std::string memory = m.memory_header();
  std::string header = memory;
  if (!request.header.empty()) header = memory.empty() ? request.header : memory + "\n\n" + request.header;
  std::int64_t reservation = 0;
  const std::int64_t sep_cost = est.estimate(kSep);
  if (!header.empty()) reservation += est.estimate(header) + sep_cost;
  if (!request.footer.empty()) reservation += est.estimate(request.footer) + sep_cost;
  if (reservation > phase_budget) {
    throw cw::BudgetExceededError("Header and footer need " + std::to_string(reservation) + " tokens, more than the " +
                                  std::string(cw::to_string(request.phase)) + " budget of " +
                                  std::to_string(phase_budget));
  }
  cw::resolve_redaction_hooks(m.policy());

  auto [candidates, closures] = cw::candidates_with_closure(m.event_log().all(), request.phase, m.policy());
  std::vector<cw::ContextItem> sensitive;
  auto [visible, sens_drops] = cw::apply_sensitivity_filter(std::move(candidates), m.policy(), &sensitive);
  cw::FirewallOptions fw{&hook, nullptr, nullptr, nullptr, &est};
  auto [processed, envelopes] = cw::apply_firewall_to_batch(std::move(visible), m.artifact_store(), fw);
  auto scored = cw::score_candidates(std::move(processed), request.query, tags, m.scoring_config());
  std::vector<cw::ContextItem> duplicates;
  auto [unique, dedup_removed] =
      cw::deduplicate_candidates(std::move(scored), m.scoring_config().dedup_threshold, &duplicates);
  const auto entering = static_cast<std::int64_t>(unique.size());
  cw::Selection sel =
      cw::select_items(std::move(unique), std::max<std::int64_t>(phase_budget - reservation, 0), m.policy(), est, kSep);
  auto render = [&] {
    if (!request.chronological) return cw::join_prompt(sel.rendered, kSep, header, request.footer);
    std::vector<std::size_t> order(sel.selected.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return sel.selected[a].position < sel.selected[b].position; });
    cw::RenderedItems rendered;
    for (std::size_t i : order) rendered.push_back(sel.rendered[i]);
    return cw::join_prompt(rendered, kSep, header, request.footer);
  };
  std::string prompt = render();
  while (!sel.selected.empty() && est.estimate(prompt) > phase_budget) {
    sel.over_budget.push_back(std::move(sel.selected.back().item));
    sel.selected.pop_back();
    sel.rendered.pop_back();
    sel.costs.pop_back();
    prompt = render();
  }
  cw::ContextPack pack;
  pack.phase = request.phase;
  cw::BuildStats& stats = pack.stats;
  stats.tokens_per_section = cw::tokens_per_section(sel.selected, sel.costs);
  stats.included_count = static_cast<std::int64_t>(sel.selected.size());
  stats.total_candidates = entering + dedup_removed + sens_drops;
  stats.dropped_count = stats.total_candidates - stats.included_count;
  if (dedup_removed) cw::add_count(stats.dropped_reasons, "dedup", dedup_removed);
  if (!sel.kind_limited.empty()) cw::add_count(stats.dropped_reasons, "kind_limit", std::ssize(sel.kind_limited));
  if (!sel.over_budget.empty()) cw::add_count(stats.dropped_reasons, "budget", std::ssize(sel.over_budget));
  if (sens_drops) cw::add_count(stats.dropped_reasons, "sensitivity", sens_drops);
  stats.dedup_removed = dedup_removed;
  stats.dependency_closures = closures;
  stats.header_footer_tokens = reservation;
  pack.prompt = std::move(prompt);
  pack.envelopes = std::move(envelopes);
  if (!sensitive.empty()) hook.on_items_excluded(sensitive, "sensitivity");
  if (!duplicates.empty()) hook.on_items_excluded(duplicates, "dedup");
  if (!sel.kind_limited.empty()) hook.on_items_excluded(sel.kind_limited, "kind_limit");
  if (!sel.over_budget.empty()) {
    hook.on_items_excluded(sel.over_budget, "budget");
    hook.on_budget_exceeded(sel.considered_tokens + reservation, phase_budget);
  }
  hook.on_context_built(pack);
  return cw::dumps(pack.to_dict());
}

// --- Random sessions.

const std::vector<std::string> kWords = {"alpha", "beta",  "gamma", "delta",   "error",  "disk",
                                         "retry", "quota", "user",  "invoice", "deploy", "trace"};

class Session {
 public:
  explicit Session(std::uint32_t seed) : rng_(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p; }

  std::string words(int lo, int hi) {
    const int n = lo + pick(hi - lo + 1);
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? " " : "") + kWords[static_cast<std::size_t>(pick(std::ssize(kWords)))];
    return s;
  }

  cw::ContextItem next_item() {
    cw::ContextItem item;
    item.id = "it" + std::to_string(next_++);
    item.kind = cw::kAllItemKinds[pick(8)];
    if (chance(0.3)) item.kind = ItemKind::tool_result;
    if (!texts_.empty() && chance(0.15)) {
      item.text = texts_[static_cast<std::size_t>(pick(std::ssize(texts_)))];  // exact duplicate
    } else if (!texts_.empty() && chance(0.15)) {
      item.text = texts_[static_cast<std::size_t>(pick(std::ssize(texts_)))] + " " + words(1, 1);  // near
    } else if (chance(0.05)) {
      item.text = "";
    } else if (item.kind == ItemKind::tool_result && chance(0.3)) {
      item.text = words(60, 140) + "\n\n" + words(5, 20);  // summary cut at 500 code points
    } else {
      item.text = words(1, 14) + (chance(0.2) ? "\n\n" + words(1, 5) : "");
    }
    texts_.push_back(item.text);
    item.token_estimate = pick(300);
    if (chance(0.25)) item.sensitivity = cw::kAllSensitivities[pick(4)];
    const int p = pick(10);
    if (p < 4 && next_ > 1) {
      item.parent_id = "it" + std::to_string(pick(next_ - 1));
    } else if (p == 4) {
      item.parent_id = "missing" + std::to_string(pick(5));
    } else if (p == 5) {
      item.parent_id = "it" + std::to_string(next_ + pick(3));  // appended later, maybe
    }
    const int t = pick(20);
    if (t < 4) {
      item.metadata["tags"] = cw::Json::array();
      for (int k = 0; k < 1 + pick(3); ++k)
        item.metadata["tags"].push_back(std::string(1, static_cast<char>('a' + pick(4))));
    } else if (t == 4) {
      item.metadata["tags"] = cw::Json::array({1, "1"});
    } else if (t == 5) {
      item.metadata["tags"] = "ab";
    }
    if (item.kind == ItemKind::tool_result) {
      if (chance(0.3)) item.metadata["media_type"] = "application/json";
      const int r = pick(5);
      if (r == 0) {
        item.artifact_ref = cw::ArtifactRef{"artifact:ext" + item.id, "text/plain", 3, "ext", "abc123"};
      } else if (r == 1) {
        item.artifact_ref = cw::ArtifactRef{"ext" + item.id, "text/plain", 3, "ext", ""};
      }
    }
    return item;
  }

  cw::BuildRequest request() {
    cw::BuildRequest r;
    r.phase = cw::kAllPhases[pick(4)];
    const int q = pick(4);
    r.query = q == 0 ? "" : q == 1 ? "alpha beta" : words(1, 4);
    if (chance(0.25)) r.query_tags = {std::string(1, static_cast<char>('a' + pick(4)))};
    if (chance(0.1)) r.hints = {"b", "c"};
    const int b = pick(5);
    if (b == 1) r.budget_tokens = 40;
    if (b == 2) r.budget_tokens = 250;
    if (b == 3) r.budget_tokens = 1200;
    if (chance(0.2)) r.header = "[HEADER] " + words(1, 5);
    if (chance(0.1)) r.footer = "[FOOTER] " + words(1, 40);
    r.chronological = chance(0.2);
    return r;
  }

  int next_ = 0;

 private:
  std::mt19937 rng_;
  std::vector<std::string> texts_;
};

// What a build gives: the pack as JSON, or the error.
template <class F>
std::string outcome(F&& f) {
  try {
    return f();
  } catch (const cw::ContextWeaverError& e) {
    return std::string("error: ") + e.what();
  }
}

struct Settings {
  cw::ContextPolicy policy;
  cw::ScoringConfig scoring;
};

Settings settings_variant(int v) {
  Settings s;
  switch (v % 6) {
    case 1:
      s.policy.sensitivity_action = "redact";
      break;
    case 2:
      s.policy.sensitivity_action = "redact";
      s.policy.sensitivity_floor = cw::Sensitivity::internal;
      s.scoring.dedup_threshold = 0.5;
      break;
    case 3:
      s.policy.max_items_per_kind = {{ItemKind::tool_result, 2}, {ItemKind::user_turn, 3}};
      s.scoring.recency_weight = 0.9;
      break;
    case 4:
      s.scoring.dedup_threshold = 0.0;
      break;
    case 5:
      s.scoring.dedup_threshold = 1.0;
      s.policy.sensitivity_floor = cw::Sensitivity::restricted;
      break;
    default:
      break;
  }
  return s;
}

enum class Backend { memory, sqlite };

// How often the random builds met each case, so the sessions are known to exercise them.
struct Coverage {
  std::map<std::string, int> reasons;  // dropped_reasons keys
  int envelopes = 0, redacted = 0, errors = 0, closures = 0;

  void add(const cw::ContextPack& pack) {
    for (const auto& [reason, n] : pack.stats.dropped_reasons) reasons[reason] += n > 0;
    envelopes += !pack.envelopes.empty();
    redacted += pack.prompt.find("[REDACTED") != std::string::npos;
    closures += pack.stats.dependency_closures > 0;
  }
};
Coverage coverage;

void run_random_sessions(Backend backend, std::uint32_t seed, int steps, bool change_settings) {
  cwtest::TempDir dir;
  auto make_world = [&](const std::string& name) {
    World w;
    if (backend == Backend::memory) {
      w.log = std::make_shared<cw::InMemoryEventLog>();
      w.writer = w.log;
    } else {
      const std::string path = (dir / (name + ".db")).string();
      w.log = std::make_shared<cw::SqliteEventLog>(path);
      w.writer = std::make_shared<cw::SqliteEventLog>(path);  // another writer on the same file
    }
    return w;
  };
  World warm_w = make_world("warm"), cold_w = make_world("cold"), oracle_w = make_world("oracle");
  Session session(seed);
  Settings settings = settings_variant(static_cast<int>(seed));
  auto warm_hook = std::make_shared<RecordingHook>();
  cw::ContextManager warm(warm_w.options(settings.policy, settings.scoring, warm_hook));
  cw::ContextManager quiet(warm_w.options(settings.policy, settings.scoring, nullptr));  // NoOpHook: no re-reads

  for (int step = 0; step < steps; ++step) {
    // A batch of appends, the same in every world.
    const int batch = 1 + session.pick(5);
    for (int b = 0; b < batch; ++b) {
      const int op = session.pick(20);
      if (op == 0) {
        const std::string key = session.words(1, 1), value = session.words(1, 3);
        for (World* w : {&warm_w, &cold_w, &oracle_w})
          cw::ContextManager(w->options({}, {}, nullptr)).add_fact(key, value);
      } else if (op == 1) {
        const std::string id = "ep" + std::to_string(step) + "_" + std::to_string(b), summary = session.words(2, 6);
        cw::Json meta = session.chance(0.3) ? cw::Json{{"sensitivity", "restricted"}} : cw::Json::object();
        for (World* w : {&warm_w, &cold_w, &oracle_w}) {
          cw::ContextManager(w->options({}, {}, nullptr)).add_episode(id, summary, meta);
        }
      } else if (op == 2) {
        const std::string call = "call" + std::to_string(session.next_++);
        const std::string output = session.words(5, session.chance(0.5) ? 40 : 400);
        for (World* w : {&warm_w, &cold_w, &oracle_w}) {
          cw::ContextManagerOptions o = w->options({}, {}, nullptr);
          o.event_log = w->writer;
          cw::ContextManager(o).ingest_tool_result(call, output, "tool", "text/plain", 600);
        }
      } else {
        const cw::ContextItem item = session.next_item();
        for (World* w : {&warm_w, &cold_w, &oracle_w}) w->writer->append(item);
      }
    }
    if (change_settings && step % 5 == 4) {
      settings = settings_variant(session.pick(6));
      warm.set_policy(settings.policy);
      warm.set_scoring_config(settings.scoring);
      quiet.set_policy(settings.policy);
      quiet.set_scoring_config(settings.scoring);
    }
    const int builds = 1 + session.pick(4);
    for (int k = 0; k < builds; ++k) {
      const cw::BuildRequest request = session.request();
      const std::string where = "seed " + std::to_string(seed) + " step " + std::to_string(step) + " build " +
                                std::to_string(k) + " phase " + std::string(cw::to_string(request.phase));
      warm_hook->calls.clear();
      const std::string w = outcome([&] {
        const cw::ContextPack pack = warm.build(request);
        coverage.add(pack);
        return cw::dumps(pack.to_dict());
      });
      coverage.errors += w.starts_with("error");
      const std::string q = outcome([&] { return cw::dumps(quiet.build(request).to_dict()); });
      auto cold_hook = std::make_shared<RecordingHook>();
      cw::ContextManager cold(cold_w.options(settings.policy, settings.scoring, cold_hook));
      const std::string c = outcome([&] { return cw::dumps(cold.build(request).to_dict()); });
      RecordingHook oracle_hook;
      cw::ContextManager oracle_m(oracle_w.options(settings.policy, settings.scoring, nullptr));
      const std::string o = outcome([&] { return oracle_build(oracle_m, request, oracle_hook); });
      ASSERT_EQ(w, c) << where;
      ASSERT_EQ(q, c) << where;
      ASSERT_EQ(c, o) << where;
      ASSERT_EQ(warm_hook->calls, cold_hook->calls) << where;
      ASSERT_EQ(cold_hook->calls, oracle_hook.calls) << where;
      ASSERT_EQ(warm_w.artifact_dump(), cold_w.artifact_dump()) << where;
      ASSERT_EQ(cold_w.artifact_dump(), oracle_w.artifact_dump()) << where;
    }
  }
}

}  // namespace

TEST(WarmBuild, RandomSessionsInMemoryMatchColdBuildsAndTheStages) {
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    run_random_sessions(Backend::memory, seed, 40, false);
    if (HasFatalFailure()) return;
  }
}

TEST(WarmBuild, RandomSessionsWithSettingChanges) {
  for (std::uint32_t seed = 101; seed <= 108; ++seed) {
    run_random_sessions(Backend::memory, seed, 40, true);
    if (HasFatalFailure()) return;
  }
}

TEST(WarmBuild, RandomSessionsOnSqliteWithASecondWriter) {
  for (std::uint32_t seed = 201; seed <= 203; ++seed) {
    run_random_sessions(Backend::sqlite, seed, 25, seed == 203);
    if (HasFatalFailure()) return;
  }
}

TEST(WarmBuild, RandomSessionsCoverEveryCase) {
  coverage = {};
  for (std::uint32_t seed = 1; seed <= 6; ++seed) run_random_sessions(Backend::memory, seed, 40, seed > 3);
  for (const char* reason : {"dedup", "kind_limit", "budget", "sensitivity"}) {
    EXPECT_GT(coverage.reasons[reason], 0) << reason;
  }
  EXPECT_GT(coverage.envelopes, 0);
  EXPECT_GT(coverage.redacted, 0);
  EXPECT_GT(coverage.errors, 0);
  EXPECT_GT(coverage.closures, 0);
}

// Forwards to a log that can be swapped, to stand for a log whose contents
// were replaced behind the manager's back.
class SwappableLog final : public cw::EventLog {
 public:
  std::shared_ptr<cw::EventLog> inner = std::make_shared<cw::InMemoryEventLog>();
  void append(const cw::ContextItem& item) override { inner->append(item); }
  void append_many(std::span<const cw::ContextItem> items) override { inner->append_many(items); }
  cw::ContextItem get(const std::string& id) const override { return inner->get(id); }
  std::vector<cw::ContextItem> all() const override { return inner->all(); }
  std::vector<cw::ContextItem> filter_by_kind(std::span<const ItemKind> kinds) const override {
    return inner->filter_by_kind(kinds);
  }
  std::vector<cw::ContextItem> tail(std::int64_t n) const override { return inner->tail(n); }
  std::vector<cw::ContextItem> children(const std::string& id) const override { return inner->children(id); }
  std::optional<cw::ContextItem> parent(const std::string& id) const override { return inner->parent(id); }
  std::vector<cw::ContextItem> query(const std::optional<std::vector<ItemKind>>& kinds,
                                     std::optional<std::int64_t> since,
                                     std::optional<std::int64_t> limit) const override {
    return inner->query(kinds, since, limit);
  }
  std::size_t count() const override { return inner->count(); }
  void close() override {}
};

TEST(WarmBuild, AReplacedLogStartsOver) {
  auto log = std::make_shared<SwappableLog>();
  auto artifacts = std::make_shared<cw::InMemoryArtifactStore>();
  cw::ContextManagerOptions o;
  o.event_log = log;
  o.artifact_store = artifacts;
  cw::ContextManager m(o);
  auto fill = [&](std::vector<cw::ContextItem> items) {
    log->inner = std::make_shared<cw::InMemoryEventLog>();
    for (const auto& item : items) log->append(item);
  };
  fill({{"a", ItemKind::user_turn, "alpha beta"}, {"b", ItemKind::tool_result, "gamma"}});
  const auto first = m.build();
  // Longer, shorter and same-length replacements: each differs at the last cached id.
  const std::vector<std::vector<cw::ContextItem>> sessions = {
      {{"c", ItemKind::user_turn, "delta"}, {"d", ItemKind::agent_msg, "error disk"}, {"e", ItemKind::agent_msg, "x"}},
      {{"f", ItemKind::tool_result, "retry"}},
      {{"g", ItemKind::user_turn, "quota"}},
      {{"g", ItemKind::user_turn, "quota"}, {"h", ItemKind::tool_result, "user invoice"}}};
  for (const auto& items : sessions) {
    fill(items);
    const std::string warm = cw::dumps(m.build().to_dict());
    EXPECT_EQ(warm, cw::dumps(cw::ContextManager(o).build().to_dict()));
  }
  EXPECT_NE(first.prompt, m.build().prompt);
}

TEST(WarmBuild, NoOpHookDoesNotObserveItems) {
  EXPECT_FALSE(cw::NoOpHook().observes_items());
  EXPECT_TRUE(RecordingHook().observes_items());
}
