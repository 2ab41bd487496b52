// Routers by name (any_router.hpp) and the ranking index saved with the graph (graph_with_index.hpp).
#include <gtest/gtest.h>

#include <algorithm>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/any_router.hpp"
#include "contextweaver/routing/graph_with_index.hpp"
#include "contextweaver/routing/sample_catalog.hpp"
#include "contextweaver/routing/tree_builder.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

const std::vector<std::string> kQueries = {"book a flight to Berlin",   "refund the last invoice",
                                           "send an email to the team", "zxqv blorft",
                                           "list open support tickets", "what is the weather like"};

std::unique_ptr<cw::AnyRouter> by_name(const std::string& name, const cw::AnyRouterOptions& o = {}) {
  const auto items = cw::sample_catalog();
  return cw::make_router(name, cw::TreeBuilder().build(items), items, o);
}

}  // namespace

TEST(RouterFactory, NamesAndUnknownName) {
  EXPECT_EQ(cw::router_names(),
            (std::vector<std::string>{"default", "reference-tfidf", "reference-bm25", "reference-fuzzy"}));
  for (const auto& n : cw::router_names()) EXPECT_EQ(by_name(n)->name(), n);
  try {
    by_name("bm25");
    FAIL() << "no ConfigError";
  } catch (const cw::ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("Unknown router 'bm25'"), std::string::npos) << msg;
    for (const auto& n : cw::router_names()) EXPECT_NE(msg.find(n), std::string::npos) << msg;
  }
}

// The reference routers are the parity ReferenceRouter, unchanged.
TEST(RouterFactory, ReferenceRoutersAreTheParityRouter) {
  const auto items = cw::sample_catalog();
  for (const std::string backend : {"tfidf", "bm25", "fuzzy"}) {
    cw::ReferenceRouterOptions ro;
    ro.scorer_backend = backend;
    ro.beam_width = 3;
    const cw::ReferenceRouter direct(cw::TreeBuilder().build(items), items, ro);
    cw::AnyRouterOptions fo;
    fo.beam_width = 3;
    const auto named = by_name("reference-" + backend, fo);
    for (const auto& q : kQueries) {
      cw::RouteOptions opt;
      opt.debug = true;
      const auto a = direct.route(q, opt);
      const auto b = named->route(q, opt);
      EXPECT_EQ(a.candidate_ids, b.result.candidate_ids) << backend << " " << q;
      EXPECT_EQ(a.scores, b.result.scores) << backend << " " << q;
      EXPECT_EQ(a.paths, b.result.paths);
      EXPECT_EQ(a.trace.to_dict(), b.result.trace.to_dict());
      EXPECT_FALSE(b.refused);
      EXPECT_FALSE(b.confidence.has_value());
    }
  }
}

TEST(RouterFactory, DefaultRouterAnswersInTheReferenceShape) {
  const auto items = cw::sample_catalog();
  const cw::DefaultRouter ranker(items);
  const auto router = by_name("default");
  const auto r = router->route("book a flight to Berlin");
  const auto direct = ranker.rank("book a flight to Berlin");
  ASSERT_EQ(r.result.candidate_ids.size(), direct.candidates.size());
  for (std::size_t i = 0; i < direct.candidates.size(); ++i) {
    EXPECT_EQ(r.result.candidate_ids[i], direct.candidates[i].id);
    EXPECT_EQ(r.result.scores[i], direct.candidates[i].score);
    EXPECT_EQ(r.result.candidate_items[i].id, direct.candidates[i].id);
    // The path runs from below the root down to the item, along graph edges.
    const auto& path = r.result.paths[i];
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(path.back(), direct.candidates[i].id);
    const auto first = router->graph().successors(router->graph().root_id());
    EXPECT_NE(std::find(first.begin(), first.end(), path.front()), first.end());
    for (std::size_t k = 1; k < path.size(); ++k) {
      const auto next = router->graph().successors(path[k - 1]);
      EXPECT_NE(std::find(next.begin(), next.end(), path[k]), next.end());
    }
  }
  EXPECT_EQ(r.result.candidate_ids.front(), "travel.flights.book");
  EXPECT_FALSE(r.refused);
  ASSERT_TRUE(r.confidence.has_value());
  EXPECT_EQ(*r.confidence, direct.confidence);
  EXPECT_EQ(r.matches.size(), direct.candidates.size());
  EXPECT_EQ(r.result.trace.retriever_engine, "default");
  EXPECT_FALSE(r.result.explanation().empty());

  const auto nonsense = router->route("zxqv blorft");
  EXPECT_TRUE(nonsense.refused);
  EXPECT_FALSE(nonsense.refusal_reason.empty());
  EXPECT_TRUE(nonsense.result.trace.extra["refused"].get<bool>());
}

