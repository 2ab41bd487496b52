// NearDuplicateIndex (src/context/near_duplicates.hpp) against a brute-force
// `similar`: id_jaccard(probe, member) >= threshold for every member, which is
// also the reference's rule at the degenerate thresholds (NaN and > 1 match
// nothing, <= 0 everything, empty sets score 0.0).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "contextweaver/core/text_terms.hpp"
#include "near_duplicates.hpp"

namespace cw = contextweaver;
using cw::context_detail::NearDuplicateIndex;
using IdSet = std::vector<std::uint32_t>;

namespace {

IdSet sorted(IdSet s) {
  std::sort(s.begin(), s.end());
  return s;
}

// The members similar to `probe`, ascending, by the reference's formula.
std::vector<std::uint32_t> brute_similar(const std::vector<IdSet>& members, const IdSet& probe, double t) {
  const IdSet p = sorted(probe);
  std::vector<std::uint32_t> out;
  for (std::uint32_t m = 0; m < members.size(); ++m) {
    if (cw::id_jaccard(p, sorted(members[m])) >= t) out.push_back(m);
  }
  return out;
}

// Probes `index` with `probe` every way and compares with the brute force.
void expect_matches(const NearDuplicateIndex& index, const std::vector<IdSet>& members, const IdSet& probe, double t,
                    const std::string& where) {
  const auto expected = brute_similar(members, probe, t);
  std::vector<std::uint32_t> got{12345};  // replaced, not appended to
  index.similar(probe, got);
  ASSERT_EQ(got, expected) << where << " t=" << t << " |probe|=" << probe.size();
  ASSERT_EQ(index.any_similar(probe), !expected.empty()) << where << " t=" << t;
  const auto first = index.first_similar(probe);
  ASSERT_EQ(first.has_value(), !expected.empty()) << where << " t=" << t;
  if (first) {
    ASSERT_TRUE(std::binary_search(expected.begin(), expected.end(), *first)) << where << " t=" << t;
  }
}

// A random set of `size` distinct ids below `vocab`, in random order.
IdSet random_set(std::mt19937_64& rng, std::size_t size, std::uint32_t vocab) {
  size = std::min<std::size_t>(size, vocab);
  IdSet all(vocab);
  std::iota(all.begin(), all.end(), 0u);
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(size);
  return all;
}

// A copy of `base` with a few ids dropped and a few added (below `vocab`).
IdSet mutate(std::mt19937_64& rng, IdSet base, std::uint32_t vocab) {
  const int edits = static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    if (!base.empty() && rng() % 2 == 0) {
      base.erase(base.begin() + static_cast<std::ptrdiff_t>(rng() % base.size()));
    } else {
      const auto id = static_cast<std::uint32_t>(rng() % vocab);
      if (std::find(base.begin(), base.end(), id) == base.end()) base.push_back(id);
    }
  }
  std::shuffle(base.begin(), base.end(), rng);
  return base;
}

const double kThresholds[] = {0.0,  0.3, 0.5,  0.6, 2.0 / 3.0,
                              0.75, 0.8, 0.85, 0.9, 0.95,
                              0.99, 1.0, -1.0, 1.5, std::numeric_limits<double>::quiet_NaN()};

}  // namespace

TEST(NearDuplicateIndex, MatchesBruteForceOnRandomGrowingSets) {
  // Small vocabularies (many real near-duplicates), sizes 0..200, and the
  // vocabulary growing between adds.
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed * 7919);
    const double t = kThresholds[seed % std::size(kThresholds)];
    NearDuplicateIndex index(t);
    std::vector<IdSet> members;
    std::uint32_t vocab = 2 + static_cast<std::uint32_t>(rng() % 20);
    const std::size_t max_size = seed % 3 == 0 ? 200 : 12 + seed % 30;
    const int n = 40 + static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) {
      if (rng() % 4 == 0) vocab += 1 + static_cast<std::uint32_t>(rng() % 8);  // ids beyond any seen
      IdSet s;
      if (!members.empty() && rng() % 2 == 0) {
        s = mutate(rng, members[rng() % members.size()], vocab);
      } else {
        s = random_set(rng, rng() % (max_size + 1), vocab);
      }
      const std::string where = "seed " + std::to_string(seed) + " item " + std::to_string(i);
      expect_matches(index, members, s, t, where);
      if (::testing::Test::HasFatalFailure()) return;
      ASSERT_EQ(index.add(s), members.size());
      members.push_back(s);
      ASSERT_EQ(index.size(), members.size());
    }
  }
}

