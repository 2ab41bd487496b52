// Port of test_dedup.py, and deduplicate_candidates (NearDuplicateIndex)
// against the reference's quadratic algorithm on random inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "contextweaver/context/dedup.hpp"

namespace cw = contextweaver;

namespace {

cw::ScoredItem scored(double score, const std::string& id, const std::string& text) {
  cw::ScoredItem s;
  s.score = score;
  s.item.id = id;
  s.item.text = text;
  return s;
}

std::vector<std::string> ids(const std::vector<cw::ScoredItem>& items) {
  std::vector<std::string> out;
  for (const auto& s : items) out.push_back(s.item.id);
  return out;
}

}  // namespace

TEST(Dedup, DistinctTextsAllKept) {
  auto [kept, removed] =
      cw::deduplicate_candidates({scored(0.9, "a", "alpha bravo charlie"), scored(0.8, "b", "delta echo foxtrot"),
                                  scored(0.7, "c", "golf hotel")});
  EXPECT_EQ(removed, 0);
  EXPECT_EQ(ids(kept), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Dedup, ExactDuplicateRemovedHigherScoredKept) {
  std::vector<cw::ContextItem> dropped;
  auto [kept, removed] = cw::deduplicate_candidates(
      {scored(0.9, "hi", "the invoice total is ready"), scored(0.5, "lo", "the invoice total is ready")}, 0.85,
      &dropped);
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(ids(kept), (std::vector<std::string>{"hi"}));
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].id, "lo");
}

TEST(Dedup, NearDuplicateRemovedAtLowerThreshold) {
  // {invoice, total, ready, today} vs {invoice, total, ready}: 3/4 = 0.75.
  auto items = std::vector<cw::ScoredItem>{scored(0.9, "a", "invoice total ready today"),
                                           scored(0.8, "b", "invoice total ready")};
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.7).second, 1);
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.85).second, 0);
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.75).second, 1);  // >= threshold removes
}

TEST(Dedup, ThresholdOneKeepsNonIdentical) {
  auto items = std::vector<cw::ScoredItem>{scored(0.9, "a", "one two three four five six seven eight nine"),
                                           scored(0.8, "b", "one two three four five six seven eight nine ten")};
  EXPECT_EQ(cw::deduplicate_candidates(items, 1.0).second, 0);
}

TEST(Dedup, EightNinePercentPair) {
  // 8 shared tokens of 9: 0.888…
  auto items = std::vector<cw::ScoredItem>{scored(0.9, "a", "alpha bravo charlie delta echo foxtrot golf hotel"),
                                           scored(0.8, "b", "alpha bravo charlie delta echo foxtrot golf hotel india")};
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.85).second, 1);
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.99).second, 0);
}

TEST(Dedup, ComparesOnlyWithKeptItems) {
  // b is a near-copy of a (removed); c resembles b but not a, so c is kept.
  auto items =
      std::vector<cw::ScoredItem>{scored(0.9, "a", "w1 w2 w3 w4 w5 w6"), scored(0.8, "b", "w1 w2 w3 w4 w5 w6 w7"),
                                  scored(0.7, "c", "w2 w3 w4 w5 w6 w7 w8")};
  auto [kept, removed] = cw::deduplicate_candidates(items, 0.8);
  EXPECT_EQ(ids(kept), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(removed, 1);
}

TEST(Dedup, EmptyTextsNeverMatchAndDegenerateThresholds) {
  auto items = std::vector<cw::ScoredItem>{scored(0.9, "a", ""), scored(0.8, "b", "a"), scored(0.7, "c", "same words")};
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.85).second, 0);
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.0).second, 2);  // jaccard >= 0 always holds
  EXPECT_EQ(cw::deduplicate_candidates(items, 0.0).second, cw::deduplicate_candidates_quadratic(items, 0.0).second);
  EXPECT_EQ(cw::deduplicate_candidates(items, 1.5).second, 0);
  EXPECT_EQ(cw::deduplicate_candidates(items, std::nan("")).second, 0);
}