TEST(RouterFactory, DefaultRouterFiltersHintsAndDebug) {
  const auto router = by_name("default");
  cw::RouteOptions opt;
  opt.allowed_namespaces = std::vector<std::string>{"travel"};
  opt.exclude_ids = {"travel.flights.book"};
  opt.context_hints = {"  hotel  ", " "};
  opt.debug = true;
  const auto r = router->route("book a flight", opt);
  EXPECT_GT(r.result.gated_count, 0);
  EXPECT_EQ(r.result.excluded_count, 1);
  for (const auto& item : r.result.candidate_items) EXPECT_EQ(item.namespace_, "travel");
  EXPECT_EQ(r.result.context_hints, std::vector<std::string>{"hotel"});
  EXPECT_TRUE(r.result.context_boost_applied);
  ASSERT_EQ(r.result.trace.steps.size(), 1u);
  EXPECT_EQ(r.result.trace.steps[0].kept, r.result.candidate_ids);
  cw::RouteOptions none;
  none.allowed_namespaces = std::vector<std::string>{};
  EXPECT_THROW(router->route("book a flight", none), cw::RouteError);
}

TEST(RouterFactory, DefaultRouterAmbiguityAsksBack) {
  cw::AnyRouterOptions o;
  o.confidence_gap = 1.0;  // any two candidates are "close"
  const auto r = by_name("default", o)->route("list tickets");
  ASSERT_GE(r.result.candidate_ids.size(), 2u);
  EXPECT_TRUE(r.result.is_ambiguous);
  EXPECT_TRUE(r.result.clarifying_question.has_value());
  o.confidence_gap = 1.5;
  EXPECT_THROW(by_name("default", o), cw::ConfigError);
}

TEST(RankingIndexWithGraph, SavedAndLoadedIndexRanksIdentically) {
  cwtest::TempDir dir;
  const auto items = cw::sample_catalog();
  const auto graph = cw::TreeBuilder().build(items);
  const cw::DefaultRouter ranker(items);
  const auto path = dir / "graph.json";
  cw::save_graph_with_index(graph, ranker, path);
  EXPECT_EQ(cw::ranking_index_path(path), dir / "graph.ranking.json");
  ASSERT_TRUE(std::filesystem::exists(dir / "graph.ranking.json"));

  auto loaded = cw::load_graph_with_index(path);
  EXPECT_EQ(loaded.index_status, "loaded");
  ASSERT_TRUE(loaded.router.has_value());
  EXPECT_EQ(loaded.graph.items(), graph.items());
  EXPECT_EQ(loaded.graph.nodes(), graph.nodes());
  const auto fresh = cw::make_router("default", graph, items);
  const auto from_disk = cw::make_router(std::move(loaded.graph), std::move(*loaded.router));
  for (const auto& q : kQueries) {
    const auto a = fresh->route(q);
    const auto b = from_disk->route(q);
    EXPECT_EQ(a.result.candidate_ids, b.result.candidate_ids) << q;
    EXPECT_EQ(a.result.scores, b.result.scores) << q;  // bit for bit
    EXPECT_EQ(a.result.paths, b.result.paths) << q;
    EXPECT_EQ(a.refused, b.refused) << q;
    EXPECT_EQ(a.confidence, b.confidence) << q;
  }
}

TEST(RankingIndexWithGraph, MissingOrStaleIndexIsReported) {
  cwtest::TempDir dir;
  const auto items = cw::sample_catalog();
  const auto graph = cw::TreeBuilder().build(items);
  cw::save_graph(graph, dir / "plain.json");
  EXPECT_EQ(cw::load_graph_with_index(dir / "plain.json").index_status, "missing");

  // An index written for one catalog, then the graph rebuilt for another.
  cw::save_graph_with_index(graph, cw::DefaultRouter(items), dir / "g.json");
  std::vector<cw::SelectableItem> fewer(items.begin() + 1, items.end());
  cw::save_graph(cw::TreeBuilder().build(fewer, false), dir / "g.json");
  const auto stale = cw::load_graph_with_index(dir / "g.json");
  EXPECT_FALSE(stale.router.has_value());
  EXPECT_EQ(stale.index_status.rfind("stale", 0), 0u) << stale.index_status;

  // The ranker must index exactly the graph's items.
  EXPECT_THROW(cw::save_graph_with_index(graph, cw::DefaultRouter(fewer), dir / "h.json"), cw::ValueError);

  cwtest::write_file(dir / "bad.ranking.json", "{not json");
  cw::save_graph(graph, dir / "bad.json");
  EXPECT_THROW(cw::load_graph_with_index(dir / "bad.json"), cw::JsonDecodeError);
}
