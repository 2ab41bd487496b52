// RoutingDecision and RouteResult::to_routing_decision (port of the
// RoutingDecision cases of test_envelope.py).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/routing_decision.hpp"

namespace cw = contextweaver;
using namespace std::chrono;

namespace {

cw::UtcTime at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return cw::UtcTime{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm} + seconds{ss};
}

cw::ChoiceCard card(const std::string& id, const std::string& name = "n", const std::string& desc = "d") {
  cw::ChoiceCard c;
  c.id = id;
  c.name = name;
  c.description = desc;
  return c;
}

cw::SelectableItem item(const std::string& id, const std::string& name = "n", const std::string& desc = "d") {
  cw::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = name;
  it.description = desc;
  return it;
}

cw::RouteResult result_of(const std::vector<cw::SelectableItem>& items, const std::vector<double>& scores) {
  cw::RouteResult r;
  r.candidate_items = items;
  for (const auto& it : items) r.candidate_ids.push_back(it.id);
  r.scores = scores;
  return r;
}

TEST(RoutingDecision, Defaults) {
  cw::RoutingDecision rd;
  rd.id = "rd-1";
  rd.choice_cards = {card("c1")};
  rd.timestamp = at(2026, 5, 14, 12);
  EXPECT_EQ(rd.selected_item_id, std::nullopt);
  EXPECT_EQ(rd.selected_card_id, std::nullopt);
  EXPECT_EQ(rd.context_summary, std::nullopt);
  EXPECT_EQ(rd.metadata, cw::Json::object());
}

TEST(RoutingDecision, ToDictOmitsUnsetOptionals) {
  cw::RoutingDecision rd;
  rd.id = "rd-1";
  rd.choice_cards = {card("c1")};
  rd.timestamp = at(2026, 5, 14);
  const cw::Json d = rd.to_dict();
  EXPECT_EQ(d["id"], "rd-1");
  EXPECT_EQ(d["timestamp"], "2026-05-14T00:00:00+00:00");
  EXPECT_EQ(d["metadata"], cw::Json::object());
  EXPECT_FALSE(d.contains("selected_item_id"));
  EXPECT_FALSE(d.contains("selected_card_id"));
  EXPECT_FALSE(d.contains("context_summary"));
  EXPECT_EQ(cw::dumps(d),
            "{\"id\": \"rd-1\", \"choice_cards\": [{\"id\": \"c1\", \"name\": \"n\", \"description\": \"d\", "
            "\"tags\": [], \"kind\": \"tool\", \"namespace\": \"\", \"has_schema\": false, \"cost_hint\": 0.0, "
            "\"side_effects\": false}], \"timestamp\": \"2026-05-14T00:00:00+00:00\", \"metadata\": {}}");
}

TEST(RoutingDecision, RoundTrip) {
  auto t1 = card("t1", "search", "Search");
  t1.score = 0.9;
  auto t2 = card("t2", "filter", "Filter");
  t2.tags = {"query"};
  cw::RoutingDecision rd;
  rd.id = "rd-abc";
  rd.choice_cards = {t1, t2};
  rd.timestamp = at(2026, 5, 14, 9, 30, 15) + microseconds{250};
  rd.selected_item_id = "t1";
  rd.selected_card_id = "t1";
  rd.context_summary = "user asked about reports";
  rd.metadata = cw::Json{{"trace_id", "abc-123"}};
  const cw::Json d = rd.to_dict();
  EXPECT_EQ(d["timestamp"], "2026-05-14T09:30:15.000250+00:00");
  const auto restored = cw::RoutingDecision::from_dict(d);
  EXPECT_EQ(restored, rd);
  EXPECT_EQ(restored.choice_cards[0].score, 0.9);
  EXPECT_EQ(restored.choice_cards[1].tags, std::vector<std::string>{"query"});
}