TEST(Dedup, MatchesQuadraticOnRandomInputs) {
  std::mt19937_64 rng(20260514);
  for (int round = 0; round < 300; ++round) {
    const int vocab = 4 + static_cast<int>(rng() % 40);
    const int n = 1 + static_cast<int>(rng() % 80);
    const double thresholds[] = {0.3, 0.5, 0.6, 2.0 / 3.0, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 0.1};
    const double t = thresholds[rng() % std::size(thresholds)];
    std::vector<cw::ScoredItem> items;
    std::vector<std::string> pool;
    for (int i = 0; i < n; ++i) {
      std::string text;
      if (!pool.empty() && rng() % 3 == 0) {
        // A mutation of an earlier text, so near-duplicates are frequent.
        text = pool[rng() % pool.size()];
        const int edits = static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e) text += " w" + std::to_string(rng() % vocab);
      } else {
        const int len = static_cast<int>(rng() % 12);
        for (int k = 0; k < len; ++k) text += "w" + std::to_string(rng() % vocab) + " ";
      }
      pool.push_back(text);
      items.push_back(scored(1.0 - i * 0.001, "id" + std::to_string(i), text));
    }
    auto [fast, fast_removed] = cw::deduplicate_candidates(items, t);
    auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
    ASSERT_EQ(fast_removed, slow_removed) << "round " << round << " t=" << t;
    ASSERT_EQ(ids(fast), ids(slow)) << "round " << round << " t=" << t;
  }
}

namespace {

// Random texts over `vocab` words; every third text is a mutation of an
// earlier one (words added or removed), so near-duplicates are frequent.
std::vector<cw::ScoredItem> random_items(std::mt19937_64& rng, int n, int vocab, int max_len, bool unique_tag) {
  std::vector<cw::ScoredItem> items;
  std::vector<std::vector<std::string>> pool;
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> words;
    if (!pool.empty() && rng() % 3 == 0) {
      words = pool[rng() % pool.size()];
      const int edits = static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        if (!words.empty() && rng() % 2 == 0) {
          words.erase(words.begin() + static_cast<std::ptrdiff_t>(rng() % words.size()));
        } else {
          words.push_back("w" + std::to_string(rng() % vocab));
        }
      }
    } else {
      const int len = static_cast<int>(rng() % static_cast<std::uint64_t>(max_len + 1));
      for (int k = 0; k < len; ++k) words.push_back("w" + std::to_string(rng() % vocab));
    }
    pool.push_back(words);
    std::string text;
    if (unique_tag) text = "[user_turn " + std::to_string(1000 + i) + "]";  // a token no other item holds
    for (const auto& w : words) text += " " + w;
    items.push_back(scored(1.0 - i * 0.0001, "id" + std::to_string(i), text));
  }
  return items;
}

}  // namespace

TEST(Dedup, MatchesQuadraticOnSmallVocabularyInputs) {
  // The synthetic-log shape: a small shared vocabulary (bitset path), long
  // texts, and a per-item unique token that only counts towards set sizes.
  std::mt19937_64 rng(20261126);
  const double thresholds[] = {0.3, 0.5, 2.0 / 3.0, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};
  for (int round = 0; round < 60; ++round) {
    const int vocab = 2 + static_cast<int>(rng() % 130);
    const int n = 1 + static_cast<int>(rng() % 300);
    const int max_len = 1 + static_cast<int>(rng() % 40);
    const double t = thresholds[rng() % std::size(thresholds)];
    const auto items = random_items(rng, n, vocab, max_len, round % 2 == 0);
    std::vector<cw::ContextItem> dropped;
    auto [fast, fast_removed] = cw::deduplicate_candidates(items, t, &dropped);
    auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
    ASSERT_EQ(fast_removed, slow_removed) << "round " << round << " t=" << t;
    ASSERT_EQ(ids(fast), ids(slow)) << "round " << round << " t=" << t;
    ASSERT_EQ(static_cast<std::int64_t>(dropped.size()), fast_removed);
  }
}

