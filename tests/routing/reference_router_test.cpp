// ReferenceRouter behaviour (ports of the reference's tests/test_router.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <type_traits>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/tree_builder.hpp"

namespace cw = contextweaver;

namespace {

cw::SelectableItem item(const std::string& id, const std::string& name, const std::string& description,
                        std::vector<std::string> tags = {}, const std::string& ns = "") {
  cw::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = name.empty() ? id : name;
  it.description = description;
  it.tags = std::move(tags);
  it.namespace_ = ns;
  return it;
}

std::vector<cw::SelectableItem> catalog() {
  return {item("db_read", "read_db", "Read from database", {"data", "read"}),
          item("db_write", "write_db", "Write to database", {"data", "write"}),
          item("send_email", "send_email", "Send email notification", {"comm", "email"}),
          item("search_docs", "search_docs", "Search documentation pages", {"search", "docs"}),
          item("create_user", "create_user", "Create a new user account", {"admin", "users"})};
}

cw::ReferenceRouter make_router(const std::vector<cw::SelectableItem>& items, std::int64_t beam = 2,
                                std::int64_t top_k = 20, double gap = 0.15, std::int64_t max_children = 20,
                                const std::string& backend = "tfidf") {
  cw::ReferenceRouterOptions options;
  options.beam_width = beam;
  options.top_k = top_k;
  options.confidence_gap = gap;
  options.scorer_backend = backend;
  return cw::ReferenceRouter(cw::TreeBuilder(max_children).build(items), items, options);
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<cw::SelectableItem> namespaced(int n) {
  std::vector<cw::SelectableItem> items;
  const char* namespaces[] = {"billing", "crm", "infra", "search", "docs"};
  for (int i = 0; i < n; ++i) {
    const std::string ns = namespaces[i % 5];
    items.push_back(item(ns + ".tool" + std::to_string(i), "tool_" + std::to_string(i),
                         "Handle " + ns + " task number " + std::to_string(i), {ns}, ns));
  }
  return items;
}

// Code ported from the Python reference finds the class under its name there.
TEST(ReferenceRouter, RouterIsTheReferenceName) {
  static_assert(std::is_same_v<cw::Router, cw::ReferenceRouter>);
  const auto items = catalog();
  const cw::Router router(cw::TreeBuilder().build(items), items);
  EXPECT_FALSE(router.route("read from the database").candidate_ids.empty());
}

TEST(ReferenceRouter, ReturnsAlignedCandidates) {
  const auto router = make_router(catalog());
  const auto result = router.route("database read");
  ASSERT_FALSE(result.candidate_ids.empty());
  ASSERT_EQ(result.candidate_items.size(), result.candidate_ids.size());
  ASSERT_EQ(result.scores.size(), result.candidate_ids.size());
  ASSERT_EQ(result.paths.size(), result.candidate_ids.size());
  for (std::size_t i = 0; i < result.candidate_ids.size(); ++i) {
    EXPECT_EQ(result.candidate_items[i].id, result.candidate_ids[i]);
    EXPECT_EQ(result.paths[i].back(), result.candidate_ids[i]);
  }
  EXPECT_EQ(result.candidate_ids.front(), "db_read");
}

TEST(ReferenceRouter, IsDeterministic) {
  const auto items = namespaced(50);
  const auto router = make_router(items, 3);
  const auto a = router.route("billing task");
  const auto b = router.route("billing task");
  EXPECT_EQ(a.candidate_ids, b.candidate_ids);
  EXPECT_EQ(a.scores, b.scores);
}

TEST(ReferenceRouter, TopKCapsResults) {
  const auto router = make_router(namespaced(50), 2, 5);
  EXPECT_LE(router.route("task").candidate_ids.size(), 5u);
}

TEST(ReferenceRouter, ConfidenceGapValidated) {
  const auto graph = cw::TreeBuilder().build(catalog());
  for (const double ok : {0.0, 1.0}) {
    cw::ReferenceRouterOptions o;
    o.confidence_gap = ok;
    EXPECT_NO_THROW(cw::ReferenceRouter(graph, catalog(), o));
  }
  for (const double bad : {-0.1, 1.5}) {
    cw::ReferenceRouterOptions o;
    o.confidence_gap = bad;
    try {
      cw::ReferenceRouter r(graph, catalog(), o);
      FAIL() << "accepted " << bad;
    } catch (const cw::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("confidence_gap"), std::string::npos);
    }
  }
}

TEST(ReferenceRouter, UnknownBackendRejected) {
  cw::ReferenceRouterOptions o;
  o.scorer_backend = "nope";
  try {
    cw::ReferenceRouter r(cw::TreeBuilder().build(catalog()), catalog(), o);
    FAIL();
  } catch (const cw::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "Unknown scorer_backend 'nope'; valid options: ['bm25', 'fuzzy', 'tfidf']");
  }
}

