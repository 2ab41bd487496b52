// JaccardClusteringEngine: the test_registry.py clustering case, and a check
// against a direct transcription of the reference's farthest-first algorithm
// (docs/routing.md) on random token sets: both the inverted-index path (dense
// ids) and the bitset path (sparse ids).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "contextweaver/routing/clustering.hpp"
#include "routing/routing_test_items.hpp"

namespace cw = contextweaver;
using cwtest::tool_item;

namespace {

double naive_jaccard(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a.empty() && b.empty()) return 0.0;
  std::vector<std::uint32_t> x = a, y = b, both;
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
  return static_cast<double>(both.size()) / static_cast<double>(x.size() + y.size() - both.size());
}

// The reference's loop, with the min over all seeds recomputed every round.
cw::Clusters naive_cluster(const std::vector<const cw::SelectableItem*>& items,
                           const std::vector<std::vector<std::uint32_t>>& sets, std::size_t k) {
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return items[a]->id < items[b]->id; });
  const std::size_t n = order.size();
  const auto sim = [&](std::size_t i, std::size_t j) { return naive_jaccard(sets[order[i]], sets[order[j]]); };
  std::vector<std::size_t> seeds{0};
  for (std::size_t r = 0; r + 1 < std::min(k, n); ++r) {
    std::ptrdiff_t best = -1;
    double best_d = -1.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::find(seeds.begin(), seeds.end(), i) != seeds.end()) continue;
      double d = 2.0;
      for (const std::size_t s : seeds) d = std::min(d, 1.0 - sim(i, s));
      if (d > best_d) {
        best_d = d;
        best = static_cast<std::ptrdiff_t>(i);
      }
    }
    if (best >= 0) seeds.push_back(static_cast<std::size_t>(best));
  }
  std::vector<std::vector<std::size_t>> members(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t best_seed = seeds[0];
    double best_sim = -1.0;
    for (const std::size_t s : seeds) {
      const double v = sim(i, s);
      if (v > best_sim || (v == best_sim && s < best_seed)) {
        best_sim = v;
        best_seed = s;
      }
    }
    members[best_seed].push_back(order[i]);
  }
  std::sort(seeds.begin(), seeds.end());
  cw::Clusters out;
  for (const std::size_t s : seeds) {
    if (members[s].empty()) continue;
    char label[32];
    std::snprintf(label, sizeof label, "cluster_%03zu", out.size());
    out.emplace_back(label, members[s]);
  }
  return out;
}

void check_random(std::uint32_t vocab, std::uint32_t id_stride, unsigned seed) {
  std::mt19937 rng(seed);
  for (int round = 0; round < 20; ++round) {
    const std::size_t n = 1 + rng() % 120;
    std::vector<cw::SelectableItem> storage(n);
    std::vector<std::vector<std::uint32_t>> sets(n);
    for (std::size_t i = 0; i < n; ++i) {
      storage[i].id = "t" + std::to_string(rng() % (n * 2));  // duplicate ids on purpose
      const std::size_t size = rng() % 8;                     // empty sets too
      for (std::size_t j = 0; j < size; ++j) sets[i].push_back((rng() % vocab) * id_stride);
      std::sort(sets[i].begin(), sets[i].end());
      sets[i].erase(std::unique(sets[i].begin(), sets[i].end()), sets[i].end());
      std::shuffle(sets[i].begin(), sets[i].end(), rng);  // any order is allowed
    }
    std::vector<const cw::SelectableItem*> items;
    std::vector<const std::vector<std::uint32_t>*> ptrs;
    for (std::size_t i = 0; i < n; ++i) {
      items.push_back(&storage[i]);
      ptrs.push_back(&sets[i]);
    }
    const std::size_t k = 2 + rng() % 12;
    const auto got = cw::JaccardClusteringEngine().cluster_tokens(items, ptrs, static_cast<std::int64_t>(k));
    const auto want = naive_cluster(items, sets, k);
    ASSERT_EQ(got, want) << "vocab " << vocab << " stride " << id_stride << " round " << round;
  }
}

TEST(JaccardClustering, InvertedIndexPathMatchesReferenceLoop) {
  check_random(12, 1, 7);
}
TEST(JaccardClustering, SmallVocabularyManyTies) {
  check_random(3, 1, 11);
}
TEST(JaccardClustering, SparseIdsBitsetPathMatchesReferenceLoop) {
  check_random(40, 100000, 13);
}

TEST(JaccardClustering, SortedByIdFlagGivesTheSameClusters) {
  std::vector<cw::SelectableItem> storage(6);
  std::vector<std::vector<std::uint32_t>> sets = {{0, 1}, {1, 2}, {5}, {5, 6}, {0}, {6, 7}};
  std::vector<const cw::SelectableItem*> items;
  std::vector<const std::vector<std::uint32_t>*> ptrs;
  for (std::size_t i = 0; i < storage.size(); ++i) {
    storage[i].id = "id" + std::to_string(i);
    items.push_back(&storage[i]);
    ptrs.push_back(&sets[i]);
  }
  const cw::JaccardClusteringEngine engine;
  EXPECT_EQ(engine.cluster_tokens(items, ptrs, 3, true), engine.cluster_tokens(items, ptrs, 3, false));
}

TEST(Clustering, JaccardEngine) {
  const cw::JaccardClusteringEngine engine;
  const auto a = tool_item("a", "red apple", "red fruit");
  const auto b = tool_item("b", "red cherry", "red fruit");
  const auto c = tool_item("c", "blue whale", "ocean animal");
  const auto d = tool_item("d", "blue shark", "ocean animal");
  const std::vector<const cw::SelectableItem*> items = {&d, &c, &b, &a};
  const auto clusters = engine.cluster(items, 2);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[0].first, "cluster_000");
  std::size_t total = 0;
  for (const auto& [label, members] : clusters) total += members.size();
  EXPECT_EQ(total, 4u);
  EXPECT_TRUE(engine.cluster({}, 3).empty());
  EXPECT_EQ(engine.cluster(items, 1).size(), 1u);
}

}  // namespace
