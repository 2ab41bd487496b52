// EventLog conformance suite: every backend must pass it unchanged.
//
// Usage (see conformance_support.hpp for the Factory contract):
//   #include "store/event_log_conformance.hpp"
//   struct MyFactory { std::unique_ptr<contextweaver::EventLog> create(); /* optional: reopen() */ };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Mine, EventLogConformance, ::testing::Types<MyFactory>);
//
// Covers store.md §3 (EventLog), §5.1–§5.2 and the PR #232 fixes of §9 (since
// before kinds). Test names keep the reference's names (tests/test_store_event_log.py,
// tests/test_store_sqlite_event_log.py) where one exists.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/store/event_log.hpp"
#include "store/conformance_support.hpp"

namespace cwconf {

using Kinds = std::vector<contextweaver::ItemKind>;

inline contextweaver::ContextItem make_item(const std::string& id,
                                            contextweaver::ItemKind kind = contextweaver::ItemKind::user_turn,
                                            const std::string& text = "", std::optional<std::string> parent = {}) {
  contextweaver::ContextItem item;
  item.id = id;
  item.kind = kind;
  item.text = text.empty() ? "text of " + id : text;
  item.parent_id = std::move(parent);
  return item;
}

inline std::vector<std::string> ids_of(const std::vector<contextweaver::ContextItem>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.id);
  return out;
}

}  // namespace cwconf

template <class Factory>
class EventLogConformance : public ::testing::Test {
 protected:
  // Appends u1,t1,u2,t2,u3 (user_turn / tool_result alternating).
  void append_mixed() {
    using contextweaver::ItemKind;
    for (const auto& [id, kind] : std::vector<std::pair<std::string, ItemKind>>{{"u1", ItemKind::user_turn},
                                                                                {"t1", ItemKind::tool_result},
                                                                                {"u2", ItemKind::user_turn},
                                                                                {"t2", ItemKind::tool_result},
                                                                                {"u3", ItemKind::user_turn}}) {
      log_->append(cwconf::make_item(id, kind));
    }
  }
  void append_n(int n) {
    for (int i = 0; i < n; ++i) log_->append(cwconf::make_item("i" + std::to_string(i)));
  }

  Factory factory_;
  std::unique_ptr<contextweaver::EventLog> log_ = factory_.create();
};

TYPED_TEST_SUITE_P(EventLogConformance);

using contextweaver::ItemKind;

TYPED_TEST_P(EventLogConformance, StartsEmpty) {
  EXPECT_EQ(this->log_->count(), 0u);
  EXPECT_TRUE(this->log_->all().empty());
  EXPECT_TRUE(this->log_->tail(5).empty());
  EXPECT_TRUE(this->log_->query().empty());
}

// test_append_and_get
TYPED_TEST_P(EventLogConformance, AppendAndGet) {
  this->log_->append(cwconf::make_item("a", ItemKind::user_turn, "hello"));
  EXPECT_EQ(this->log_->get("a").text, "hello");
}

// test_append_preserves_all_context_item_fields
TYPED_TEST_P(EventLogConformance, AppendPreservesAllContextItemFields) {
  contextweaver::ContextItem item = cwconf::make_item("c1", ItemKind::tool_result, "caf\xC3\xA9 \xF0\x9F\x98\x80");
  item.token_estimate = 42;
  item.sensitivity = contextweaver::Sensitivity::confidential;
  item.metadata = contextweaver::Json::object();
  item.metadata["k"] = "v";
  item.metadata["n"] = 1;
  item.metadata["nested"] = {{"z", 1.5}, {"a", {true, nullptr}}};
  item.parent_id = "p1";
  item.artifact_ref = contextweaver::ArtifactRef{"h1", "text/plain", 11, "lbl", "ab12"};
  this->log_->append(item);
  const auto got = this->log_->get("c1");
  EXPECT_EQ(got.text, item.text);
  EXPECT_EQ(got.token_estimate, 42);
  EXPECT_EQ(got.sensitivity, contextweaver::Sensitivity::confidential);
  EXPECT_EQ(got.metadata["k"], "v");
  EXPECT_EQ(got.metadata["n"], 1);
  EXPECT_EQ(contextweaver::dumps_sorted(got.metadata), contextweaver::dumps_sorted(item.metadata));
  EXPECT_EQ(got.parent_id, std::optional<std::string>("p1"));
  ASSERT_TRUE(got.artifact_ref.has_value());
  EXPECT_EQ(*got.artifact_ref, *item.artifact_ref);
  EXPECT_EQ(got.kind, ItemKind::tool_result);
}