TEST(ReferenceRouter, Bm25AndFuzzyBackendsRoute) {
  const auto bm25 = make_router(catalog(), 2, 20, 0.15, 20, "bm25");
  const auto ids = bm25.route("send email to user").candidate_ids;
  ASSERT_GE(ids.size(), 3u);
  EXPECT_TRUE(contains({ids.begin(), ids.begin() + 3}, "send_email"));
  EXPECT_EQ(bm25.route("x").trace.retriever_engine, "bm25");
  const auto fuzzy = make_router(catalog(), 2, 20, 0.15, 20, "fuzzy");
  EXPECT_EQ(fuzzy.route("Send email notification").candidate_ids.front(), "send_email");
}

TEST(ReferenceRouter, ErrorsForMissingRootAndItems) {
  cw::ChoiceGraph graph;
  graph.add_node("other");
  cw::ReferenceRouter no_root(graph, catalog());
  EXPECT_THROW(no_root.route("x"), cw::RouteError);
  cw::ReferenceRouter no_items(cw::TreeBuilder().build(catalog()));
  try {
    no_items.route("x");
    FAIL();
  } catch (const cw::RouteError& e) {
    EXPECT_NE(std::string(e.what()).find("No items registered"), std::string::npos);
  }
}

TEST(ReferenceRouter, DebugTraceOnlyWhenAsked) {
  const auto router = make_router(catalog());
  cw::RouteOptions debug;
  debug.debug = true;
  const auto with = router.route("database", debug);
  ASSERT_FALSE(with.trace.steps.empty());
  const cw::Json legacy = with.debug_trace();
  ASSERT_FALSE(legacy.empty());
  EXPECT_TRUE(legacy[0].contains("depth"));
  EXPECT_TRUE(legacy[0].contains("expansions"));
  EXPECT_TRUE(router.route("database").trace.steps.empty());
  EXPECT_TRUE(router.route("database").debug_trace().empty());
}

TEST(ReferenceRouter, BacktrackingFillsTopK) {
  const auto items = namespaced(50);
  const auto router = make_router(items, 1, 15, 0.15, 5);
  const auto result = router.route("billing");
  EXPECT_GE(result.candidate_ids.size(), 15u / 2);
  EXPECT_LE(result.candidate_ids.size(), 15u);
  EXPECT_TRUE(std::any_of(result.candidate_ids.begin(), result.candidate_ids.end(),
                          [](const std::string& id) { return id.rfind("billing.", 0) == 0; }));
}

TEST(ReferenceRouter, RoutingConfigOverridesExplicitValues) {
  cw::ReferenceRouterOptions o;
  o.beam_width = 9;
  o.top_k = 99;
  o.routing_config = cw::RoutingConfig{1, 3, 2, 0.5, 20};
  const cw::ReferenceRouter router(cw::TreeBuilder().build(catalog()), catalog(), o);
  EXPECT_EQ(router.beam_width(), 1);
  EXPECT_EQ(router.max_depth(), 3);
  EXPECT_EQ(router.top_k(), 2);
  EXPECT_EQ(router.confidence_gap(), 0.5);
  EXPECT_EQ(cw::routing_profile("fast"), (cw::RoutingConfig{1, 4, 5, 0.20, 15}));
  EXPECT_THROW(cw::routing_profile("turbo"), cw::ConfigError);
}

