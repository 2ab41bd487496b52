// Exact dedup for a large vocabulary: a prefix-filtered set-similarity join.
// Why it is exact: with every set ordered by the same global token order,
// J(x, y) >= t implies that the prefixes of lengths |x| - ceil(t|x|) + 1 and
// |y| - ceil(t|y|) + 1 share a token, and that |y| >= t|x|. The filters use a
// slightly lowered threshold (longer prefixes, looser size bound), so floating
// rounding can only add candidates, never lose one; every candidate is then
// verified with the reference's own arithmetic.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "dedup_detail.hpp"

namespace contextweaver::dedup_detail {

namespace {

// The prefix length for a set of `size` tokens at threshold t (conservative).
std::size_t prefix_length(std::size_t size, double t) {
  if (size == 0) return 0;
  const double need = std::ceil(t * static_cast<double>(size));
  const auto p = static_cast<std::int64_t>(size) - static_cast<std::int64_t>(need) + 1;
  return static_cast<std::size_t>(std::clamp<std::int64_t>(p, 1, static_cast<std::int64_t>(size)));
}

}  // namespace

// Large vocabulary: the prefix-filtered join over frequency-ranked ids.
std::int64_t dedup_prefix(const TokenSets& raw, const std::vector<std::uint32_t>& count,
                          const TokenVocabulary& vocabulary, double threshold, double t_filter,
                          std::vector<char>& is_dup) {
  const std::size_t n = raw.size();
  // Ranks ordered by global frequency (rarest first), ties by token text.
  std::vector<std::uint32_t> order(count.size());
  for (std::uint32_t id = 0; id < order.size(); ++id) order[id] = id;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (count[a] != count[b]) return count[a] < count[b];
    return vocabulary.token(a) < vocabulary.token(b);
  });
  std::vector<std::uint32_t> rank(count.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;

  std::vector<std::vector<std::uint32_t>> sets(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& ids = sets[i];
    ids.reserve(raw[i].size());
    for (std::uint32_t id : raw[i]) ids.push_back(rank[id]);
    std::sort(ids.begin(), ids.end());
  }

  std::int64_t removed = 0;
  std::vector<std::vector<std::uint32_t>> index(order.size());  // rank -> kept items
  std::vector<std::uint32_t> seen_at(n, UINT32_MAX);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& x = sets[i];
    if (x.empty()) continue;  // jaccard with an empty set is 0 < threshold: always kept, never matched
    const double min_size = t_filter * static_cast<double>(x.size());
    const double max_size = static_cast<double>(x.size()) / t_filter;
    const std::size_t px = prefix_length(x.size(), t_filter);
    bool duplicate = false;
    for (std::size_t p = 0; p < px && !duplicate; ++p) {
      for (std::uint32_t k : index[x[p]]) {
        if (seen_at[k] == i) continue;
        seen_at[k] = static_cast<std::uint32_t>(i);
        const auto ysize = static_cast<double>(sets[k].size());
        if (ysize < min_size || ysize > max_size) continue;
        // J >= t needs |x ∩ y| >= t/(1+t) * (|x| + |y|).
        const double total_size = static_cast<double>(x.size() + sets[k].size());
        const auto needed =
            static_cast<std::size_t>(std::max(0.0, std::floor(t_filter / (1.0 + t_filter) * total_size)));
        const std::size_t inter = overlap(x, sets[k], needed);
        const std::size_t uni = x.size() + sets[k].size() - inter;
        if (static_cast<double>(inter) / static_cast<double>(uni) >= threshold) {
          duplicate = true;
          break;
        }
      }
    }
    if (duplicate) {
      is_dup[i] = 1;
      ++removed;
    } else {
      for (std::size_t p = 0; p < px; ++p) index[x[p]].push_back(static_cast<std::uint32_t>(i));
    }
  }
  return removed;
}

}  // namespace contextweaver::dedup_detail