TEST(RoutingDecision, FromDictTimestamps) {
  const auto parse = [](const std::string& ts) {
    return cw::RoutingDecision::from_dict(cw::Json{{"id", "rd-1"}, {"timestamp", ts}}).timestamp;
  };
  EXPECT_EQ(parse("2026-05-14T00:00:00"), at(2026, 5, 14));  // naive: UTC
  EXPECT_EQ(parse("2026-05-14T00:00:00Z"), at(2026, 5, 14));
  EXPECT_EQ(parse("2026-05-14T02:00:00+02:00"), at(2026, 5, 14));
  EXPECT_EQ(parse("2026-05-13T19:30:00-04:30"), at(2026, 5, 14));
  EXPECT_EQ(parse("2026-05-14"), at(2026, 5, 14));
  EXPECT_EQ(parse("2026-05-14 01:02"), at(2026, 5, 14, 1, 2));
  EXPECT_EQ(parse("2026-05-14T01:02:03.5"), at(2026, 5, 14, 1, 2, 3) + milliseconds{500});
  EXPECT_THROW(parse("yesterday"), cw::ValueError);
  EXPECT_THROW(parse("2026-02-30T00:00:00"), cw::ValueError);
  EXPECT_THROW(parse("2026-05-14T25:00:00"), cw::ValueError);
  EXPECT_THROW(parse("2026-05-14T00:00:00+"), cw::ValueError);
}

TEST(RoutingDecision, FromPartialDict) {
  const auto before = cw::utc_now();
  const auto rd = cw::RoutingDecision::from_dict(cw::Json{{"id", "rd-1"}});
  EXPECT_EQ(rd.id, "rd-1");
  EXPECT_TRUE(rd.choice_cards.empty());
  EXPECT_GE(rd.timestamp, before);  // defaults to now
  EXPECT_EQ(rd.metadata, cw::Json::object());
  EXPECT_THROW(cw::RoutingDecision::from_dict(cw::Json::object()), cw::KeyError);
}

TEST(RoutingDecision, MetadataIsCopiedNotAliased) {
  cw::RoutingDecision rd;
  rd.id = "rd-1";
  rd.metadata = cw::Json{{"trace_id", "abc"}};
  cw::Json d = rd.to_dict();
  d["metadata"]["trace_id"] = "MUTATED";
  EXPECT_EQ(rd.metadata, (cw::Json{{"trace_id", "abc"}}));
}

TEST(ToRoutingDecision, Basic) {
  const auto result = result_of({item("t1", "search", "Search"), item("t2", "filter", "Filter")}, {0.85, 0.42});
  cw::RoutingDecisionOptions o;
  o.decision_id = "rd-test";
  const auto rd = result.to_routing_decision(o);
  EXPECT_EQ(rd.id, "rd-test");
  ASSERT_EQ(rd.choice_cards.size(), 2u);
  EXPECT_EQ(rd.choice_cards[0].id, "t1");
  EXPECT_EQ(rd.choice_cards[0].score, 0.85);
  EXPECT_EQ(rd.choice_cards[1].score, 0.42);
  EXPECT_EQ(rd.selected_item_id, std::nullopt);
  EXPECT_EQ(rd.selected_card_id, std::nullopt);
}