TEST(ReferenceRouter, ExclusionsAndGating) {
  const auto router = make_router(catalog());
  cw::RouteOptions ex;
  ex.exclude_ids = {"db_read"};
  auto r = router.route("database", ex);
  EXPECT_FALSE(contains(r.candidate_ids, "db_read"));
  EXPECT_GE(r.excluded_count, 1);
  EXPECT_EQ(r.trace.excluded_count, r.excluded_count);

  cw::RouteOptions tags;
  tags.exclude_tags = {"data"};
  r = router.route("database", tags);
  EXPECT_FALSE(contains(r.candidate_ids, "db_read"));
  EXPECT_FALSE(contains(r.candidate_ids, "db_write"));
  EXPECT_GE(r.excluded_count, 2);

  cw::RouteOptions all;
  all.exclude_ids = {"db_read", "db_write", "send_email", "search_docs", "create_user"};
  try {
    router.route("database", all);
    FAIL();
  } catch (const cw::RouteError& e) {
    EXPECT_NE(std::string(e.what()).find("filtered out"), std::string::npos);
  }

  const std::vector<cw::SelectableItem> ns_items = {item("billing.invoice", "invoice", "Create invoice", {}, "billing"),
                                                    item("crm.contact", "contact", "Create contact", {}, "crm")};
  const auto ns_router = make_router(ns_items);
  cw::RouteOptions gate;
  gate.allowed_namespaces = std::vector<std::string>{"billing"};
  r = ns_router.route("create", gate);
  EXPECT_EQ(r.candidate_ids, std::vector<std::string>{"billing.invoice"});
  EXPECT_EQ(r.gated_count, 1);

  const std::vector<cw::SelectableItem> tagged = {item("a", "a", "first tool", {"read"}),
                                                  item("b", "b", "second tool", {"write"})};
  cw::RouteOptions allow_tags;
  allow_tags.allowed_tags = std::vector<std::string>{"read"};
  r = make_router(tagged).route("tool", allow_tags);
  EXPECT_EQ(r.candidate_ids, std::vector<std::string>{"a"});
  EXPECT_EQ(r.gated_count, 1);

  const std::vector<cw::SelectableItem> mixed = {item("billing.a", "a", "tool a", {}, "billing"),
                                                 item("billing.b", "b", "tool b", {}, "billing"),
                                                 item("crm.c", "c", "tool c", {}, "crm")};
  cw::RouteOptions both;
  both.allowed_namespaces = std::vector<std::string>{"billing"};
  both.exclude_ids = {"billing.b"};
  r = make_router(mixed).route("tool", both);
  EXPECT_EQ(r.candidate_ids, std::vector<std::string>{"billing.a"});
  EXPECT_EQ(r.gated_count, 1);
  EXPECT_EQ(r.excluded_count, 1);
}

TEST(ReferenceRouter, ExcludedLeafDoesNotConsumeBeamSlot) {
  const auto router = make_router(catalog(), 1, 1);
  cw::RouteOptions ex;
  ex.exclude_ids = {"db_read"};
  EXPECT_EQ(router.route("database", ex).candidate_ids, std::vector<std::string>{"db_write"});
}

TEST(ReferenceRouter, SubtreeWithEveryItemExcludedIsPruned) {
  const std::vector<cw::SelectableItem> items = {item("comms.email", "email", "Send email", {}, "comms"),
                                                 item("db.read", "read", "Read rows", {}, "db"),
                                                 item("db.write", "write", "Write rows", {}, "db")};
  const auto router = make_router(items, 2, 10, 0.15, 2);
  cw::RouteOptions ex;
  ex.exclude_ids = {"db.read", "db.write"};
  EXPECT_EQ(router.route("rows", ex).candidate_ids, std::vector<std::string>{"comms.email"});
}

TEST(ReferenceRouter, ContextHints) {
  const std::vector<cw::SelectableItem> items = {item("send_email", "send_email", "Send a message", {"notify"}),
                                                 item("send_sms", "send_sms", "Send a message", {"notify"})};
  const auto router = make_router(items);
  cw::RouteOptions hints;
  hints.context_hints = {"  email ", "", "   "};
  const auto r = router.route("send a message", hints);
  EXPECT_EQ(r.candidate_ids.front(), "send_email");
  EXPECT_EQ(r.context_hints, std::vector<std::string>{"email"});
  EXPECT_TRUE(r.context_boost_applied);
  EXPECT_EQ(r.trace.extra["context_hints"], cw::Json::array({"email"}));
  EXPECT_EQ(r.trace.query, "send a message");
  cw::RouteOptions blank;
  blank.context_hints = {" ", "\t"};
  const auto none = router.route("send a message", blank);
  EXPECT_TRUE(none.context_hints.empty());
  EXPECT_FALSE(none.context_boost_applied);
  EXPECT_EQ(none.scores, router.route("send a message").scores);
}