TEST(NearDuplicateIndex, MatchesBruteForceOnLargeSets) {
  // Sizes up to 200 over a vocabulary barely larger: the partitions have
  // many parts, and similar sets are frequent at every threshold.
  for (std::uint64_t seed = 100; seed < 116; ++seed) {
    std::mt19937_64 rng(seed);
    for (double t : {0.5, 0.85, 0.9, 0.99}) {
      NearDuplicateIndex index(t);
      std::vector<IdSet> members;
      const auto vocab = 150 + static_cast<std::uint32_t>(rng() % 100);
      for (int i = 0; i < 60; ++i) {
        IdSet s = !members.empty() && rng() % 3 != 0 ? mutate(rng, members[rng() % members.size()], vocab)
                                                     : random_set(rng, 100 + rng() % 101, vocab);
        expect_matches(index, members, s, t, "seed " + std::to_string(seed) + " item " + std::to_string(i));
        if (::testing::Test::HasFatalFailure()) return;
        index.add(s);
        members.push_back(s);
      }
    }
  }
}

TEST(NearDuplicateIndex, SetsStraddlingTheThresholdExactly) {
  // Pairs whose Jaccard I/U lies on, just below or just above the threshold
  // (17/20 at 0.85, where the double quotient equals the threshold), with the
  // difference split every way between the two sets.
  for (double t : {0.85, 0.9, 0.99, 0.75, 2.0 / 3.0, 0.6, 0.5, 1.0}) {
    for (std::uint32_t u = 1; u <= 120; ++u) {
      for (std::uint32_t inter = 0; inter <= u; ++inter) {
        const double j = static_cast<double>(inter) / static_cast<double>(u);
        if (std::fabs(j - t) > 0.02) continue;
        const std::uint32_t diff = u - inter;
        for (std::uint32_t x_only = 0; x_only <= diff; x_only += std::max(1u, diff / 3)) {
          // x = common + x_only ids, y = common + the rest; ids offset so they are not 0..n.
          IdSet x, y;
          for (std::uint32_t k = 0; k < inter; ++k) x.push_back(1000 + 3 * k), y.push_back(1000 + 3 * k);
          for (std::uint32_t k = 0; k < x_only; ++k) x.push_back(5000 + 7 * k);
          for (std::uint32_t k = 0; k < diff - x_only; ++k) y.push_back(9000 + 5 * k);
          for (double tt : {t, std::nextafter(j, 0.0), j, std::nextafter(j, 2.0)}) {
            NearDuplicateIndex index(tt);
            index.add(x);
            expect_matches(index, {x}, y, tt, "I=" + std::to_string(inter) + " U=" + std::to_string(u));
            if (::testing::Test::HasFatalFailure()) return;
          }
        }
      }
    }
  }
}

TEST(NearDuplicateIndex, EmptySets) {
  const IdSet empty;
  const IdSet some{3, 1, 2};
  for (double t : kThresholds) {
    NearDuplicateIndex index(t);
    std::vector<IdSet> members;
    expect_matches(index, members, empty, t, "no members");
    for (const IdSet& s : {empty, some, empty}) {
      index.add(s);
      members.push_back(s);
      expect_matches(index, members, empty, t, "empty probe");
      expect_matches(index, members, some, t, "non-empty probe");
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  // id_jaccard(empty, empty) = 0.0: similar at 0, not at the smallest positive threshold.
  NearDuplicateIndex zero(0.0), tiny(std::numeric_limits<double>::denorm_min());
  zero.add(empty);
  tiny.add(empty);
  EXPECT_TRUE(zero.any_similar(empty));
  EXPECT_FALSE(tiny.any_similar(empty));
}

TEST(NearDuplicateIndex, DegenerateThresholds) {
  const IdSet a{1, 2, 3}, b{7, 8};
  for (double t : {0.0, -1.0, -0.0}) {
    NearDuplicateIndex index(t);
    index.add(a);
    index.add(b);
    std::vector<std::uint32_t> out;
    index.similar({}, out);
    EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 1})) << t;
  }
  for (double t : {1.5, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    NearDuplicateIndex index(t);
    index.add(a);
    EXPECT_FALSE(index.any_similar(a)) << t;  // even an identical set
  }
  NearDuplicateIndex one(1.0);
  one.add(a);
  EXPECT_TRUE(one.any_similar(IdSet{3, 2, 1}));
  EXPECT_FALSE(one.any_similar(IdSet{1, 2}));
}

