// Port of the reference's tests/test_store_sqlite_event_log.py (33 tests, same names).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

ContextItem item(const std::string& id, ItemKind kind = ItemKind::user_turn, const std::string& text = "hello",
                 std::optional<std::string> parent = std::nullopt) {
  ContextItem it;
  it.id = id;
  it.kind = kind;
  it.text = text;
  it.parent_id = std::move(parent);
  return it;
}

std::vector<std::string> ids(const std::vector<ContextItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

using Ids = std::vector<std::string>;

class SqliteEventLogTest : public ::testing::Test {
 protected:
  std::string db_path() const { return (dir_ / "session.db").string(); }
  std::unique_ptr<SqliteEventLog> open() { return std::make_unique<SqliteEventLog>(db_path()); }
  void append_n(SqliteEventLog& log, int n) {
    for (int i = 0; i < n; ++i) log.append(item("i" + std::to_string(i)));
  }

  cwtest::TempDir dir_;
  std::unique_ptr<SqliteEventLog> log_ = open();
};

TEST_F(SqliteEventLogTest, test_open_creates_file_and_applies_migrations) {
  EXPECT_TRUE(std::filesystem::exists(db_path()));
  // The reference asserts len(MIGRATIONS) - 1 (0 there; 2 here, see docs/storage.md).
  EXPECT_EQ(log_->schema_version(), SqliteEventLog::latest_schema_version());
  EXPECT_EQ(log_->schema_version(), 2);
}

TEST_F(SqliteEventLogTest, test_open_creates_missing_parent_directory) {
  const auto nested = dir_ / "nested" / "dir" / "session.db";
  SqliteEventLog log(nested.string());
  EXPECT_TRUE(std::filesystem::exists(nested));
  log.close();
}

TEST_F(SqliteEventLogTest, test_wal_mode_enabled) {
  auto db = SqliteDatabase::open(db_path());
  std::lock_guard lock(db->mutex());
  SqliteStatement st = db->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.column_text(0), "wal");
}

TEST_F(SqliteEventLogTest, test_close_is_idempotent) {
  log_->close();
  log_->close();
}

TEST_F(SqliteEventLogTest, test_use_after_close_raises) {
  log_->close();
  try {
    log_->append(item("a"));
    FAIL() << "append after close did not throw";
  } catch (const StoreClosedError& e) {
    EXPECT_NE(std::string(e.what()).find("closed"), std::string::npos);
    EXPECT_STREQ(e.what(), "SqliteEventLog is closed");
    const ContextWeaverError& base = e;
    EXPECT_STREQ(base.code(), "CW_STORE_CLOSED");
  }
}

TEST_F(SqliteEventLogTest, test_context_manager) {
  {
    SqliteEventLog scoped(db_path());  // RAII: the destructor closes, as __exit__
    scoped.append(item("a", ItemKind::user_turn, "persisted"));
  }
  log_.reset();
  SqliteEventLog reopened(db_path());
  EXPECT_EQ(reopened.get("a").text, "persisted");
}

TEST_F(SqliteEventLogTest, test_append_and_get) {
  log_->append(item("a", ItemKind::user_turn, "hello world"));
  EXPECT_EQ(log_->get("a").text, "hello world");
}

TEST_F(SqliteEventLogTest, test_duplicate_raises) {
  log_->append(item("a"));
  try {
    log_->append(item("a"));
    FAIL() << "duplicate append did not throw";
  } catch (const DuplicateItemError& e) {
    EXPECT_STREQ(e.what(), "Duplicate item id: 'a'");
  }
}

TEST_F(SqliteEventLogTest, test_get_missing_raises) {
  try {
    log_->get("nope");
    FAIL() << "get of a missing id did not throw";
  } catch (const ItemNotFoundError& e) {
    EXPECT_STREQ(e.what(), "Item not found: 'nope'");
  }
}