TEST(ReferenceRouter, AmbiguityAndClarifyingQuestion) {
  const std::vector<cw::SelectableItem> twins = {item("ns_a.tool", "tool", "Export report data", {}, "ns_a"),
                                                 item("ns_b.tool", "tool", "Export report data", {}, "ns_b")};
  const auto r = make_router(twins, 2, 10, 0.5).route("export report");
  EXPECT_TRUE(r.is_ambiguous);
  ASSERT_TRUE(r.clarifying_question.has_value());
  EXPECT_NE(r.clarifying_question->find("'ns_a'"), std::string::npos);
  EXPECT_EQ(r.trace.top_score, r.scores[0]);
  ASSERT_TRUE(r.trace.runner_up_score.has_value());
  EXPECT_EQ(*r.trace.runner_up_score, r.scores[1]);

  const auto clear = make_router(catalog(), 2, 10, 0.05).route("send email notification");
  EXPECT_FALSE(clear.is_ambiguous);
  EXPECT_FALSE(clear.clarifying_question.has_value());

  // top_k 1: ambiguity is judged on the untrimmed list.
  const auto one = make_router(twins, 2, 1, 0.5).route("export report");
  EXPECT_EQ(one.candidate_ids.size(), 1u);
  EXPECT_TRUE(one.is_ambiguous);
}

TEST(ReferenceRouter, TraceRoundTripAndExplanation) {
  const auto router = make_router(catalog());
  cw::RouteOptions o;
  o.debug = true;
  o.context_hints = {"rows"};
  const auto r = router.route("database read", o);
  EXPECT_EQ(cw::RouteTrace::from_dict(r.trace.to_dict()).to_dict(), r.trace.to_dict());
  const std::string md = r.explanation();
  EXPECT_EQ(md.rfind("### Routing explanation for query `database read`", 0), 0u);
  EXPECT_NE(md.find("| Rank | Tool id | Score |"), std::string::npos);
  EXPECT_NE(md.find("| 1 | `db_read` |"), std::string::npos);
  EXPECT_NE(md.find("**Context hints applied**"), std::string::npos);
  EXPECT_EQ(md, r.explanation());
  const cw::Json d = r.explanation_dict();
  EXPECT_EQ(d["version"], 1);
  EXPECT_EQ(d["candidates"][0]["id"], "db_read");
  EXPECT_EQ(d["retriever_engine"], "tfidf");

  const cw::RouteResult empty;
  EXPECT_NE(empty.explanation().find("_No candidates returned._"), std::string::npos);
  EXPECT_TRUE(empty.explanation_dict()["top"].is_null());
  EXPECT_TRUE(empty.explanation_dict()["confidence_gap"].is_null());
}

// A retriever that records its calls: fit once, scores by corpus position.
class CountingRetriever final : public cw::Retriever {
 public:
  void fit(const std::vector<std::string>& corpus) override {
    ++fits;
    size_ = corpus.size();
  }
  double score_one(std::string_view, std::size_t index) const override {
    ++calls;
    return static_cast<double>(index);
  }
  std::size_t size() const override { return size_; }
  std::string name() const override { return "counting"; }
  int fits = 0;
  mutable int calls = 0;

 private:
  std::size_t size_ = 0;
};

TEST(ReferenceRouter, CustomRetrieverIsFittedOnceAndNamed) {
  auto retriever = std::make_shared<CountingRetriever>();
  cw::ReferenceRouterOptions o;
  o.retriever = retriever;
  const cw::ReferenceRouter router(cw::TreeBuilder().build(catalog()), catalog(), o);
  const auto r = router.route("anything");
  router.route("again");
  EXPECT_EQ(retriever->fits, 1);
  EXPECT_GT(retriever->calls, 0);
  EXPECT_EQ(r.candidate_ids.front(), "send_email");  // the largest corpus index among items
  EXPECT_EQ(r.trace.retriever_engine, "counting");   // docs/compat.md, "Routing"
}

TEST(ReferenceRouter, HostileQueriesDoNotCrash) {
  const auto router = make_router(catalog());
  const std::string big(1 << 20, 'a');
  EXPECT_NO_THROW(router.route(big));
  EXPECT_NO_THROW(router.route(""));
  EXPECT_NO_THROW(router.route(std::string("\xff\xfe\x00\x01 caf\xc3\xa9 \xe2\x80\x8b", 12)));
  const auto fuzzy = make_router(catalog(), 2, 20, 0.15, 20, "fuzzy");
  EXPECT_NO_THROW(fuzzy.route(std::string("\xff\xfe\x00\x01 caf\xc3\xa9", 9)));
}

}  // namespace
