// Port of test_config.py (ScoringConfig, ContextBudget, ContextPolicy, RoutingConfig, ProfileConfig).
#include <gtest/gtest.h>

#include "contextweaver/context/profiles.hpp"
#include "contextweaver/core/errors.hpp"

namespace cw = contextweaver;

TEST(Config, BudgetDefaultsAndForPhase) {
  cw::ContextBudget b;
  EXPECT_EQ(b.for_phase(cw::Phase::route), 2000);
  EXPECT_EQ(b.for_phase(cw::Phase::call), 3000);
  EXPECT_EQ(b.for_phase(cw::Phase::interpret), 4000);
  EXPECT_EQ(b.for_phase(cw::Phase::answer), 6000);
  EXPECT_EQ(cw::dumps(b.to_dict()), R"({"route": 2000, "call": 3000, "interpret": 4000, "answer": 6000})");
  EXPECT_EQ(cw::ContextBudget::from_dict(cw::Json{{"call", "4000"}}).call, 4000);
  EXPECT_EQ(cw::ContextBudget::from_dict(b.to_dict()), b);
  EXPECT_EQ(cw::ContextBudget::from_dict(cw::Json::object()), b);
}

TEST(Config, ScoringDefaultsAndRoundTrip) {
  cw::ScoringConfig s;
  EXPECT_EQ(s.dedup_threshold, 0.85);
  EXPECT_EQ(
      cw::dumps(s.to_dict()),
      R"({"recency_weight": 0.3, "tag_match_weight": 0.25, "kind_priority_weight": 0.35, "token_cost_penalty": 0.1, "dedup_threshold": 0.85})");
  EXPECT_EQ(cw::ScoringConfig::from_dict(s.to_dict()), s);
  EXPECT_EQ(cw::ScoringConfig::from_dict(cw::Json{{"recency_weight", 1}}).recency_weight, 1.0);
}

TEST(Config, PolicyDefaults) {
  cw::ContextPolicy p;
  const auto& route = p.allowed_kinds(cw::Phase::route);
  EXPECT_NE(std::find(route.begin(), route.end(), cw::ItemKind::user_turn), route.end());
  EXPECT_EQ(route.size(), 3u);
  EXPECT_EQ(p.allowed_kinds(cw::Phase::answer).size(), 8u);
  EXPECT_EQ(p.max_items(cw::ItemKind::policy), 50);
  EXPECT_EQ(p.sensitivity_floor, cw::Sensitivity::confidential);
  EXPECT_EQ(p.sensitivity_action, "drop");
  auto d = p.to_dict();
  EXPECT_EQ(d["allowed_kinds_per_phase"]["call"],
            (cw::Json{"user_turn", "agent_msg", "tool_call", "plan_state", "policy"}));
  EXPECT_EQ(d["max_items_per_kind"]["doc_snippet"], 50);
  EXPECT_EQ(cw::ContextPolicy::from_dict(d), p);
}

TEST(Config, PolicyFromDictReplacesAllowedKinds) {
  auto p = cw::ContextPolicy::from_dict(cw::Json{{"allowed_kinds_per_phase", {{"answer", {"user_turn"}}}},
                                                 {"max_items_per_kind", {{"user_turn", 2}}},
                                                 {"sensitivity_floor", "restricted"},
                                                 {"sensitivity_action", "redact"},
                                                 {"redaction_hooks", {"mask"}},
                                                 {"extra", {{"x", 1}}}});
  EXPECT_TRUE(p.allowed_kinds(cw::Phase::route).empty());
  EXPECT_EQ(p.allowed_kinds(cw::Phase::answer), std::vector<cw::ItemKind>{cw::ItemKind::user_turn});
  EXPECT_EQ(p.max_items(cw::ItemKind::user_turn), 2);
  EXPECT_EQ(p.max_items(cw::ItemKind::agent_msg), 50);
  EXPECT_EQ(p.sensitivity_floor, cw::Sensitivity::restricted);
  EXPECT_EQ(p.redaction_hooks, std::vector<std::string>{"mask"});
  EXPECT_EQ(cw::ContextPolicy::from_dict(p.to_dict()), p);
  EXPECT_THROW(cw::ContextPolicy::from_dict(cw::Json{{"sensitivity_floor", "secret"}}), cw::ValueError);
  EXPECT_THROW(cw::ContextPolicy::from_dict(cw::Json{{"allowed_kinds_per_phase", {{"answer", {"bogus"}}}}}),
               cw::ValueError);
  EXPECT_THROW(cw::ContextPolicy::from_dict(cw::Json{{"allowed_kinds_per_phase", {{"later", {"user_turn"}}}}}),
               cw::ValueError);
}

