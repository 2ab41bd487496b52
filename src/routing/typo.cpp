#include "contextweaver/routing/typo.hpp"

#include <algorithm>
#include <vector>

namespace contextweaver {

std::size_t bounded_edit_distance(std::string_view a, std::string_view b, std::size_t max_distance) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  const std::size_t over = max_distance + 1;
  if ((n > m ? n - m : m - n) > max_distance) return over;
  // Three rows of the full matrix (the swap needs the row before last); the
  // band outside |i - j| <= max_distance is treated as "over".
  std::vector<std::size_t> prev2(m + 1, over), prev(m + 1), cur(m + 1, over);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j <= max_distance ? j : over;
  for (std::size_t i = 1; i <= n; ++i) {
    std::fill(cur.begin(), cur.end(), over);
    cur[0] = i <= max_distance ? i : over;
    const std::size_t lo = i > max_distance ? i - max_distance : 1;
    const std::size_t hi = std::min(m, i + max_distance);
    std::size_t row_min = cur[0];
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      std::size_t best = std::min({sub, prev[j] + 1, cur[j - 1] + 1});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) best = std::min(best, prev2[j - 2] + 1);
      cur[j] = std::min(best, over);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max_distance) return over;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], over);
}

std::size_t allowed_typo_distance(std::size_t length) {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

}  // namespace contextweaver
