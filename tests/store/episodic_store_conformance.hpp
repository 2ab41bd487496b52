// EpisodicStore conformance suite: every backend must pass it unchanged.
//
// Usage (see conformance_support.hpp for the Factory contract):
//   #include "store/episodic_store_conformance.hpp"
//   struct MyFactory { std::unique_ptr<contextweaver::EpisodicStore> create(); /* optional: reopen() */ };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Mine, EpisodicStoreConformance, ::testing::Types<MyFactory>);
//
// Covers store.md §3 (EpisodicStore) and §4.6, including the worked TF-IDF
// example. Names follow tests/test_store_episodic.py.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/store/episodic_store.hpp"
#include "store/conformance_support.hpp"

namespace cwconf {

inline contextweaver::Episode make_episode(const std::string& id, const std::string& summary,
                                           std::vector<std::string> tags = {},
                                           contextweaver::Json metadata = contextweaver::Json::object()) {
  contextweaver::Episode ep;
  ep.episode_id = id;
  ep.summary = summary;
  ep.tags = std::move(tags);
  ep.metadata = std::move(metadata);
  return ep;
}

inline std::vector<std::string> episode_ids(const std::vector<contextweaver::Episode>& eps) {
  std::vector<std::string> out;
  for (const auto& e : eps) out.push_back(e.episode_id);
  return out;
}

}  // namespace cwconf

template <class Factory>
class EpisodicStoreConformance : public ::testing::Test {
 protected:
  void add_worked_example() {
    store_->add(cwconf::make_episode("e1", "search database records quickly"));
    store_->add(cwconf::make_episode("e2", "send notification email"));
    store_->add(cwconf::make_episode("e3", "compute statistics from database"));
  }

  Factory factory_;
  std::unique_ptr<contextweaver::EpisodicStore> store_ = factory_.create();
};

TYPED_TEST_SUITE_P(EpisodicStoreConformance);

// test_add_and_get
TYPED_TEST_P(EpisodicStoreConformance, AddAndGet) {
  this->store_->add(cwconf::make_episode("e1", "Search the database for user records"));
  const auto ep = this->store_->get("e1");
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->summary, "Search the database for user records");
}

// test_get_missing_returns_none
TYPED_TEST_P(EpisodicStoreConformance, GetMissingReturnsNone) {
  EXPECT_FALSE(this->store_->get("missing"));
}

// test_search_returns_relevant: the worked example of store.md §4.6 gives exactly [e1, e3].
TYPED_TEST_P(EpisodicStoreConformance, SearchReturnsRelevant) {
  this->add_worked_example();
  EXPECT_EQ(cwconf::episode_ids(this->store_->search("database search", 2)), (cwconf::Ids{"e1", "e3"}));
  EXPECT_EQ(cwconf::episode_ids(this->store_->search("database search")), (cwconf::Ids{"e1", "e3", "e2"}));
}

// test_search_empty_store
TYPED_TEST_P(EpisodicStoreConformance, SearchEmptyStore) {
  EXPECT_TRUE(this->store_->search("anything").empty());
}

// No shared token: every score is 0, so the first top_k in insertion order.
TYPED_TEST_P(EpisodicStoreConformance, SearchWithoutOverlapKeepsInsertionOrder) {
  this->add_worked_example();
  EXPECT_EQ(cwconf::episode_ids(this->store_->search("zebra", 2)), (cwconf::Ids{"e1", "e2"}));
  EXPECT_EQ(cwconf::episode_ids(this->store_->search("", 5)), (cwconf::Ids{"e1", "e2", "e3"}));
}

// top_k follows Python slice rules: 0 -> [], negative drops from the end.
TYPED_TEST_P(EpisodicStoreConformance, SearchTopKSliceRules) {
  this->add_worked_example();
  EXPECT_TRUE(this->store_->search("database", 0).empty());
  EXPECT_EQ(cwconf::episode_ids(this->store_->search("database search", -1)), (cwconf::Ids{"e1", "e3"}));
  EXPECT_TRUE(this->store_->search("database", -3).empty());
  EXPECT_EQ(this->store_->search("database", 50).size(), 3u);
}

// The ranking follows later adds and deletes (no stale fit).
TYPED_TEST_P(EpisodicStoreConformance, SearchSeesAddsAndDeletes) {
  this->add_worked_example();
  EXPECT_EQ(cwconf::episode_ids(this->store_->search("email", 1)), (cwconf::Ids{"e2"}));
  this->store_->delete_("e2");
  this->store_->add(cwconf::make_episode("e4", "email email digest"));
  EXPECT_EQ(cwconf::episode_ids(this->store_->search("email", 1)), (cwconf::Ids{"e4"}));
}

// test_all
TYPED_TEST_P(EpisodicStoreConformance, All) {
  this->store_->add(cwconf::make_episode("e2", "second"));
  this->store_->add(cwconf::make_episode("e1", "first"));
  EXPECT_EQ(cwconf::episode_ids(this->store_->all()), (cwconf::Ids{"e2", "e1"}));
}