TEST(NearDuplicateIndex, AddIfDissimilarIsProbeThenAdd) {
  std::mt19937_64 rng(5);
  for (double t : {0.3, 0.85, 1.0, 0.0}) {
    NearDuplicateIndex fused(t), plain(t);
    for (int i = 0; i < 300; ++i) {
      const IdSet s = random_set(rng, rng() % 8, 12);
      const bool dissimilar = !plain.any_similar(s);
      if (dissimilar) plain.add(s);
      ASSERT_EQ(fused.add_if_dissimilar(s), dissimilar) << "t=" << t << " item " << i;
      ASSERT_EQ(fused.size(), plain.size());
    }
  }
}

TEST(NearDuplicateIndex, PerfgenShapeVerifiesFewCandidates) {
  // The workload that made dedup quadratic: ~34 of 128 words per set, one id
  // of its own each, nothing similar. The partition filter must reach only
  // a handful of members per probe and scan none.
  std::mt19937_64 rng(42);
  NearDuplicateIndex index(0.85);
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    IdSet s;
    for (int k = 0; k < 40; ++k) s.push_back(static_cast<std::uint32_t>(rng() % 128));
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    s.push_back(static_cast<std::uint32_t>(1000 + i));
    ASSERT_TRUE(index.add_if_dissimilar(s)) << i;
  }
  const auto& st = index.stats();
  EXPECT_EQ(st.scanned, 0u);
  EXPECT_LT(st.candidates, static_cast<std::uint64_t>(n));  // < 1 per probe
  EXPECT_LT(st.verified, static_cast<std::uint64_t>(n) / 4);
  // Each probe looks up the pairs of parts of the two or three partitions its
  // compatible sizes use (at most C(9, 2) = 36 keys each here).
  EXPECT_LT(st.lookups, static_cast<std::uint64_t>(n) * 110);
}

TEST(NearDuplicateIndex, ReserveKeepsResults) {
  std::mt19937_64 rng(11);
  NearDuplicateIndex reserved(0.85), grown(0.85);
  reserved.reserve(500, 500 * 10);
  std::vector<IdSet> members;
  for (int i = 0; i < 500; ++i) {
    IdSet s = !members.empty() && rng() % 2 ? mutate(rng, members[rng() % members.size()], 40)
                                            : random_set(rng, rng() % 20, 40);
    std::vector<std::uint32_t> a, b;
    reserved.similar(s, a);
    grown.similar(s, b);
    ASSERT_EQ(a, b) << i;
    if (i == 250) reserved.reserve(5000, 5000 * 30);  // a larger table mid-way
    reserved.add(s);
    grown.add(s);
    members.push_back(s);
  }
}

TEST(NearDuplicateIndex, LargeSetsOverALargeVocabularyScanNothing) {
  // Sets of 100-200 ids (single-part keys at 0.85) over 100,000 ids, some of
  // them near copies: found through the keys, with no size scanned.
  std::mt19937_64 rng(9);
  NearDuplicateIndex index(0.85);
  std::vector<IdSet> members;
  for (int i = 0; i < 1500; ++i) {
    IdSet s = !members.empty() && i % 10 == 0 ? mutate(rng, members[rng() % members.size()], 100000)
                                              : random_set(rng, 100 + rng() % 101, 100000);
    if (i % 100 == 0) expect_matches(index, members, s, 0.85, "item " + std::to_string(i));
    if (::testing::Test::HasFatalFailure()) return;
    index.add(s);
    members.push_back(s);
  }
  EXPECT_EQ(index.stats().scanned, 0u);
  EXPECT_LT(index.stats().verified, 200u);
}