TEST_F(SqliteEventLogTest, test_append_preserves_all_context_item_fields) {
  ContextItem full = item("c1", ItemKind::tool_result, "body", "p1");
  full.token_estimate = 42;
  full.sensitivity = Sensitivity::confidential;
  full.metadata = Json::object({{"k", "v"}, {"n", 1}});
  full.artifact_ref = ArtifactRef{"h1", "text/plain", 11, "lbl", ""};
  log_->append(full);
  const ContextItem back = log_->get("c1");
  EXPECT_EQ(back.token_estimate, 42);
  EXPECT_EQ(back.sensitivity, Sensitivity::confidential);
  EXPECT_EQ(back.metadata, full.metadata);
  EXPECT_EQ(back.parent_id, std::optional<std::string>("p1"));
  ASSERT_TRUE(back.artifact_ref.has_value());
  EXPECT_EQ(back.artifact_ref->handle, "h1");
  EXPECT_EQ(back.artifact_ref->size_bytes, 11);
  EXPECT_EQ(back, full);
}

TEST_F(SqliteEventLogTest, test_all_returns_insertion_order) {
  append_n(*log_, 5);
  EXPECT_EQ(ids(log_->all()), (Ids{"i0", "i1", "i2", "i3", "i4"}));
}

TEST_F(SqliteEventLogTest, test_filter_by_kind) {
  log_->append(item("u1", ItemKind::user_turn));
  log_->append(item("t1", ItemKind::tool_result));
  log_->append(item("u2", ItemKind::user_turn));
  const ItemKind kinds[] = {ItemKind::user_turn};
  EXPECT_EQ(ids(log_->filter_by_kind(kinds)), (Ids{"u1", "u2"}));
}

TEST_F(SqliteEventLogTest, test_filter_by_kind_no_kinds) {
  log_->append(item("u1"));
  EXPECT_TRUE(log_->filter_by_kind({}).empty());
}

TEST_F(SqliteEventLogTest, test_tail) {
  append_n(*log_, 10);
  EXPECT_EQ(ids(log_->tail(3)), (Ids{"i7", "i8", "i9"}));
}

TEST_F(SqliteEventLogTest, test_tail_zero) {
  append_n(*log_, 3);
  EXPECT_TRUE(log_->tail(0).empty());
  EXPECT_TRUE(log_->tail(-1).empty());
}

TEST_F(SqliteEventLogTest, test_children) {
  log_->append(item("parent1"));
  log_->append(item("child1", ItemKind::tool_call, "c", "parent1"));
  log_->append(item("other", ItemKind::tool_call, "o", "parent2"));
  log_->append(item("child2", ItemKind::tool_result, "c", "parent1"));
  EXPECT_EQ(ids(log_->children("parent1")), (Ids{"child1", "child2"}));
}

TEST_F(SqliteEventLogTest, test_children_empty) {
  log_->append(item("a"));
  EXPECT_TRUE(log_->children("a").empty());
}

