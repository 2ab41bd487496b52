// The engine registry (port of test_registry.py) and TreeBuilder / ReferenceRouter
// taking their engines from a registry (docs/routing.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/registry.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/tree_builder.hpp"

#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

using cwtest::error_of;

cw::SelectableItem item(const std::string& id, const std::string& description = "desc", const std::string& ns = "") {
  cw::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = id;
  it.description = description;
  it.namespace_ = ns;
  return it;
}

cw::EngineFactory retriever_factory() {
  return [] { return cw::Engine(std::make_shared<cw::TfIdfRetriever>()); };
}

// A retriever that scores every document 1.0, to prove which engine was used.
struct ConstantRetriever final : cw::Retriever {
  std::size_t n = 0;
  void fit(const std::vector<std::string>& corpus) override { n = corpus.size(); }
  double score_one(std::string_view /*query*/, std::size_t index) const override { return index < n ? 1.0 : 0.0; }
  std::size_t size() const override { return n; }
  std::string name() const override { return "constant"; }
};

// ---- TfIdfRetriever / NoOpReranker / JaccardClusteringEngine behaviour ----

TEST(Registry, TfIdfRetrieverSearchReturnsTopK) {
  cw::TfIdfRetriever retriever;
  retriever.fit({"red apple", "green pear", "blue car", "red velvet"});
  const auto hits = retriever.search("red", 2);
  ASSERT_EQ(hits.size(), 2u);
  std::vector<std::size_t> ids{hits[0].first, hits[1].first};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::size_t>{0, 3}));
}

TEST(Registry, TfIdfRetrieverUnfitReturnsEmpty) {
  EXPECT_TRUE(cw::TfIdfRetriever().search("anything", 5).empty());
}

TEST(Registry, TfIdfRetrieverDeterministicTies) {
  cw::TfIdfRetriever r1, r2;
  r1.fit({"foo", "foo", "foo"});
  r2.fit({"foo", "foo", "foo"});
  const auto a = r1.search("foo", 3);
  EXPECT_EQ(a, r2.search("foo", 3));
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].first, 0u);  // ties by ascending index
  EXPECT_EQ(a[1].first, 1u);
  EXPECT_EQ(a[2].first, 2u);
}

TEST(Registry, NoOpRerankerReturnsUnchangedCopy) {
  const cw::ScoredIds candidates = {{"a", 0.9}, {"b", 0.5}};
  cw::ScoredIds out = cw::NoOpReranker().rerank("query", candidates);
  EXPECT_EQ(out, candidates);
  out.emplace_back("c", 0.0);
  EXPECT_EQ(candidates, (cw::ScoredIds{{"a", 0.9}, {"b", 0.5}}));
}

TEST(Registry, JaccardClusteringPartitionsItems) {
  const auto a = item("a", "database read");
  const auto b = item("b", "database write");
  const auto c = item("c", "email send");
  const auto d = item("d", "email receive");
  const auto clusters = cw::JaccardClusteringEngine().cluster({&a, &b, &c, &d}, 2);
  std::size_t total = 0;
  for (const auto& [label, members] : clusters) total += members.size();
  EXPECT_EQ(total, 4u);
  EXPECT_LE(clusters.size(), 2u);
}

TEST(Registry, JaccardClusteringHandlesEmptyAndKOne) {
  EXPECT_TRUE(cw::JaccardClusteringEngine().cluster({}, 3).empty());
  const auto a = item("a");
  const auto b = item("b");
  const auto one = cw::JaccardClusteringEngine().cluster({&a, &b}, 1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].first, "cluster_000");
  EXPECT_EQ(one[0].second.size(), 2u);
}

// ---- EngineRegistry ----

