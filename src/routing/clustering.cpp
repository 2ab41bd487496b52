#include "contextweaver/routing/clustering.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <unordered_map>

#include "contextweaver/core/tokenize.hpp"
#include "contextweaver/routing/catalog.hpp"

namespace contextweaver {
namespace {

double jaccard_ids(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a.empty() && b.empty()) return 0.0;
  std::size_t common = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::string cluster_label(std::size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "cluster_%03zu", index);
  return buf;
}

}  // namespace

Clusters JaccardClusteringEngine::cluster(const std::vector<const SelectableItem*>& items, std::int64_t k) const {
  std::unordered_map<std::string, std::uint32_t> vocab;
  std::vector<std::vector<std::uint32_t>> ids(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (const auto& token : tokenize(item_text(*items[i]))) {
      ids[i].push_back(vocab.emplace(token, static_cast<std::uint32_t>(vocab.size())).first->second);
    }
    std::sort(ids[i].begin(), ids[i].end());
  }
  std::vector<const std::vector<std::uint32_t>*> ptrs;
  for (const auto& v : ids) ptrs.push_back(&v);
  return cluster_tokens(items, ptrs, k);
}

Clusters JaccardClusteringEngine::cluster_tokens(const std::vector<const SelectableItem*>& items,
                                                 const std::vector<const std::vector<std::uint32_t>*>& token_ids,
                                                 std::int64_t k) const {
  if (items.empty()) return {};
  if (k <= 1 || items.size() <= 1) {
    std::vector<std::size_t> all(items.size());
    std::iota(all.begin(), all.end(), 0);
    return {{"cluster_000", all}};
  }
  // S = items sorted by id (stable); order[i] is the caller's index of S[i].
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return items[a]->id < items[b]->id; });
  const std::size_t n = order.size();
  const auto tokens = [&](std::size_t i) -> const std::vector<std::uint32_t>& { return *token_ids[order[i]]; };

  // Farthest-first seeding. min_dist[i] is kept incrementally: the minimum
  // over the same values as the reference's min() over all seeds.
  std::vector<std::size_t> seeds{0};
  std::vector<char> is_seed(n, 0);
  is_seed[0] = 1;
  std::vector<double> min_dist(n);
  for (std::size_t i = 0; i < n; ++i) min_dist[i] = 1.0 - jaccard_ids(tokens(i), tokens(0));
  const std::size_t rounds = std::min<std::size_t>(static_cast<std::size_t>(k), n) - 1;
  for (std::size_t r = 0; r < rounds; ++r) {
    std::ptrdiff_t best = -1;
    double best_dist = -1.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (is_seed[i]) continue;
      if (min_dist[i] > best_dist) {
        best_dist = min_dist[i];
        best = static_cast<std::ptrdiff_t>(i);
      }
    }
    if (best < 0) break;
    const auto seed = static_cast<std::size_t>(best);
    seeds.push_back(seed);
    is_seed[seed] = 1;
    for (std::size_t i = 0; i < n; ++i) min_dist[i] = std::min(min_dist[i], 1.0 - jaccard_ids(tokens(i), tokens(seed)));
  }

  // Nearest seed; equal similarity goes to the smaller seed index.
  std::vector<std::vector<std::size_t>> members(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t best_seed = seeds[0];
    double best_sim = -1.0;
    for (const std::size_t s : seeds) {
      const double sim = jaccard_ids(tokens(i), tokens(s));
      if (sim > best_sim || (sim == best_sim && s < best_seed)) {
        best_sim = sim;
        best_seed = s;
      }
    }
    members[best_seed].push_back(i);
  }
  std::vector<std::size_t> sorted_seeds = seeds;
  std::sort(sorted_seeds.begin(), sorted_seeds.end());
  Clusters out;
  for (const std::size_t s : sorted_seeds) {
    if (members[s].empty()) continue;
    std::vector<std::size_t> group;
    group.reserve(members[s].size());
    for (const std::size_t i : members[s]) group.push_back(order[i]);
    out.emplace_back(cluster_label(out.size()), std::move(group));
  }
  return out;
}

}  // namespace contextweaver