TEST(Dedup, MatchesQuadraticWhenSetsLeaveBlocksEmpty) {
  // The stress-scenario shape: hundreds of shared ids, each set holding a
  // few of them, so most pigeonhole blocks of a set are empty (only
  // non-empty blocks are filed and probed).
  std::mt19937_64 rng(31);
  const double thresholds[] = {0.5, 0.75, 0.85, 0.9, 0.95};
  for (int round = 0; round < 40; ++round) {
    const int vocab = 200 + static_cast<int>(rng() % 500);
    const int n = 64 + static_cast<int>(rng() % 250);
    const int max_len = 5 + static_cast<int>(rng() % 80);
    const double t = thresholds[rng() % std::size(thresholds)];
    const auto items = random_items(rng, n, vocab, max_len, round % 2 == 0);
    auto [fast, fast_removed] = cw::deduplicate_candidates(items, t);
    auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
    ASSERT_EQ(fast_removed, slow_removed) << "round " << round << " t=" << t;
    ASSERT_EQ(ids(fast), ids(slow)) << "round " << round << " t=" << t;
  }
}

TEST(Dedup, MatchesQuadraticOnLargeVocabularyInputs) {
  // More than 4,096 shared tokens (about 5,400 here): the prefix-filter path.
  std::mt19937_64 rng(7);
  for (double t : {0.5, 0.85}) {
    const auto items = random_items(rng, 1200, 8000, 40, true);
    auto [fast, fast_removed] = cw::deduplicate_candidates(items, t);
    auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
    ASSERT_EQ(fast_removed, slow_removed) << "t=" << t;
    ASSERT_EQ(ids(fast), ids(slow)) << "t=" << t;
    EXPECT_GT(fast_removed, 0);
  }
}

TEST(Dedup, MatchesQuadraticOnWideBitsets) {
  // About 4,000 shared tokens: bitsets wider than the fixed-width kernels.
  std::mt19937_64 rng(7);
  const auto items = random_items(rng, 900, 6000, 40, true);
  auto [fast, fast_removed] = cw::deduplicate_candidates(items, 0.85);
  auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, 0.85);
  ASSERT_EQ(fast_removed, slow_removed);
  ASSERT_EQ(ids(fast), ids(slow));
  EXPECT_GT(fast_removed, 0);
}

TEST(Dedup, ItemsScoredInSeparateCallsAreComparedByText) {
  // Two score_candidates calls give two vocabularies whose ids mean different
  // tokens; dedup must notice and compare the texts, not the raw ids.
  std::vector<cw::ContextItem> first(1), second(1);
  first[0].id = "a";
  first[0].text = "alpha bravo charlie delta";
  second[0].id = "b";
  second[0].text = "echo foxtrot golf hotel";  // same ids 0..3 in its own vocabulary
  auto s1 = cw::score_candidates(first, "", {}, cw::ScoringConfig{});
  auto s2 = cw::score_candidates(second, "", {}, cw::ScoringConfig{});
  ASSERT_TRUE(std::ranges::equal(s1[0].token_ids, s2[0].token_ids));  // equal ids, different tokens
  std::vector<cw::ScoredItem> mixed = {s1[0], s2[0], scored(0.1, "c", "alpha bravo charlie delta")};
  auto [kept, removed] = cw::deduplicate_candidates(mixed);
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(ids(kept), (std::vector<std::string>{"a", "b"}));
  auto [kept_q, removed_q] = cw::deduplicate_candidates_quadratic(mixed);
  EXPECT_EQ(removed_q, 1);
  EXPECT_EQ(ids(kept_q), ids(kept));
}

TEST(Dedup, MatchesQuadraticAtEveryThresholdManySeeds) {
  // Many seeds, small vocabularies (real near-duplicates), the degenerate
  // thresholds included.
  const double thresholds[] = {0.0, 0.3, 0.5, 0.85, 0.9, 0.99, 1.0, std::nan(""), 1.5, -1.0};
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    std::mt19937_64 rng(seed);
    const double t = thresholds[seed % std::size(thresholds)];
    const int vocab = 3 + static_cast<int>(rng() % 60);
    const int n = 1 + static_cast<int>(rng() % 150);
    const auto items = random_items(rng, n, vocab, 1 + static_cast<int>(rng() % 60), seed % 3 == 0);
    std::vector<cw::ContextItem> dropped;
    auto [fast, fast_removed] = cw::deduplicate_candidates(items, t, &dropped);
    auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
    ASSERT_EQ(fast_removed, slow_removed) << "seed " << seed << " t=" << t;
    ASSERT_EQ(ids(fast), ids(slow)) << "seed " << seed << " t=" << t;
    ASSERT_EQ(static_cast<std::int64_t>(dropped.size()), fast_removed);
  }
}