TEST(Registry, DefaultRegistryResolvesDefaults) {
  EXPECT_NE(std::dynamic_pointer_cast<cw::TfIdfRetriever>(cw::default_registry().resolve_retriever()), nullptr);
  EXPECT_NE(std::dynamic_pointer_cast<cw::NoOpReranker>(cw::default_registry().resolve_reranker()), nullptr);
  EXPECT_NE(std::dynamic_pointer_cast<cw::JaccardClusteringEngine>(cw::default_registry().resolve_clustering()),
            nullptr);
  EXPECT_EQ(cw::default_registry().default_for("retriever"), "tfidf");
  EXPECT_EQ(cw::default_registry().default_for("reranker"), "identity");
  EXPECT_EQ(cw::default_registry().default_for("clustering"), "jaccard");
}

TEST(Registry, ResolvesByName) {
  const cw::Engine engine = cw::default_registry().resolve("retriever", "tfidf");
  const auto* r = std::get_if<std::shared_ptr<cw::Retriever>>(&engine);
  ASSERT_NE(r, nullptr);
  EXPECT_NE(std::dynamic_pointer_cast<cw::TfIdfRetriever>(*r), nullptr);
}

TEST(Registry, ResolveReturnsFreshInstance) {
  EXPECT_NE(cw::default_registry().resolve_retriever(), cw::default_registry().resolve_retriever());
}

TEST(Registry, RegisterOverwritesExisting) {
  cw::EngineRegistry registry;
  registry.register_engine("retriever", "tfidf", retriever_factory(), true);
  registry.register_engine(
      "retriever", "tfidf", [] { return cw::Engine(std::make_shared<cw::BM25Retriever>()); }, true);
  EXPECT_EQ(registry.resolve_retriever()->name(), "bm25");
  EXPECT_EQ(registry.list_engines("retriever"), (std::vector<std::string>{"tfidf"}));
}

TEST(Registry, ResolveUnknownSlotRaises) {
  const cw::EngineRegistry registry;
  EXPECT_EQ(error_of<cw::ConfigError>([&] { registry.resolve("unknown"); }),
            "Unknown engine slot 'unknown'. Valid slots: clustering, reranker, retriever.");
}

TEST(Registry, ResolveUnknownEngineRaises) {
  cw::EngineRegistry registry;
  EXPECT_EQ(error_of<cw::ConfigError>([&] { registry.resolve("reranker", "missing"); }),
            "Engine 'missing' not registered under slot 'reranker'. Available: (none).");
  registry.register_engine("retriever", "tfidf", retriever_factory(), true);
  registry.register_engine("retriever", "bm25", retriever_factory());
  EXPECT_EQ(error_of<cw::ConfigError>([&] { registry.resolve("retriever", "missing"); }),
            "Engine 'missing' not registered under slot 'retriever'. Available: bm25, tfidf.");
}

TEST(Registry, ResolveNoDefaultRaises) {
  const cw::EngineRegistry registry;
  EXPECT_EQ(error_of<cw::ConfigError>([&] { registry.resolve("retriever"); }),
            "No default engine registered for slot 'retriever'.");
}

TEST(Registry, RegisterUnknownSlotRaises) {
  cw::EngineRegistry registry;
  EXPECT_EQ(error_of<cw::ConfigError>([&] { registry.register_engine("nope", "x", retriever_factory()); }),
            "Unknown engine slot 'nope'. Valid slots: clustering, reranker, retriever.");
  EXPECT_THROW(registry.list_engines("nope"), cw::ConfigError);
}

TEST(Registry, ListEnginesSorted) {
  cw::EngineRegistry registry;
  registry.register_engine("retriever", "z", retriever_factory());
  registry.register_engine("retriever", "a", retriever_factory());
  EXPECT_EQ(registry.list_engines("retriever"), (std::vector<std::string>{"a", "z"}));
  EXPECT_TRUE(registry.list_engines("clustering").empty());
}

TEST(Registry, DefaultFor) {
  cw::EngineRegistry registry;
  EXPECT_EQ(registry.default_for("retriever"), std::nullopt);
  EXPECT_EQ(registry.default_for("no-such-slot"), std::nullopt);
  registry.register_engine("retriever", "tfidf", retriever_factory(), true);
  EXPECT_EQ(registry.default_for("retriever"), "tfidf");
}