TEST(ToRoutingDecision, AutoIdIsUniqueUuid4) {
  const auto result = result_of({item("t1")}, {1.0});
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    const std::string id = result.to_routing_decision().id;
    ASSERT_EQ(id.size(), 39u);  // "rd-" + 36
    EXPECT_EQ(id.substr(0, 3), "rd-");
    EXPECT_EQ(id[3 + 14], '4');                                          // version nibble
    EXPECT_NE(std::string("89ab").find(id[3 + 19]), std::string::npos);  // variant
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST(ToRoutingDecision, WithSelection) {
  const auto result = result_of({item("t1", "search", "Search"), item("t2", "filter", "Filter")}, {0.85, 0.42});
  cw::RoutingDecisionOptions o;
  o.decision_id = "rd-1";
  o.selected_item_id = "t1";
  o.context_summary = "user wanted search";
  const auto rd = result.to_routing_decision(o);
  EXPECT_EQ(rd.selected_item_id, "t1");
  EXPECT_EQ(rd.selected_card_id, "t1");  // resolved from the item id
  EXPECT_EQ(rd.context_summary, "user wanted search");
  o.selected_item_id = "not-a-candidate";
  EXPECT_EQ(result.to_routing_decision(o).selected_card_id, std::nullopt);
  o.selected_card_id = "explicit";
  EXPECT_EQ(result.to_routing_decision(o).selected_card_id, "explicit");
}

TEST(ToRoutingDecision, PreservesRouterDiagnostics) {
  auto result = result_of({item("t1")}, {0.9});
  result.is_ambiguous = true;
  result.excluded_count = 3;
  result.gated_count = 2;
  result.context_hints = {"billing"};
  result.context_boost_applied = true;
  result.clarifying_question = "Did you mean billing or analytics?";
  const auto rd = result.to_routing_decision();
  EXPECT_EQ(cw::dumps(rd.metadata),
            "{\"contextweaver\": {\"is_ambiguous\": true, \"excluded_count\": 3, \"gated_count\": 2, "
            "\"context_boost_applied\": true, \"context_hints\": [\"billing\"], \"clarifying_question\": "
            "\"Did you mean billing or analytics?\"}}");
  const auto plain = result_of({item("t1")}, {0.9}).to_routing_decision();
  EXPECT_EQ(cw::dumps(plain.metadata),
            "{\"contextweaver\": {\"is_ambiguous\": false, \"excluded_count\": 0, \"gated_count\": 0, "
            "\"context_boost_applied\": false}}");
}

TEST(ToRoutingDecision, EmptyRaises) {
  try {
    cw::RouteResult().to_routing_decision();
    FAIL() << "expected RouteError";
  } catch (const cw::RouteError& e) {
    EXPECT_STREQ(e.what(), "RoutingDecision requires at least one candidate item");
  }
}

TEST(ToRoutingDecision, NowOverride) {
  const auto result = result_of({item("t1")}, {1.0});
  cw::RoutingDecisionOptions o;
  o.now = at(2026, 1, 1);
  EXPECT_EQ(result.to_routing_decision(o).timestamp, at(2026, 1, 1));
  const auto before = cw::utc_now();
  EXPECT_GE(result.to_routing_decision().timestamp, before);
}

TEST(ToRoutingDecision, MergesIntoCallersNamespace) {
  auto result = result_of({item("t1")}, {1.0});
  result.is_ambiguous = true;
  result.excluded_count = 2;
  cw::RoutingDecisionOptions o;
  o.metadata = cw::Json{{"other", 1}, {"contextweaver", {{"trace_id", "abc-123"}, {"request_id", "req-1"}}}};
  const auto rd = result.to_routing_decision(o);
  EXPECT_EQ(rd.metadata["other"], 1);
  const cw::Json& ns = rd.metadata["contextweaver"];
  EXPECT_EQ(ns["trace_id"], "abc-123");
  EXPECT_EQ(ns["request_id"], "req-1");
  EXPECT_EQ(ns["is_ambiguous"], true);
  EXPECT_EQ(ns["excluded_count"], 2);
}

TEST(ToRoutingDecision, CallerMetadataWinsOnKeyCollision) {
  auto result = result_of({item("t1")}, {1.0});
  result.is_ambiguous = true;
  cw::RoutingDecisionOptions o;
  o.metadata = cw::Json{{"contextweaver", {{"is_ambiguous", false}}}};
  EXPECT_EQ(result.to_routing_decision(o).metadata["contextweaver"]["is_ambiguous"], false);
}

TEST(ToRoutingDecision, KeepsMoreThanTwentyCandidates) {
  std::vector<cw::SelectableItem> items;
  std::vector<double> scores;
  for (int i = 0; i < 25; ++i) {
    items.push_back(item("t" + std::to_string(i), "n" + std::to_string(i)));
    scores.push_back(1.0 - i * 0.01);
  }
  const auto rd = result_of(items, scores).to_routing_decision();
  ASSERT_EQ(rd.choice_cards.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(rd.choice_cards[static_cast<std::size_t>(i)].id, "t" + std::to_string(i));
}

}  // namespace