// test_duplicate_raises: the second append fails and leaves the log unchanged.
TYPED_TEST_P(EventLogConformance, DuplicateRaises) {
  this->log_->append(cwconf::make_item("a", ItemKind::user_turn, "first"));
  CWCONF_EXPECT_THROW_MSG(this->log_->append(cwconf::make_item("a", ItemKind::agent_msg, "second")),
                          contextweaver::DuplicateItemError, "Duplicate item id: 'a'");
  EXPECT_EQ(this->log_->count(), 1u);
  EXPECT_EQ(this->log_->get("a").text, "first");
  EXPECT_EQ(this->log_->get("a").kind, ItemKind::user_turn);
}

// test_get_missing_raises
TYPED_TEST_P(EventLogConformance, GetMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->log_->get("nope"), contextweaver::ItemNotFoundError, "Item not found: 'nope'");
}

// test_all_returns_insertion_order
TYPED_TEST_P(EventLogConformance, AllReturnsInsertionOrder) {
  this->append_n(5);
  EXPECT_EQ(cwconf::ids_of(this->log_->all()), (cwconf::Ids{"i0", "i1", "i2", "i3", "i4"}));
}

// test_filter_by_kind
TYPED_TEST_P(EventLogConformance, FilterByKind) {
  this->log_->append(cwconf::make_item("u1", ItemKind::user_turn));
  this->log_->append(cwconf::make_item("t1", ItemKind::tool_result));
  this->log_->append(cwconf::make_item("u2", ItemKind::user_turn));
  const std::vector<ItemKind> user{ItemKind::user_turn};
  EXPECT_EQ(cwconf::ids_of(this->log_->filter_by_kind(user)), (cwconf::Ids{"u1", "u2"}));
  const std::vector<ItemKind> both{ItemKind::tool_result, ItemKind::user_turn, ItemKind::tool_result};
  EXPECT_EQ(cwconf::ids_of(this->log_->filter_by_kind(both)), (cwconf::Ids{"u1", "t1", "u2"}));
  const std::vector<ItemKind> none_present{ItemKind::policy};
  EXPECT_TRUE(this->log_->filter_by_kind(none_present).empty());
}

// test_filter_by_kind_no_kinds
TYPED_TEST_P(EventLogConformance, FilterByKindNoKinds) {
  this->append_mixed();
  EXPECT_TRUE(this->log_->filter_by_kind({}).empty());
}

// test_tail
TYPED_TEST_P(EventLogConformance, Tail) {
  this->append_n(10);
  EXPECT_EQ(cwconf::ids_of(this->log_->tail(3)), (cwconf::Ids{"i7", "i8", "i9"}));
  EXPECT_EQ(this->log_->tail(100).size(), 10u);
  EXPECT_EQ(cwconf::ids_of(this->log_->tail(1)), (cwconf::Ids{"i9"}));
}

// test_tail_zero
TYPED_TEST_P(EventLogConformance, TailZero) {
  this->append_n(3);
  EXPECT_TRUE(this->log_->tail(0).empty());
  EXPECT_TRUE(this->log_->tail(-1).empty());
}

// test_children: insertion order, other parents excluded.
TYPED_TEST_P(EventLogConformance, Children) {
  this->log_->append(cwconf::make_item("parent1"));
  this->log_->append(cwconf::make_item("child1", ItemKind::tool_call, "", "parent1"));
  this->log_->append(cwconf::make_item("other", ItemKind::tool_call, "", "parent2"));
  this->log_->append(cwconf::make_item("child2", ItemKind::tool_result, "", "parent1"));
  EXPECT_EQ(cwconf::ids_of(this->log_->children("parent1")), (cwconf::Ids{"child1", "child2"}));
  EXPECT_EQ(cwconf::ids_of(this->log_->children("parent2")), (cwconf::Ids{"other"}));
}

// test_children_empty
TYPED_TEST_P(EventLogConformance, ChildrenEmpty) {
  this->log_->append(cwconf::make_item("p"));
  EXPECT_TRUE(this->log_->children("p").empty());
  EXPECT_TRUE(this->log_->children("unknown").empty());
}

// test_parent_found
TYPED_TEST_P(EventLogConformance, ParentFound) {
  this->log_->append(cwconf::make_item("p1"));
  this->log_->append(cwconf::make_item("c1", ItemKind::tool_call, "", "p1"));
  const auto parent = this->log_->parent("c1");
  ASSERT_TRUE(parent.has_value());
  EXPECT_EQ(parent->id, "p1");
}

