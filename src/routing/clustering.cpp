#include "contextweaver/routing/clustering.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/routing/catalog.hpp"

namespace contextweaver {
namespace {

std::string cluster_label(std::size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "cluster_%03zu", index);
  return buf;
}

// |a ∩ b| / |a ∪ b| from the intersection size: the same integers, so the
// same double as the reference's jaccard over token sets.
double jaccard_from(std::size_t common, std::size_t size_a, std::size_t size_b) {
  if (size_a == 0 && size_b == 0) return 0.0;
  return static_cast<double>(common) / static_cast<double>(size_a + size_b - common);
}

// Similarity of every item to one seed, from exact intersection counts.
// Usually through an inverted index (token -> positions of the items holding
// it): a seed then costs the postings of its own tokens, not a pass over
// every token of every item. When the ids are too sparse for a dense index,
// the seed's tokens become a bitset tested once per item token.
class SeedSimilarity {
 public:
  // tokens[i]: the ascending, unique token ids of item i.
  explicit SeedSimilarity(std::vector<const std::vector<std::uint32_t>*> tokens)
      : tokens_(std::move(tokens)), n_(tokens_.size()), sizes_(n_) {
    std::uint32_t max_id = 0;
    std::size_t total_tokens = 0;
    for (std::size_t i = 0; i < n_; ++i) {
      sizes_[i] = tokens_[i]->size();
      total_tokens += sizes_[i];
      for (const std::uint32_t t : *tokens_[i]) max_id = std::max(max_id, t);
    }
    inverted_ = static_cast<std::size_t>(max_id) <= 8 * total_tokens + 1024;
    if (inverted_) {
      build_postings(max_id, total_tokens);
    } else {
      seed_bits_.resize(max_id / 64 + 1);
    }
  }

  // out[i] = jaccard(item i, item seed).
  void similarities(std::size_t seed, std::vector<double>& out) {
    const auto& st = *tokens_[seed];
    out.resize(n_);
    if (inverted_) {
      std::fill(common_.begin(), common_.end(), 0);
      for (const std::uint32_t t : st)
        for (std::uint32_t p = start_[t]; p < start_[t + 1]; ++p) ++common_[postings_[p]];
      for (std::size_t i = 0; i < n_; ++i) out[i] = jaccard_from(common_[i], sizes_[i], st.size());
      return;
    }
    std::fill(seed_bits_.begin(), seed_bits_.end(), 0);
    for (const std::uint32_t t : st) seed_bits_[t >> 6] |= std::uint64_t{1} << (t & 63);
    for (std::size_t i = 0; i < n_; ++i) {
      const auto& it = *tokens_[i];
      std::size_t shared = 0;
      for (const std::uint32_t t : it) shared += (seed_bits_[t >> 6] >> (t & 63)) & 1;
      out[i] = jaccard_from(shared, it.size(), st.size());
    }
  }

 private:
  void build_postings(std::uint32_t max_id, std::size_t total_tokens) {
    start_.assign(static_cast<std::size_t>(max_id) + 2, 0);
    for (std::size_t i = 0; i < n_; ++i)
      for (const std::uint32_t t : *tokens_[i]) ++start_[t + 1];
    for (std::size_t t = 1; t < start_.size(); ++t) start_[t] += start_[t - 1];
    postings_.resize(total_tokens);
    std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
    for (std::size_t i = 0; i < n_; ++i)
      for (const std::uint32_t t : *tokens_[i]) postings_[fill[t]++] = static_cast<std::uint32_t>(i);
    common_.resize(n_);
  }

  std::vector<const std::vector<std::uint32_t>*> tokens_;
  std::size_t n_;
  std::vector<std::size_t> sizes_;
  bool inverted_ = false;
  std::vector<std::uint32_t> start_, postings_, common_;
  std::vector<std::uint64_t> seed_bits_;
};

// Farthest-first seeding of up to k seeds (seeds[0] = item 0). min_dist[i] is
// kept incrementally: the minimum over the same values as the reference's
// min() over all seeds. sims[r] holds every item's similarity to seed r,
// reused by the assignment.
std::vector<std::size_t> farthest_first_seeds(SeedSimilarity& similarity, std::size_t n, std::int64_t k,
                                              std::vector<std::vector<double>>& sims) {
  std::vector<std::size_t> seeds{0};
  sims.assign(1, {});
  std::vector<char> is_seed(n, 0);
  is_seed[0] = 1;
  similarity.similarities(0, sims[0]);
  std::vector<double> min_dist(n);
  for (std::size_t i = 0; i < n; ++i) min_dist[i] = 1.0 - sims[0][i];
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
    sims.emplace_back();
    similarity.similarities(seed, sims.back());
    const std::vector<double>& sim = sims.back();
    for (std::size_t i = 0; i < n; ++i) min_dist[i] = std::min(min_dist[i], 1.0 - sim[i]);
  }
  return seeds;
}

// Members by seed: each item goes to its nearest seed; equal similarity goes
// to the smaller seed index.
std::vector<std::vector<std::size_t>> assign_to_seeds(const std::vector<std::size_t>& seeds,
                                                      const std::vector<std::vector<double>>& sims, std::size_t n) {
  std::vector<std::vector<std::size_t>> members(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t best_seed = seeds[0];
    double best_sim = -1.0;
    for (std::size_t r = 0; r < seeds.size(); ++r) {
      const std::size_t s = seeds[r];
      const double sim = sims[r][i];
      if (sim > best_sim || (sim == best_sim && s < best_seed)) {
        best_sim = sim;
        best_seed = s;
      }
    }
    members[best_seed].push_back(i);
  }
  return members;
}

}  // namespace

Clusters JaccardClusteringEngine::cluster(const std::vector<const SelectableItem*>& items, std::int64_t k) const {
  TokenVocabulary vocab;
  std::vector<std::vector<std::uint32_t>> ids(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) vocab.token_ids(item_text(*items[i]), ids[i]);
  std::vector<const std::vector<std::uint32_t>*> ptrs;
  ptrs.reserve(ids.size());
  for (const auto& v : ids) ptrs.push_back(&v);
  return cluster_tokens(items, ptrs, k);
}

Clusters JaccardClusteringEngine::cluster_tokens(const std::vector<const SelectableItem*>& items,
                                                 const std::vector<const std::vector<std::uint32_t>*>& token_ids,
                                                 std::int64_t k, bool sorted_by_id) const {
  if (items.empty()) return {};
  if (k <= 1 || items.size() <= 1) {
    std::vector<std::size_t> all(items.size());
    std::iota(all.begin(), all.end(), 0);
    return {{"cluster_000", all}};
  }
  // S = items sorted by id (stable); order[i] is the caller's index of S[i].
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  if (!sorted_by_id) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return items[a]->id < items[b]->id; });
  }
  const std::size_t n = order.size();
  std::vector<const std::vector<std::uint32_t>*> tokens(n);
  for (std::size_t i = 0; i < n; ++i) tokens[i] = token_ids[order[i]];
  SeedSimilarity similarity(std::move(tokens));
  std::vector<std::vector<double>> sims;
  const std::vector<std::size_t> seeds = farthest_first_seeds(similarity, n, k, sims);
  const std::vector<std::vector<std::size_t>> members = assign_to_seeds(seeds, sims, n);

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