TEST(Registry, FirstRegisterBecomesDefault) {
  cw::EngineRegistry registry;
  registry.register_engine("retriever", "first", [] { return cw::Engine(std::make_shared<ConstantRetriever>()); });
  registry.register_engine("retriever", "second", retriever_factory());
  EXPECT_EQ(registry.resolve_retriever()->name(), "constant");
  registry.register_engine("retriever", "second", retriever_factory(), true);
  EXPECT_EQ(registry.resolve_retriever()->name(), "tfidf");
}

TEST(Registry, TypedResolveRejectsAnotherSlotsEngine) {
  cw::EngineRegistry registry;
  registry.register_engine("reranker", "odd", retriever_factory());
  EXPECT_EQ(error_of<cw::ConfigError>([&] { registry.resolve_reranker(); }),
            "Engine 'odd' under slot 'reranker' is not a reranker.");
}

TEST(Registry, CopiesAreIndependent) {
  cw::EngineRegistry copy = cw::make_default_registry();
  copy.register_engine(
      "retriever", "constant", [] { return cw::Engine(std::make_shared<ConstantRetriever>()); }, true);
  EXPECT_EQ(cw::default_registry().default_for("retriever"), "tfidf");
  EXPECT_EQ(copy.default_for("retriever"), "constant");
}

// ---- TreeBuilder and ReferenceRouter consult a registry ----

TEST(Registry, TreeBuilderResolvesClusteringFromRegistry) {
  struct Halves final : cw::ClusteringEngine {
    cw::Clusters cluster(const std::vector<const cw::SelectableItem*>& items, std::int64_t /*k*/) const override {
      cw::Clusters out{{"a", {}}, {"b", {}}};
      for (std::size_t i = 0; i < items.size(); ++i) out[i % 2].second.push_back(i);
      return out;
    }
  };
  cw::EngineRegistry registry;
  registry.register_engine("clustering", "halves", [] { return cw::Engine(std::make_shared<Halves>()); });
  cw::TreeBuilderOptions o;
  o.max_children = 5;
  o.engine_registry = &registry;
  std::vector<cw::SelectableItem> items;
  for (int i = 0; i < 8; ++i) items.push_back(item("t" + std::to_string(i)));
  const auto g = cw::TreeBuilder(o).build(items);
  EXPECT_EQ(g.successors("root"), (std::vector<std::string>{"root/cluster_000", "root/cluster_001"}));
  // Round-robin halves: t0, t2, t4, t6 in the first cluster.
  EXPECT_EQ(g.successors("root/cluster_000"), (std::vector<std::string>{"t0", "t2", "t4", "t6"}));

  const cw::EngineRegistry empty;
  cw::TreeBuilderOptions bad;
  bad.engine_registry = &empty;
  EXPECT_EQ(error_of<cw::ConfigError>([&] { (void)cw::TreeBuilder(bad); }),
            "No default engine registered for slot 'clustering'.");
}

TEST(Registry, RouterResolvesRetrieverFromRegistry) {
  std::vector<cw::SelectableItem> items = {item("a", "send email"), item("b", "read database")};
  const auto graph = cw::TreeBuilder().build(items);
  cw::EngineRegistry registry = cw::make_default_registry();
  registry.register_engine(
      "retriever", "constant", [] { return cw::Engine(std::make_shared<ConstantRetriever>()); }, true);
  cw::ReferenceRouterOptions o;
  o.engine_registry = &registry;
  const cw::ReferenceRouter router(graph, items, o);
  EXPECT_EQ(router.retriever_engine(), "constant");
  const auto result = router.route("email");
  ASSERT_EQ(result.candidate_ids.size(), 2u);
  EXPECT_EQ(result.scores[0], result.scores[1]);  // every node scores 1.0; ties by id
  EXPECT_EQ(result.candidate_ids[0], "a");

  // A non-default backend name bypasses the registry.
  o.scorer_backend = "bm25";
  EXPECT_EQ(cw::ReferenceRouter(graph, items, o).retriever_engine(), "bm25");
  // The default registry gives TF-IDF.
  EXPECT_EQ(cw::ReferenceRouter(graph, items).retriever_engine(), "tfidf");
}

}  // namespace
