// Bit-for-bit parity with the reference: trees and routes for the benchmark
// catalogs (golden files of ../shared/data/golden, every item reachable).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>

#include "contextweaver/core/json.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/tree_builder.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

const int kSizes[] = {50, 83, 100, 500, 1000};

// Everything a size needs, parsed and built once for the whole binary.
struct SizeData {
  std::vector<cw::SelectableItem> items;
  cw::ChoiceGraph graph;
  cw::Json golden_graph;
};

class ParityData {
 public:
  static ParityData& get(const std::filesystem::path& shared) {
    static ParityData data(shared);
    return data;
  }
  const SizeData& size(int n) const { return sizes_.at(n); }
  const cw::Json& routes(const std::string& backend, int n) {
    const std::string key = backend + "_" + std::to_string(n);
    auto it = routes_.find(key);
    if (it == routes_.end()) {
      it = routes_.emplace(key, cw::loads(cwtest::read_file(golden_ / ("routing_" + key + ".json")))).first;
    }
    return it->second;
  }
  const cw::Json& oracle() {
    if (oracle_.is_null()) oracle_ = cw::loads(cwtest::read_file(golden_ / "routing_oracle.json"));
    return oracle_;
  }
  const cw::Json& summary() {
    if (summary_.is_null()) summary_ = cw::loads(cwtest::read_file(golden_ / "routing_summary.json"));
    return summary_;
  }

 private:
  explicit ParityData(const std::filesystem::path& shared) : golden_(shared / "data" / "golden") {
    for (const int n : kSizes) {
      SizeData d{
          cw::load_catalog(shared / "data" / "reference" / "catalogs" / ("catalog_" + std::to_string(n) + ".json")),
          cw::ChoiceGraph(), cw::Json()};
      d.graph = cw::TreeBuilder().build(d.items);
      d.golden_graph = cw::loads(cwtest::read_file(golden_ / ("graph_" + std::to_string(n) + ".json")));
      sizes_.emplace(n, std::move(d));
    }
  }
  std::filesystem::path golden_;
  std::map<int, SizeData> sizes_;
  std::map<std::string, cw::Json> routes_;
  cw::Json oracle_;
  cw::Json summary_;
};

struct Metrics {
  double p = 0, r = 0, mrr = 0;
  int evaluated = 0;
};

// The benchmark's P@5, R@5 and MRR (docs/routing-quality.md) over evaluated queries.
void add_metrics(Metrics& m, const std::vector<std::string>& predicted, const std::vector<std::string>& expected) {
  const auto in = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  const std::size_t k = 5;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < std::min(k, predicted.size()); ++i) hits += in(expected, predicted[i]) ? 1 : 0;
  std::size_t found = 0;
  const std::vector<std::string> head(predicted.begin(),
                                      predicted.begin() + static_cast<std::ptrdiff_t>(std::min(k, predicted.size())));
  for (const auto& e : expected) found += in(head, e) ? 1 : 0;
  double rr = 0.0;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    if (in(expected, predicted[i])) {
      rr = 1.0 / static_cast<double>(i + 1);
      break;
    }
  }
  m.p += static_cast<double>(hits) / static_cast<double>(k);
  m.r += expected.empty() ? 1.0 : static_cast<double>(found) / static_cast<double>(expected.size());
  m.mrr += rr;
  ++m.evaluated;
}

double round4(double x) {
  return cw::py_round(x, 4);
}

class RoutingParity : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST(TreeParity, GraphsMatchGoldenExactly) {
  CW_REQUIRE_SHARED(shared);
  auto& data = ParityData::get(shared);
  for (const int n : kSizes) {
    const SizeData& d = data.size(n);
    const cw::Json mine = d.graph.to_dict();
    EXPECT_EQ(cw::dumps(mine, {true, -1, true}), cw::dumps(d.golden_graph, {true, -1, true})) << "graph_" << n;
    EXPECT_NO_THROW(d.graph.validate()) << n;  // R1: every item reachable
  }
}

TEST(TreeParity, OracleTreeStatsMatch) {
  CW_REQUIRE_SHARED(shared);
  auto& data = ParityData::get(shared);
  const cw::Json& trees = data.oracle().at("trees");
  for (const int n : kSizes) {
    const cw::Json expected = trees.at(std::to_string(n)).at("stats");
    EXPECT_EQ(data.size(n).graph.stats().to_dict(), expected) << n;
  }
}