// test_latest_returns_recent_first
TYPED_TEST_P(EpisodicStoreConformance, LatestReturnsRecentFirst) {
  this->store_->add(cwconf::make_episode("e1", "first", {}, {{"idx", 1}}));
  this->store_->add(cwconf::make_episode("e2", "second", {}, {{"idx", 2}}));
  this->store_->add(cwconf::make_episode("e3", "third", {}, {{"idx", 3}}));
  const auto latest = this->store_->latest(2);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0], (contextweaver::EpisodeSummary{"e3", "third", {{"idx", 3}}}));
  EXPECT_EQ(latest[1], (contextweaver::EpisodeSummary{"e2", "second", {{"idx", 2}}}));
  EXPECT_EQ(this->store_->latest().size(), 3u);
}

// test_latest_more_than_available
TYPED_TEST_P(EpisodicStoreConformance, LatestMoreThanAvailable) {
  this->store_->add(cwconf::make_episode("e1", "first"));
  const auto latest = this->store_->latest(5);
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].episode_id, "e1");
}

// test_latest_zero
TYPED_TEST_P(EpisodicStoreConformance, LatestZero) {
  this->store_->add(cwconf::make_episode("e1", "first"));
  EXPECT_TRUE(this->store_->latest(0).empty());
  EXPECT_TRUE(this->store_->latest(-2).empty());
}

// test_delete_existing
TYPED_TEST_P(EpisodicStoreConformance, DeleteExisting) {
  this->store_->add(cwconf::make_episode("e1", "first"));
  this->store_->add(cwconf::make_episode("e2", "second"));
  this->store_->delete_("e1");
  EXPECT_FALSE(this->store_->get("e1"));
  EXPECT_TRUE(this->store_->get("e2"));
  EXPECT_EQ(this->store_->all().size(), 1u);
}

// test_delete_missing_raises
TYPED_TEST_P(EpisodicStoreConformance, DeleteMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->delete_("nope"), contextweaver::ItemNotFoundError, "Episode not found: 'nope'");
}

// Ids need not be unique: get returns the first, delete removes the first.
TYPED_TEST_P(EpisodicStoreConformance, DuplicateIdsFirstMatchWins) {
  this->store_->add(cwconf::make_episode("e", "one"));
  this->store_->add(cwconf::make_episode("x", "other"));
  this->store_->add(cwconf::make_episode("e", "two"));
  EXPECT_EQ(this->store_->all().size(), 3u);
  EXPECT_EQ(this->store_->get("e")->summary, "one");
  this->store_->delete_("e");
  EXPECT_EQ(this->store_->get("e")->summary, "two");
  EXPECT_EQ(cwconf::episode_ids(this->store_->all()), (cwconf::Ids{"x", "e"}));
  this->store_->delete_("e");
  EXPECT_FALSE(this->store_->get("e"));
}

// test_episode_roundtrip: every field survives the store.
TYPED_TEST_P(EpisodicStoreConformance, EpisodeFieldsSurvive) {
  this->store_->add(cwconf::make_episode("e1", "summary \xC3\xA9", {"db", "ops"}, {{"k", "v"}, {"n", {1, 2}}}));
  const auto ep = this->store_->get("e1");
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->tags, (cwconf::Ids{"db", "ops"}));
  EXPECT_EQ(contextweaver::dumps_sorted(ep->metadata), R"({"k": "v", "n": [1, 2]})");
  EXPECT_EQ(ep->summary, "summary \xC3\xA9");
}

TYPED_TEST_P(EpisodicStoreConformance, ConcurrentAddsAndSearches) {
  constexpr int kPerThread = 50;
  std::atomic<bool> failed{false};
  auto writer = [&](const std::string& prefix) {
    for (int i = 0; i < kPerThread; ++i) {
      try {
        this->store_->add(cwconf::make_episode(prefix + std::to_string(i), "database record " + prefix));
        if (this->store_->search("database", 3).empty()) failed = true;
      } catch (...) {
        failed = true;
      }
    }
  };
  std::thread a(writer, "a");
  std::thread b(writer, "b");
  a.join();
  b.join();
  EXPECT_FALSE(failed.load());
  EXPECT_EQ(this->store_->all().size(), 2u * kPerThread);
}

TYPED_TEST_P(EpisodicStoreConformance, ReopenPreservesEpisodes) {
  CWCONF_REQUIRE_REOPEN() {
    this->add_worked_example();
    this->store_.reset();
    this->store_ = this->factory_.reopen();
    EXPECT_EQ(cwconf::episode_ids(this->store_->all()), (cwconf::Ids{"e1", "e2", "e3"}));
    EXPECT_EQ(cwconf::episode_ids(this->store_->search("database search", 2)), (cwconf::Ids{"e1", "e3"}));
  }
}

REGISTER_TYPED_TEST_SUITE_P(EpisodicStoreConformance, AddAndGet, GetMissingReturnsNone, SearchReturnsRelevant,
                            SearchEmptyStore, SearchWithoutOverlapKeepsInsertionOrder, SearchTopKSliceRules,
                            SearchSeesAddsAndDeletes, All, LatestReturnsRecentFirst, LatestMoreThanAvailable,
                            LatestZero, DeleteExisting, DeleteMissingRaises, DuplicateIdsFirstMatchWins,
                            EpisodeFieldsSurvive, ConcurrentAddsAndSearches, ReopenPreservesEpisodes);