// test_parent_none
TYPED_TEST_P(EventLogConformance, ParentNone) {
  this->log_->append(cwconf::make_item("root"));
  EXPECT_FALSE(this->log_->parent("root").has_value());
}

// test_parent_missing_parent_id: a dangling parent_id gives no parent.
TYPED_TEST_P(EventLogConformance, ParentMissingParentId) {
  this->log_->append(cwconf::make_item("orphan", ItemKind::tool_call, "", "ghost"));
  EXPECT_FALSE(this->log_->parent("orphan").has_value());
}

// test_parent_not_found_raises
TYPED_TEST_P(EventLogConformance, ParentNotFoundRaises) {
  CWCONF_EXPECT_THROW_MSG(this->log_->parent("unknown"), contextweaver::ItemNotFoundError, "Item not found: 'unknown'");
}

// test_query_no_filters
TYPED_TEST_P(EventLogConformance, QueryNoFilters) {
  this->append_n(5);
  EXPECT_EQ(this->log_->query().size(), 5u);
}

// test_query_with_kinds
TYPED_TEST_P(EventLogConformance, QueryWithKinds) {
  this->log_->append(cwconf::make_item("u1", ItemKind::user_turn));
  this->log_->append(cwconf::make_item("t1", ItemKind::tool_result));
  this->log_->append(cwconf::make_item("u2", ItemKind::user_turn));
  EXPECT_EQ(cwconf::ids_of(this->log_->query(cwconf::Kinds{ItemKind::user_turn})), (cwconf::Ids{"u1", "u2"}));
}

// test_query_with_empty_kinds_returns_empty
TYPED_TEST_P(EventLogConformance, QueryWithEmptyKindsReturnsEmpty) {
  this->append_mixed();
  EXPECT_TRUE(this->log_->query(cwconf::Kinds{}).empty());
  EXPECT_TRUE(this->log_->query(cwconf::Kinds{}, 0, 10).empty());
}

// test_query_with_since
TYPED_TEST_P(EventLogConformance, QueryWithSince) {
  this->append_n(5);
  EXPECT_EQ(cwconf::ids_of(this->log_->query(std::nullopt, 3)), (cwconf::Ids{"i3", "i4"}));
  EXPECT_EQ(this->log_->query(std::nullopt, 0).size(), 5u);
  EXPECT_TRUE(this->log_->query(std::nullopt, 5).empty());
  EXPECT_TRUE(this->log_->query(std::nullopt, 50).empty());
}

// test_query_with_limit
TYPED_TEST_P(EventLogConformance, QueryWithLimit) {
  this->append_n(5);
  EXPECT_EQ(cwconf::ids_of(this->log_->query(std::nullopt, std::nullopt, 2)), (cwconf::Ids{"i0", "i1"}));
  EXPECT_TRUE(this->log_->query(std::nullopt, std::nullopt, 0).empty());
  EXPECT_EQ(this->log_->query(std::nullopt, std::nullopt, 99).size(), 5u);
}

// test_query_combined_filters: since slices the whole log before kinds.
TYPED_TEST_P(EventLogConformance, QueryCombinedFilters) {
  this->append_mixed();
  EXPECT_EQ(cwconf::ids_of(this->log_->query(cwconf::Kinds{ItemKind::user_turn}, 2, 1)), (cwconf::Ids{"u2"}));
}

// test_query_kinds_since_matches_in_memory_semantics (the PR #232 fix, §9.3).
TYPED_TEST_P(EventLogConformance, QueryKindsSinceMatchesInMemorySemantics) {
  this->append_mixed();
  EXPECT_EQ(cwconf::ids_of(this->log_->query(cwconf::Kinds{ItemKind::user_turn}, 2)), (cwconf::Ids{"u2", "u3"}));
  EXPECT_EQ(cwconf::ids_of(this->log_->query(cwconf::Kinds{ItemKind::tool_result}, 1, 1)), (cwconf::Ids{"t1"}));
  EXPECT_EQ(cwconf::ids_of(this->log_->query(std::nullopt, 3)), (cwconf::Ids{"t2", "u3"}));
}