TEST(Config, RoutingConfig) {
  cw::RoutingConfig r;
  EXPECT_EQ(cw::dumps(cw::routing_kwargs(r)),
            R"({"beam_width": 2, "max_depth": 8, "top_k": 10, "confidence_gap": 0.15})");
  EXPECT_EQ(cw::routing_config_to_dict(r)["max_children"], 20);
  EXPECT_EQ(cw::routing_config_from_dict(cw::routing_config_to_dict(r)), r);
  EXPECT_EQ(cw::routing_config_from_dict(cw::Json::object()), r);
}

TEST(Config, PresetsExactValuesAndOrdering) {
  auto fast = cw::ProfileConfig::from_preset("fast");
  auto balanced = cw::ProfileConfig::from_preset("balanced");
  auto accurate = cw::ProfileConfig::from_profile("accurate");
  EXPECT_EQ(fast.routing, (cw::RoutingConfig{1, 4, 5, 0.20, 15}));
  EXPECT_EQ(balanced.routing, (cw::RoutingConfig{2, 8, 10, 0.15, 20}));
  EXPECT_EQ(accurate.routing, (cw::RoutingConfig{4, 12, 20, 0.10, 30}));
  EXPECT_EQ(fast.budget.answer, 3000);
  EXPECT_EQ(balanced.budget.answer, 6000);
  EXPECT_EQ(accurate.budget.answer, 8000);
  EXPECT_EQ(fast.budget.call, 3000);
  EXPECT_EQ(fast.mode, cw::Mode::strict);
  EXPECT_FALSE(fast.seed.has_value());
  EXPECT_LT(fast.routing.beam_width, balanced.routing.beam_width);
  EXPECT_LT(balanced.routing.beam_width, accurate.routing.beam_width);
  EXPECT_LT(fast.routing.max_depth, balanced.routing.max_depth);
  EXPECT_LT(balanced.routing.top_k, accurate.routing.top_k);
  EXPECT_GT(fast.routing.confidence_gap, accurate.routing.confidence_gap);
  EXPECT_LT(fast.routing.max_children, accurate.routing.max_children);
  try {
    cw::ProfileConfig::from_preset("turbo");
    FAIL();
  } catch (const cw::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "Unknown preset 'turbo'. Valid presets: \"accurate\", \"balanced\", \"fast\".");
  }
}

TEST(Config, ProfileRoundTrips) {
  auto fast = cw::ProfileConfig::from_preset("fast");
  EXPECT_EQ(cw::ProfileConfig::from_dict(fast.to_dict()), fast);
  auto d = fast.to_dict();
  EXPECT_EQ(cw::dumps(cw::Json(std::vector<std::string>{d.begin().key()})), R"(["mode"])");
  cw::ProfileConfig custom;
  custom.mode = cw::Mode::seeded;
  custom.seed = 7;
  custom.scoring.dedup_threshold = 0.5;
  custom.policy.sensitivity_action = "redact";
  EXPECT_EQ(cw::ProfileConfig::from_dict(custom.to_dict()), custom);
  EXPECT_EQ(cw::ProfileConfig::from_dict(cw::Json::object()), cw::ProfileConfig{});
  EXPECT_EQ(cw::ProfileConfig::from_dict(cw::Json{{"seed", "12"}}).seed, 12);
  try {
    cw::ProfileConfig::from_dict(cw::Json{{"mode", "x"}});
    FAIL();
  } catch (const cw::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "Unknown mode 'x'. Valid modes: \"strict\", \"seeded\", \"adaptive\".");
  }
}