TEST_P(RoutingParity, Top10IdsScoresAndMetrics) {
  CW_REQUIRE_SHARED(shared);
  const auto& [backend, n] = GetParam();
  auto& data = ParityData::get(shared);
  const SizeData& d = data.size(n);
  cw::ReferenceRouterOptions options;
  options.scorer_backend = backend;
  const cw::ReferenceRouter router(d.graph, d.items, options);

  const bool from_oracle = backend == "fuzzy";
  const cw::Json& golden = from_oracle ? data.oracle().at("routes").at(backend).at(std::to_string(n))
                                       : data.routes(backend, n).at("queries");
  const cw::Json& gold_entries = data.routes("tfidf", n).at("queries");  // expected ids per query
  ASSERT_EQ(golden.size(), 200u);
  Metrics metrics;
  for (std::size_t q = 0; q < golden.size(); ++q) {
    const cw::Json& entry = golden[q];
    std::string query;
    std::vector<std::string> ids;
    std::vector<double> scores;
    bool ambiguous = false;
    std::vector<std::vector<std::string>> paths;
    if (from_oracle) {
      query = entry[0].get<std::string>();
      ids = entry[1].get<std::vector<std::string>>();
      scores = entry[2].get<std::vector<double>>();
      ambiguous = entry[3].get<bool>();
    } else {
      query = entry.at("query").get<std::string>();
      for (const auto& t : entry.at("top")) {
        ids.push_back(t.at("id").get<std::string>());
        scores.push_back(t.at("score").get<double>());
        paths.push_back(t.at("path").get<std::vector<std::string>>());
      }
      ambiguous = entry.at("is_ambiguous").get<bool>();
    }
    const cw::RouteResult result = router.route(query);
    ASSERT_EQ(result.candidate_ids, ids) << backend << "/" << n << " query " << q << ": " << query;
    ASSERT_EQ(result.scores.size(), scores.size());
    for (std::size_t i = 0; i < scores.size(); ++i) {
      EXPECT_NEAR(result.scores[i], scores[i], 1e-9) << backend << "/" << n << " query " << q << " rank " << i;
      EXPECT_EQ(result.scores[i], scores[i]) << "not bit-identical: " << backend << "/" << n << " q" << q << " r" << i;
    }
    if (!paths.empty()) {
      EXPECT_EQ(result.paths, paths) << query;
    }
    EXPECT_EQ(result.is_ambiguous, ambiguous) << query;

    const cw::Json& gold = gold_entries[q];
    ASSERT_EQ(gold.at("query").get<std::string>(), query);
    if (gold.at("evaluated").get<bool>()) {
      add_metrics(metrics, result.candidate_ids, gold.at("expected_in_catalog").get<std::vector<std::string>>());
    }
  }
  const double count = metrics.evaluated;
  const cw::Json& cell = data.oracle().at("metrics").at(backend + "/" + std::to_string(n));
  EXPECT_EQ(metrics.evaluated, cell.at("queries").get<int>());
  EXPECT_EQ(round4(metrics.p / count), cell.at("p@5").get<double>());
  EXPECT_EQ(round4(metrics.r / count), cell.at("r@5").get<double>());
  EXPECT_EQ(round4(metrics.mrr / count), cell.at("mrr").get<double>());
  if (!from_oracle) {
    for (const auto& row : data.summary()) {
      if (row.at("backend") != backend || row.at("catalog_size").get<int>() != n) continue;
      EXPECT_EQ(round4(metrics.p / count), row.at("precision_at_k").get<double>());
      EXPECT_EQ(round4(metrics.r / count), row.at("recall_at_k").get<double>());
      EXPECT_EQ(round4(metrics.mrr / count), row.at("mrr").get<double>());
      EXPECT_NEAR(metrics.mrr / count, row.at("mrr_unrounded").get<double>(), 1e-12);
    }
  }
}

std::vector<std::tuple<std::string, int>> cells() {
  std::vector<std::tuple<std::string, int>> out;
  for (const char* backend : {"tfidf", "bm25", "fuzzy"})
    for (const int n : kSizes) out.emplace_back(backend, n);
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllCells, RoutingParity, ::testing::ValuesIn(cells()), [](const auto& cell) {
  return std::get<0>(cell.param) + "_" + std::to_string(std::get<1>(cell.param));
});

}  // namespace