// store.md §5.1: the docstring example [A,A,B,A,B], kinds=[B], since=2 gives [B,B].
TYPED_TEST_P(EventLogConformance, QuerySinceBeforeKindsDocstringExample) {
  const ItemKind a = ItemKind::agent_msg;
  const ItemKind b = ItemKind::tool_call;
  int i = 0;
  for (ItemKind k : {a, a, b, a, b}) this->log_->append(cwconf::make_item("e" + std::to_string(i++), k));
  EXPECT_EQ(cwconf::ids_of(this->log_->query(cwconf::Kinds{b}, 2)), (cwconf::Ids{"e2", "e4"}));
}

// Python slice rules: negative since = last |since|, negative limit drops from the end.
TYPED_TEST_P(EventLogConformance, QueryNegativeBoundsFollowPythonSlices) {
  this->append_n(5);
  EXPECT_EQ(cwconf::ids_of(this->log_->query(std::nullopt, -2)), (cwconf::Ids{"i3", "i4"}));
  EXPECT_EQ(this->log_->query(std::nullopt, -50).size(), 5u);
  EXPECT_EQ(cwconf::ids_of(this->log_->query(std::nullopt, std::nullopt, -1)), (cwconf::Ids{"i0", "i1", "i2", "i3"}));
  EXPECT_TRUE(this->log_->query(std::nullopt, std::nullopt, -9).empty());
  EXPECT_EQ(cwconf::ids_of(this->log_->query(std::nullopt, -3, -1)), (cwconf::Ids{"i2", "i3"}));
}

TYPED_TEST_P(EventLogConformance, QueryNegativeBoundsWithKinds) {
  this->append_mixed();
  // since=-3 keeps [u2,t2,u3]; kinds keeps [u2,u3]; limit=-1 drops u3.
  EXPECT_EQ(cwconf::ids_of(this->log_->query(cwconf::Kinds{ItemKind::user_turn}, -3, -1)), (cwconf::Ids{"u2"}));
  EXPECT_EQ(cwconf::ids_of(this->log_->query(cwconf::Kinds{ItemKind::user_turn, ItemKind::user_turn}, std::nullopt, 2)),
            (cwconf::Ids{"u1", "u2"}));
  EXPECT_TRUE(this->log_->query(cwconf::Kinds{ItemKind::policy}).empty());
}

// test_count / test_len / test_count_and_len
TYPED_TEST_P(EventLogConformance, Count) {
  EXPECT_EQ(this->log_->count(), 0u);
  this->log_->append(cwconf::make_item("a"));
  EXPECT_EQ(this->log_->count(), 1u);
  this->log_->append(cwconf::make_item("b"));
  EXPECT_EQ(this->log_->count(), 2u);
}

// scan: every item from `start`, in order, in batches of any size.
TYPED_TEST_P(EventLogConformance, ScanVisitsFromStartInOrder) {
  this->append_n(7);
  for (std::size_t batch : {1u, 2u, 3u, 7u, 100u}) {
    for (std::size_t start : {0u, 1u, 6u, 7u, 9u}) {
      cwconf::Ids seen;
      const std::size_t n = this->log_->scan(
          start, [&](contextweaver::ContextItem&& item) { seen.push_back(item.id); }, batch);
      cwconf::Ids expected;
      for (std::size_t i = start; i < 7; ++i) expected.push_back("i" + std::to_string(i));
      EXPECT_EQ(seen, expected) << "start " << start << " batch " << batch;
      EXPECT_EQ(n, expected.size());
    }
  }
}

TYPED_TEST_P(EventLogConformance, ScanGivesWholeItemsAndAllowsReadsAndStops) {
  this->append_mixed();
  std::vector<contextweaver::ContextItem> scanned;
  this->log_->scan(
      0,
      [&](contextweaver::ContextItem&& item) {
        EXPECT_EQ(this->log_->get(item.id), item);  // reading the log from inside the visit is allowed
        scanned.push_back(std::move(item));
      },
      2);
  EXPECT_EQ(scanned, this->log_->all());
  int visits = 0;
  EXPECT_THROW(this->log_->scan(
                   0,
                   [&](contextweaver::ContextItem&&) {
                     if (++visits == 3) throw contextweaver::ValueError("stop");
                   },
                   2),
               contextweaver::ValueError);
  EXPECT_EQ(visits, 3);
}

