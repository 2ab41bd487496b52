// ChoiceGraph model, serialisation and validated loading; TreeBuilder shapes.
#include <gtest/gtest.h>

#include <cmath>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/routing/tree_builder.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

template <typename F>
std::string graph_error(F f) {
  try {
    f();
  } catch (const cw::GraphBuildError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

cw::SelectableItem item(const std::string& id, const std::string& ns = "", const std::string& desc = "") {
  cw::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = id;
  it.description = desc.empty() ? "tool " + id : desc;
  it.namespace_ = ns;
  return it;
}

TEST(Graph, NodesEdgesAndOrder) {
  cw::ChoiceGraph g;
  g.add_node("a", "A", "hint");
  g.add_node("a", "", "");  // empty values never overwrite
  EXPECT_EQ(g.get_node("a").label, "A");
  g.add_node("a", "B", "");
  EXPECT_EQ(g.get_node("a").label, "B");
  g.add_item("z");
  g.add_edge("a", "z");
  g.add_edge("a", "c");
  g.add_edge("a", "b");
  EXPECT_EQ(g.successors("a"), (std::vector<std::string>{"b", "c", "z"}));
  EXPECT_EQ(g.get_node("a").children, (std::vector<std::string>{"z", "c", "b"}));  // insertion order
  EXPECT_EQ(g.get_node("a").child_types.front(), (std::pair<std::string, std::string>{"z", "item"}));
  EXPECT_EQ(g.predecessors("b"), std::vector<std::string>{"a"});
  EXPECT_EQ(g.roots(), std::vector<std::string>{"a"});
  EXPECT_EQ(g.topological_order(), (std::vector<std::string>{"a", "b", "c", "z"}));
  EXPECT_TRUE(g.successors("unknown").empty());
  EXPECT_EQ(graph_error([&] { g.get_node("nope"); }), "Node 'nope' not found.");
}

TEST(Graph, CyclesRejected) {
  cw::ChoiceGraph g;
  g.add_edge("a", "b");
  g.add_edge("b", "c");
  EXPECT_EQ(graph_error([&] { g.add_edge("c", "a"); }), "Adding edge 'c' -> 'a' would create a cycle.");
  EXPECT_TRUE(has(graph_error([&] { g.add_edge("a", "a"); }), "cycle"));
  EXPECT_TRUE(g.successors("c").empty());  // the rejected edge left nothing behind
}

TEST(Graph, StatsCountNavigationNodes) {
  cw::ChoiceGraph g;
  g.add_node("root");
  g.add_node("root/x");
  g.add_edge("root", "root/x");
  for (const char* id : {"billing.a", "billing.b", "crm.c", "solo"}) {
    g.add_item(id);
    g.add_edge("root/x", id);
  }
  const auto s = g.stats();
  EXPECT_EQ(s.total_nodes, 2);
  EXPECT_EQ(s.total_items, 4);
  EXPECT_EQ(s.leaf_node_count, 0);
  EXPECT_EQ(s.max_depth, 2);
  EXPECT_EQ(s.avg_branching_factor, 2.5);
  EXPECT_EQ(s.namespaces, (std::vector<std::string>{"billing", "crm"}));
  EXPECT_TRUE(s.to_dict().contains("max_branching_factor"));
}

TEST(Graph, DictRoundTripRebuildsChildrenFromEdges) {
  const auto graph = cw::TreeBuilder(3).build({item("a.1", "a"), item("a.2", "a"), item("b.1", "b"), item("b.2", "b")});
  const cw::Json d = graph.to_dict();
  EXPECT_EQ(cw::ChoiceGraph::from_dict(d).to_dict(), d);
  cw::Json tampered = d;
  tampered["nodes"]["root"]["children"] = cw::Json::array({"bogus"});
  EXPECT_EQ(cw::ChoiceGraph::from_dict(tampered).get_node("root").children, graph.successors("root"));
  cw::Json cyclic = d;
  cyclic["edges"]["root/a"].push_back("root");
  EXPECT_TRUE(has(graph_error([&] { cw::ChoiceGraph::from_dict(cyclic); }), "Cycle detected"));
  ASSERT_TRUE(graph.manifest().has_value());
  EXPECT_EQ(cw::ChoiceGraph::from_dict(d).manifest(), graph.manifest());
}

TEST(GraphFiles, SaveLoadJsonAndYaml) {
  cwtest::TempDir dir;
  std::vector<cw::SelectableItem> items;
  for (int i = 0; i < 45; ++i)
    items.push_back(item("ns" + std::to_string(i % 3) + ".t" + std::to_string(i), "ns" + std::to_string(i % 3)));
  const auto graph = cw::TreeBuilder(5).build(items);
  for (const char* name : {"g.json", "g.yaml"}) {
    cw::save_graph(graph, dir / name);
    // Compared with sorted keys (files sort them); EXPECT_TRUE keeps a failure short.
    EXPECT_TRUE(cw::dumps(cw::load_graph(dir / name).to_dict(), {true, -1, true}) ==
                cw::dumps(graph.to_dict(), {true, -1, true}))
        << name;
  }
  EXPECT_NE(cwtest::read_file(dir / "g.yaml").front(), '{');
  EXPECT_EQ(cwtest::read_file(dir / "g.json").substr(0, 3), "{\n ");
}

TEST(GraphFiles, LoadErrors) {
  cwtest::TempDir dir;
  EXPECT_TRUE(has(graph_error([&] { cw::load_graph(dir / "none.json"); }), "Cannot read graph file"));
  cwtest::write_file(dir / "bad.json", "{\n\"root_id\": }");
  const std::string bad_json = graph_error([&] { cw::load_graph(dir / "bad.json"); });
  EXPECT_TRUE(has(bad_json, "Invalid JSON in graph file")) << bad_json;
  EXPECT_TRUE(has(bad_json, "line 2")) << bad_json;
  cwtest::write_file(dir / "bad.yaml", "root_id: [\n");
  EXPECT_TRUE(has(graph_error([&] { cw::load_graph(dir / "bad.yaml"); }), "Invalid YAML in graph file"));

  const auto write = [&](const cw::Json& data) { cwtest::write_file(dir / "g.json", cw::dumps(data)); };
  cw::Json base = cw::TreeBuilder().build({item("a.x", "a"), item("b.y", "b")}).to_dict();
  cw::Json bad_root = base;
  bad_root["root_id"] = "missing";
  write(bad_root);
  EXPECT_TRUE(has(graph_error([&] { cw::load_graph(dir / "g.json"); }), "Root node 'missing' not found"));
  cw::Json unreachable = base;
  unreachable["items"].push_back("ghost");
  write(unreachable);
  EXPECT_TRUE(has(graph_error([&] { cw::load_graph(dir / "g.json"); }), "not reachable"));
  cw::Json dangling = base;
  dangling["edges"]["root"].push_back("nowhere");
  write(dangling);
  EXPECT_EQ(graph_error([&] { cw::load_graph(dir / "g.json"); }),
            "Child ref 'nowhere' from 'root' not found in graph.");
  cw::Json cyclic = base;
  cyclic["edges"]["a.x"].push_back("root");  // root -> a.x -> root
  write(cyclic);
  EXPECT_TRUE(has(graph_error([&] { cw::load_graph(dir / "g.json"); }), "Cycle detected"));
  cw::Json mistyped = base;
  mistyped["items"] = "a.x";
  write(mistyped);
  EXPECT_TRUE(has(graph_error([&] { cw::load_graph(dir / "g.json"); }), "items"));
}

TEST(TreeBuilder, ParameterValidation) {
  for (const std::int64_t bad : {-5, 0, 1}) {
    EXPECT_EQ(graph_error([&] { cw::TreeBuilder b(bad); }), "max_children must be >= 2, got " + std::to_string(bad));
  }
  for (const std::int64_t bad : {-3, 0}) {
    cw::TreeBuilderOptions o;
    o.target_group_size = bad;
    EXPECT_EQ(graph_error([&] { cw::TreeBuilder b(o); }), "target_group_size must be >= 1, got " + std::to_string(bad));
  }
  EXPECT_EQ(graph_error([] { cw::TreeBuilder().build({}); }), "Cannot build tree from empty item list.");
}

void expect_bounded(const cw::ChoiceGraph& g, std::size_t m) {
  for (const auto& id : g.nodes()) EXPECT_LE(g.successors(id).size(), m) << id;
  EXPECT_NO_THROW(g.validate());
}

TEST(TreeBuilder, EveryNodeBoundedAndEveryItemReachable) {
  std::vector<cw::SelectableItem> many, single_ns, same_desc, mixed;
  for (int i = 0; i < 120; ++i)
    many.push_back(item("n" + std::to_string(i % 7) + ".t" + std::to_string(i), "n" + std::to_string(i % 7)));
  for (int i = 0; i < 30; ++i) single_ns.push_back(item("solo.t" + std::to_string(i), "solo"));
  for (int i = 0; i < 30; ++i) same_desc.push_back(item("t" + std::to_string(100 + i), "", "identical description"));
  for (int i = 0; i < 40; ++i) mixed.push_back(item("m" + std::to_string(i), i % 2 ? "ns" : ""));
  expect_bounded(cw::TreeBuilder(10).build(many), 10);
  expect_bounded(cw::TreeBuilder(5).build(many), 5);
  expect_bounded(cw::TreeBuilder(5).build(single_ns), 5);
  expect_bounded(cw::TreeBuilder(10).build(same_desc), 10);
  expect_bounded(cw::TreeBuilder(2).build(mixed), 2);
  const auto one = cw::TreeBuilder().build({item("only")});
  EXPECT_EQ(one.successors("root"), std::vector<std::string>{"only"});
}

TEST(TreeBuilder, DeterministicWithManifest) {
  std::vector<cw::SelectableItem> items;
  for (int i = 0; i < 30; ++i)
    items.push_back(item("x" + std::to_string(i % 4) + ".t" + std::to_string(i), "x" + std::to_string(i % 4)));
  const auto a = cw::TreeBuilder(10).build(items);
  auto reversed = items;
  std::reverse(reversed.begin(), reversed.end());
  const auto b = cw::TreeBuilder(10).build(reversed);
  EXPECT_EQ(a.to_dict(), b.to_dict());
  EXPECT_EQ(a.build_meta()["version"], "1.0");
  EXPECT_EQ(a.build_meta()["item_count"], 30);
  const auto m = a.manifest();
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->item_count, 30);
  EXPECT_EQ(m->build_hash, cw::compute_catalog_hash(items));
  EXPECT_EQ(m->extra["max_children"], 10);
  EXPECT_TRUE(m->matches_catalog(reversed));
  EXPECT_EQ(a.successors("root").size(), 4u);
}

TEST(TreeBuilder, CustomClusteringEngineIsUsed) {
  struct Halves final : cw::ClusteringEngine {
    mutable std::int64_t seen_k = 0;
    cw::Clusters cluster(const std::vector<const cw::SelectableItem*>& items, std::int64_t k) const override {
      seen_k = k;
      cw::Clusters out{{"first", {}}, {"second", {}}};
      for (std::size_t i = 0; i < items.size(); ++i) out[i % 2].second.push_back(i);
      return out;
    }
  };
  auto engine = std::make_shared<Halves>();
  cw::TreeBuilderOptions o;
  o.max_children = 5;
  o.clustering = engine;
  std::vector<cw::SelectableItem> items;
  for (int i = 0; i < 8; ++i) items.push_back(item("t" + std::to_string(i)));
  const auto g = cw::TreeBuilder(o).build(items);
  EXPECT_GE(engine->seen_k, 2);
  EXPECT_EQ(g.successors("root"), (std::vector<std::string>{"root/cluster_000", "root/cluster_001"}));
  expect_bounded(g, 5);
}

TEST(Manifest, HashIgnoresOrderAndMetadata) {
  auto a = item("a");
  a.tags = {"y", "x"};
  auto b = item("b");
  const std::string h = cw::compute_catalog_hash({a, b});
  auto a2 = a;
  a2.tags = {"x", "y"};
  a2.metadata = cw::Json{{"k", 1}};
  EXPECT_EQ(cw::compute_catalog_hash({b, a2}), h);
  a2.description = "changed";
  EXPECT_NE(cw::compute_catalog_hash({b, a2}), h);
  const auto m = cw::GraphManifest::for_build({a, b});
  EXPECT_GT(m.timestamp, 0.0);
  EXPECT_EQ(cw::GraphManifest::from_dict(m.to_dict()), m);
  EXPECT_FALSE(cw::GraphManifest{}.matches_catalog({a}));
}

}  // namespace