TEST_F(SqliteEventLogTest, test_parent_found) {
  log_->append(item("p1"));
  log_->append(item("c1", ItemKind::tool_call, "c", "p1"));
  const auto p = log_->parent("c1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->id, "p1");
}

TEST_F(SqliteEventLogTest, test_parent_none) {
  log_->append(item("root"));
  EXPECT_FALSE(log_->parent("root").has_value());
}

TEST_F(SqliteEventLogTest, test_parent_missing_parent_id) {
  log_->append(item("orphan", ItemKind::tool_call, "o", "ghost"));
  EXPECT_FALSE(log_->parent("orphan").has_value());
}

TEST_F(SqliteEventLogTest, test_parent_not_found_raises) {
  EXPECT_THROW(log_->parent("unknown"), ItemNotFoundError);
}

class SqliteQueryTest : public SqliteEventLogTest {
 protected:
  void append_mixed() {
    log_->append(item("u1", ItemKind::user_turn));
    log_->append(item("t1", ItemKind::tool_result));
    log_->append(item("u2", ItemKind::user_turn));
    log_->append(item("t2", ItemKind::tool_result));
    log_->append(item("u3", ItemKind::user_turn));
  }
};

TEST_F(SqliteEventLogTest, test_query_no_filters) {
  append_n(*log_, 5);
  EXPECT_EQ(log_->query().size(), 5u);
}

TEST_F(SqliteEventLogTest, test_query_with_kinds) {
  log_->append(item("u1", ItemKind::user_turn));
  log_->append(item("t1", ItemKind::tool_result));
  log_->append(item("u2", ItemKind::user_turn));
  EXPECT_EQ(ids(log_->query(std::vector<ItemKind>{ItemKind::user_turn})), (Ids{"u1", "u2"}));
}

TEST_F(SqliteEventLogTest, test_query_with_empty_kinds_returns_empty) {
  append_n(*log_, 3);
  EXPECT_TRUE(log_->query(std::vector<ItemKind>{}).empty());
}

TEST_F(SqliteEventLogTest, test_query_with_since) {
  append_n(*log_, 5);
  EXPECT_EQ(ids(log_->query(std::nullopt, 3)), (Ids{"i3", "i4"}));
}

TEST_F(SqliteEventLogTest, test_query_with_limit) {
  append_n(*log_, 5);
  EXPECT_EQ(ids(log_->query(std::nullopt, std::nullopt, 2)), (Ids{"i0", "i1"}));
}

TEST_F(SqliteQueryTest, test_query_combined_filters) {
  append_mixed();
  // since slices the whole log before the kind filter: [u2, t2, u3] -> [u2, u3] -> [u2].
  EXPECT_EQ(ids(log_->query(std::vector<ItemKind>{ItemKind::user_turn}, 2, 1)), (Ids{"u2"}));
}

TEST_F(SqliteEventLogTest, test_query_kinds_since_matches_in_memory_semantics) {
  // The reference compares with InMemoryEventLog; the expected ids are its answers.
  log_->append(item("u1", ItemKind::user_turn));
  log_->append(item("c1", ItemKind::tool_call));
  log_->append(item("u2", ItemKind::user_turn));
  log_->append(item("c2", ItemKind::tool_call));
  log_->append(item("u3", ItemKind::user_turn));
  const std::vector<ItemKind> user{ItemKind::user_turn};
  const std::vector<ItemKind> call{ItemKind::tool_call};
  EXPECT_EQ(ids(log_->query(user, 2, 1)), (Ids{"u2"}));
  EXPECT_EQ(ids(log_->query(user, 2)), (Ids{"u2", "u3"}));
  EXPECT_EQ(ids(log_->query(call, 1, 1)), (Ids{"c1"}));
  EXPECT_EQ(ids(log_->query(std::nullopt, 3)), (Ids{"c2", "u3"}));
}

TEST_F(SqliteEventLogTest, test_count_and_len) {
  EXPECT_EQ(log_->count(), 0u);
  log_->append(item("a"));
  log_->append(item("b"));
  EXPECT_EQ(log_->count(), 2u);
}

TEST_F(SqliteEventLogTest, test_multi_session_round_trip) {
  for (int i = 0; i < 7; ++i)
    log_->append(item("i" + std::to_string(i), ItemKind::user_turn, "payload-" + std::to_string(i)));
  log_->close();
  SqliteEventLog reopened(db_path());
  const auto items = reopened.all();
  EXPECT_EQ(ids(items), (Ids{"i0", "i1", "i2", "i3", "i4", "i5", "i6"}));
  EXPECT_EQ(items[3].text, "payload-3");
}

TEST_F(SqliteEventLogTest, test_reopen_appends_after_existing) {
  append_n(*log_, 2);
  log_->close();
  SqliteEventLog reopened(db_path());
  reopened.append(item("i2"));
  EXPECT_EQ(ids(reopened.all()), (Ids{"i0", "i1", "i2"}));
}

TEST_F(SqliteEventLogTest, test_reopen_preserves_schema_version) {
  const int before = log_->schema_version();
  log_->close();
  SqliteEventLog reopened(db_path());
  EXPECT_EQ(reopened.schema_version(), before);
  EXPECT_EQ(reopened.schema_version(), SqliteEventLog::latest_schema_version());
}

TEST(SqliteEventLogMemory, test_in_memory_path) {
  SqliteEventLog log(":memory:");
  log.append(item("a"));
  EXPECT_EQ(log.path(), ":memory:");
  EXPECT_EQ(log.count(), 1u);
}

}  // namespace