// An append from inside the visit (at a batch boundary and mid-batch) neither
// deadlocks nor disturbs the scan: the items present at the start are each
// visited once, in order, and whatever else is visited is what was appended
// after them, in order.
TYPED_TEST_P(EventLogConformance, ScanToleratesAppendsDuringTheScan) {
  this->append_n(4);
  for (std::size_t append_at : {1u, 2u}) {  // batch 2: after the last item of a batch, and after the first
    const std::size_t before = this->log_->count();
    cwconf::Ids seen;
    int added = 0;
    this->log_->scan(
        0,
        [&](contextweaver::ContextItem&& item) {
          seen.push_back(item.id);
          if (seen.size() == append_at + 1 && added == 0) {
            this->log_->append(cwconf::make_item("new" + std::to_string(append_at)));
            ++added;
          }
        },
        2);
    const cwconf::Ids now = cwconf::ids_of(this->log_->all());
    ASSERT_GE(seen.size(), before) << "append at " << append_at;
    ASSERT_LE(seen.size(), now.size());
    EXPECT_EQ(seen, cwconf::Ids(now.begin(), now.begin() + static_cast<std::ptrdiff_t>(seen.size())))
        << "append at " << append_at;
  }
}

// A scan from the middle sees the same items as query(since).
TYPED_TEST_P(EventLogConformance, ScanFromStartMatchesQuerySince) {
  this->append_mixed();
  for (std::size_t start = 0; start <= 6; ++start) {
    std::vector<contextweaver::ContextItem> scanned;
    this->log_->scan(
        start, [&](contextweaver::ContextItem&& item) { scanned.push_back(std::move(item)); }, 3);
    EXPECT_EQ(scanned, this->log_->query(std::nullopt, static_cast<std::int64_t>(start))) << "start " << start;
  }
}

TYPED_TEST_P(EventLogConformance, AppendManyAppendsAllInOrder) {
  this->log_->append(cwconf::make_item("a"));
  const std::vector<contextweaver::ContextItem> batch{cwconf::make_item("b"),
                                                      cwconf::make_item("c", ItemKind::tool_call, "", "b")};
  this->log_->append_many(batch);
  EXPECT_EQ(cwconf::ids_of(this->log_->all()), (cwconf::Ids{"a", "b", "c"}));
  EXPECT_EQ(cwconf::ids_of(this->log_->children("b")), (cwconf::Ids{"c"}));
  this->log_->append_many({});
  EXPECT_EQ(this->log_->count(), 3u);
}

TYPED_TEST_P(EventLogConformance, AppendManyDuplicateWithinBatchAppendsNothing) {
  this->log_->append(cwconf::make_item("a"));
  const std::vector<contextweaver::ContextItem> batch{cwconf::make_item("b"), cwconf::make_item("c"),
                                                      cwconf::make_item("b")};
  CWCONF_EXPECT_THROW_MSG(this->log_->append_many(batch), contextweaver::DuplicateItemError, "Duplicate item id: 'b'");
  EXPECT_EQ(cwconf::ids_of(this->log_->all()), (cwconf::Ids{"a"}));
  EXPECT_THROW(this->log_->get("c"), contextweaver::ItemNotFoundError);
}

TYPED_TEST_P(EventLogConformance, AppendManyDuplicateAgainstLogAppendsNothing) {
  this->log_->append(cwconf::make_item("a"));
  const std::vector<contextweaver::ContextItem> batch{cwconf::make_item("b"), cwconf::make_item("a")};
  CWCONF_EXPECT_THROW_MSG(this->log_->append_many(batch), contextweaver::DuplicateItemError, "Duplicate item id: 'a'");
  EXPECT_EQ(this->log_->count(), 1u);
  EXPECT_THROW(this->log_->get("b"), contextweaver::ItemNotFoundError);
  // The log still accepts the rest afterwards.
  this->log_->append(cwconf::make_item("b"));
  EXPECT_EQ(this->log_->count(), 2u);
}

// Ids are compared exactly (no case folding, no Unicode normalisation).
TYPED_TEST_P(EventLogConformance, IdsAreExactStrings) {
  this->log_->append(cwconf::make_item("A"));
  this->log_->append(cwconf::make_item("a"));
  this->log_->append(cwconf::make_item("caf\xC3\xA9"));
  this->log_->append(cwconf::make_item("artifact:x y"));
  EXPECT_EQ(this->log_->count(), 4u);
  EXPECT_EQ(this->log_->get("caf\xC3\xA9").id, "caf\xC3\xA9");
  CWCONF_EXPECT_THROW_MSG(this->log_->get("it's"), contextweaver::ItemNotFoundError, "Item not found: \"it's\"");
}

// test_close_is_idempotent
TYPED_TEST_P(EventLogConformance, CloseIsIdempotent) {
  this->log_->append(cwconf::make_item("a"));
  this->log_->close();
  EXPECT_NO_THROW(this->log_->close());
}