TEST(Dedup, MatchesQuadraticOnPairsStraddlingTheThreshold) {
  // x = w0..w(u-1), y = its first i words: Jaccard i/u, on, just below and
  // just above the threshold (17/20 at 0.85: the double quotient is 0.85).
  for (double t : {0.85, 0.9, 0.99, 0.75}) {
    for (int u = 2; u <= 60; ++u) {
      for (int i = 1; i < u; ++i) {
        if (std::fabs(static_cast<double>(i) / u - t) > 0.03) continue;
        std::string x, y;
        for (int k = 0; k < u; ++k) x += " w" + std::to_string(k);
        for (int k = 0; k < i; ++k) y += " w" + std::to_string(k);
        const std::vector<cw::ScoredItem> items = {scored(0.9, "x", x), scored(0.8, "y", y), scored(0.7, "x2", x)};
        auto [fast, fast_removed] = cw::deduplicate_candidates(items, t);
        auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
        ASSERT_EQ(ids(fast), ids(slow)) << i << "/" << u << " t=" << t;
        ASSERT_EQ(fast_removed, slow_removed);
      }
    }
  }
}

TEST(Dedup, MatchesQuadraticOnPerfgenShapedTexts) {
  // The shape that made dedup quadratic: ~300 characters over 128 words,
  // nothing a near-duplicate, plus a few exact and near copies.
  std::mt19937_64 rng(42);
  std::vector<cw::ScoredItem> items;
  for (int i = 0; i < 700; ++i) {
    std::string text = "[user_turn " + std::to_string(i) + "]";
    if (i > 0 && i % 37 == 0) {
      text = items[static_cast<std::size_t>(i) / 2].item.text + " w" + std::to_string(rng() % 128);
    } else {
      while (text.size() < 300) text += " w" + std::to_string(rng() % 128);
    }
    items.push_back(scored(1.0 - i * 0.0001, "id" + std::to_string(i), text));
  }
  for (double t : {0.85, 0.5}) {
    auto [fast, fast_removed] = cw::deduplicate_candidates(items, t);
    auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
    ASSERT_EQ(fast_removed, slow_removed) << "t=" << t;
    ASSERT_EQ(ids(fast), ids(slow)) << "t=" << t;
    EXPECT_GT(fast_removed, 0) << "t=" << t;  // the copies
  }
}

TEST(Dedup, MatchesQuadraticAboveTheScanLimit) {
  // More candidates than the scanning algorithms take (NearDuplicateIndex):
  // short texts over a small vocabulary, so the oracle stays quick.
  std::mt19937_64 rng(2026);
  std::vector<cw::ScoredItem> items;
  for (int i = 0; i < 33000; ++i) {
    std::string text;
    // Mostly 1-3 of 12 words (few distinct sets, so few kept); every 10th
    // text longer, over 40 words (several parts a set in the index).
    const bool longer = i % 10 == 0;
    const int len = longer ? 6 + static_cast<int>(rng() % 9) : 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < len; ++k) text += " w" + std::to_string(rng() % (longer ? 40 : 12));
    if (i % 50 == 0) text += " u" + std::to_string(i);  // a word no other item holds
    items.push_back(scored(1.0 - i * 1e-6, "id" + std::to_string(i), text));
  }
  for (double t : {0.85, 0.75}) {
    std::vector<cw::ContextItem> dropped;
    auto [fast, fast_removed] = cw::deduplicate_candidates(items, t, &dropped);
    auto [slow, slow_removed] = cw::deduplicate_candidates_quadratic(items, t);
    ASSERT_EQ(fast_removed, slow_removed) << "t=" << t;
    ASSERT_EQ(ids(fast), ids(slow)) << "t=" << t;
    ASSERT_EQ(static_cast<std::int64_t>(dropped.size()), fast_removed);
    EXPECT_GT(fast_removed, 0);
  }
}