// Internally synchronized: concurrent appends and reads lose nothing.
TYPED_TEST_P(EventLogConformance, ConcurrentAppendsAndReads) {
  constexpr int kPerThread = 100;
  std::atomic<bool> failed{false};
  auto writer = [&](const std::string& prefix) {
    for (int i = 0; i < kPerThread; ++i) {
      try {
        const std::optional<std::string> parent = i == 0 ? std::nullopt : std::optional<std::string>(prefix + "0");
        this->log_->append(cwconf::make_item(prefix + std::to_string(i), ItemKind::tool_call, "", parent));
      } catch (...) {
        failed = true;
      }
    }
  };
  auto reader = [&] {
    for (int i = 0; i < kPerThread; ++i) {
      try {
        const auto tail = this->log_->tail(5);
        if (tail.size() > 5) failed = true;
        (void)this->log_->query(cwconf::Kinds{ItemKind::tool_call}, std::nullopt, 3);
      } catch (...) {
        failed = true;
      }
    }
  };
  std::thread w1(writer, "x");
  std::thread w2(writer, "y");
  std::thread r(reader);
  w1.join();
  w2.join();
  r.join();
  EXPECT_FALSE(failed.load());
  EXPECT_EQ(this->log_->count(), 2u * kPerThread);
  EXPECT_EQ(this->log_->children("x0").size(), kPerThread - 1u);
}

// test_multi_session_round_trip
TYPED_TEST_P(EventLogConformance, ReopenPreservesItemsAndOrder) {
  CWCONF_REQUIRE_REOPEN() {
    for (int i = 0; i < 7; ++i) {
      this->log_->append(cwconf::make_item("i" + std::to_string(i), ItemKind::agent_msg, "payload-" + std::to_string(i),
                                           i > 0 ? std::optional<std::string>("i0") : std::nullopt));
    }
    this->log_->close();
    this->log_.reset();
    this->log_ = this->factory_.reopen();
    EXPECT_EQ(cwconf::ids_of(this->log_->all()), (cwconf::Ids{"i0", "i1", "i2", "i3", "i4", "i5", "i6"}));
    EXPECT_EQ(this->log_->all()[3].text, "payload-3");
    EXPECT_EQ(this->log_->children("i0").size(), 6u);
    EXPECT_EQ(this->log_->count(), 7u);
  }
}

// test_reopen_appends_after_existing
TYPED_TEST_P(EventLogConformance, ReopenAppendsAfterExisting) {
  CWCONF_REQUIRE_REOPEN() {
    this->append_n(2);
    this->log_->close();
    this->log_.reset();
    this->log_ = this->factory_.reopen();
    this->log_->append(cwconf::make_item("i2"));
    EXPECT_EQ(cwconf::ids_of(this->log_->all()), (cwconf::Ids{"i0", "i1", "i2"}));
    EXPECT_THROW(this->log_->append(cwconf::make_item("i0")), contextweaver::DuplicateItemError);
  }
}

REGISTER_TYPED_TEST_SUITE_P(EventLogConformance, StartsEmpty, AppendAndGet, AppendPreservesAllContextItemFields,
                            DuplicateRaises, GetMissingRaises, AllReturnsInsertionOrder, FilterByKind,
                            FilterByKindNoKinds, Tail, TailZero, Children, ChildrenEmpty, ParentFound, ParentNone,
                            ParentMissingParentId, ParentNotFoundRaises, QueryNoFilters, QueryWithKinds,
                            QueryWithEmptyKindsReturnsEmpty, QueryWithSince, QueryWithLimit, QueryCombinedFilters,
                            QueryKindsSinceMatchesInMemorySemantics, QuerySinceBeforeKindsDocstringExample,
                            QueryNegativeBoundsFollowPythonSlices, QueryNegativeBoundsWithKinds, Count,
                            AppendManyAppendsAllInOrder, AppendManyDuplicateWithinBatchAppendsNothing,
                            AppendManyDuplicateAgainstLogAppendsNothing, IdsAreExactStrings, CloseIsIdempotent,
                            ConcurrentAppendsAndReads, ReopenPreservesItemsAndOrder, ReopenAppendsAfterExisting,
                            ScanVisitsFromStartInOrder, ScanGivesWholeItemsAndAllowsReadsAndStops,
                            ScanToleratesAppendsDuringTheScan, ScanFromStartMatchesQuerySince);
