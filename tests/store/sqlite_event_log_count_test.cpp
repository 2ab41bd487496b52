// The event log's persisted row count (migrations 1 and 2, docs/storage.md):
// a version-1 file is upgraded in place, and count() stays exact for this
// library's writes (single appends, batches, failures) and for writers that
// bypass it (inserts, deletes, renumbered rows).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

ContextItem item(const std::string& id) {
  return ContextItem{id, ItemKind::user_turn, "t " + id, 1, Sensitivity::public_, Json::object(), {}, {}};
}

// Runs SQL on the file through a separate connection (another writer).
void raw_exec(const std::string& path, const std::string& sql) {
  auto db = SqliteDatabase::open(path);
  std::lock_guard lock(db->mutex());
  db->exec(sql);
}

std::int64_t raw_int(const std::string& path, const std::string& sql) {
  auto db = SqliteDatabase::open(path);
  std::lock_guard lock(db->mutex());
  return db->query_int(sql).value_or(-1);
}

// A file exactly as a version-1 build wrote it: migrations 0 and 1, three rows
// counted by the per-row triggers.
void write_version_1_file(const std::string& path) {
  raw_exec(path,
           "CREATE TABLE _contextweaver_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT "
           "CURRENT_TIMESTAMP);"
           "CREATE TABLE event_log (ordinal INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT "
           "NULL, text TEXT NOT NULL, token_estimate INTEGER NOT NULL DEFAULT 0, sensitivity TEXT NOT NULL, metadata "
           "TEXT NOT NULL, parent_id TEXT, artifact_ref TEXT);"
           "CREATE INDEX idx_event_log_kind ON event_log(kind);"
           "CREATE INDEX idx_event_log_parent ON event_log(parent_id);"
           "INSERT INTO _contextweaver_schema_version (version) VALUES (0);"
           "CREATE TABLE event_log_count (singleton INTEGER PRIMARY KEY CHECK (singleton = 0), n INTEGER NOT NULL);"
           "INSERT INTO event_log_count (singleton, n) VALUES (0, (SELECT COUNT(*) FROM event_log));"
           "CREATE TRIGGER event_log_count_insert AFTER INSERT ON event_log"
           " BEGIN UPDATE event_log_count SET n = n + 1 WHERE singleton = 0; END;"
           "CREATE TRIGGER event_log_count_delete AFTER DELETE ON event_log"
           " BEGIN UPDATE event_log_count SET n = n - 1 WHERE singleton = 0; END;"
           "INSERT INTO _contextweaver_schema_version (version) VALUES (1);"
           "INSERT INTO event_log (id, kind, text, sensitivity, metadata) VALUES "
           "('a', 'user_turn', 'x', 'public', '{}'), ('b', 'user_turn', 'y', 'public', '{}'), "
           "('c', 'tool_call', 'z', 'public', '{\"k\": 1}');"
           "DELETE FROM event_log WHERE id = 'b';"
           "INSERT INTO event_log (id, kind, text, sensitivity, metadata) VALUES ('d', 'agent_msg', 'w', 'public', "
           "'{}');");
}

TEST(SqliteEventLogCount, AVersion1FileIsUpgradedKeepingItsRowsAndCount) {
  cwtest::TempDir dir;
  const std::string path = (dir / "v1.db").string();
  write_version_1_file(path);
  ASSERT_EQ(raw_int(path, "SELECT n FROM event_log_count"), 3);
  {
    SqliteEventLog log(path);
    EXPECT_EQ(log.schema_version(), 2);
    EXPECT_EQ(log.count(), 3u);
    std::vector<std::string> ids;
    for (const auto& it : log.all()) ids.push_back(it.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"a", "c", "d"}));
    EXPECT_EQ(log.get("c").metadata["k"], 1);
  }
  // The per-insert trigger is gone; the mark covers every row present at the upgrade.
  EXPECT_EQ(raw_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'event_log_count_insert'"), 0);
  EXPECT_EQ(raw_int(path, "SELECT n FROM event_log_count"), 3);
  EXPECT_EQ(raw_int(path, "SELECT upto FROM event_log_count"), 4);
  // Reopening an upgraded file applies nothing more.
  SqliteEventLog again(path);
  EXPECT_EQ(again.schema_version(), 2);
  EXPECT_EQ(again.count(), 3u);
}

TEST(SqliteEventLogCount, AnEmptyVersion1FileIsUpgraded) {
  cwtest::TempDir dir;
  const std::string path = (dir / "v1-empty.db").string();
  write_version_1_file(path);
  raw_exec(path, "DELETE FROM event_log");
  SqliteEventLog log(path);
  EXPECT_EQ(log.count(), 0u);
  log.append(item("x"));
  EXPECT_EQ(log.count(), 1u);
}

TEST(SqliteEventLogCount, WritersThatBypassTheLibraryKeepTheCountExact) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  SqliteEventLog log(path);
  std::vector<ContextItem> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(item("b" + std::to_string(i)));
  log.append_many(batch);                                                 // folded: n = 10, upto = 10
  for (int i = 0; i < 5; ++i) log.append(item("s" + std::to_string(i)));  // above the mark
  EXPECT_EQ(log.count(), 15u);
  const std::string insert = "INSERT INTO event_log (id, kind, text, sensitivity, metadata) VALUES ";
  // Appends by another program (AUTOINCREMENT, above the mark).
  raw_exec(path, insert + "('r1', 'user_turn', 'x', 'public', '{}'), ('r2', 'user_turn', 'x', 'public', '{}')");
  EXPECT_EQ(log.count(), 17u);
  // Deletes below and above the mark.
  raw_exec(path, "DELETE FROM event_log WHERE id IN ('b3', 's1', 'r2')");
  EXPECT_EQ(log.count(), 14u);
  // Rows renumbered across the mark, both ways, and an explicit ordinal far above it.
  raw_exec(path, "UPDATE event_log SET ordinal = 1000 WHERE id = 'b4'");
  EXPECT_EQ(log.count(), 14u);
  raw_exec(path, "UPDATE event_log SET ordinal = 4 WHERE id = 's2'");  // 4 was b3's, now free
  EXPECT_EQ(log.count(), 14u);
  raw_exec(path,
           "INSERT INTO event_log (ordinal, id, kind, text, sensitivity, metadata) VALUES "
           "(5000, 'far', 'user_turn', 'x', 'public', '{}')");
  EXPECT_EQ(log.count(), 15u);
  EXPECT_EQ(log.all().size(), 15u);
  // A batch folds everything above the mark, other programs' rows included.
  log.append_many(std::vector<ContextItem>{item("m1")});
  EXPECT_EQ(raw_int(path, "SELECT upto FROM event_log_count"), 5001);
  EXPECT_EQ(log.count(), 16u);
  EXPECT_EQ(log.all().size(), 16u);
}

TEST(SqliteEventLogCount, SingleAppendsFoldPeriodicallyAndFailuresNeverCount) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  SqliteEventLog log(path);
  for (int i = 0; i < 600; ++i) {
    log.append(item("i" + std::to_string(i)));
    if (i % 97 == 0) {
      EXPECT_EQ(log.count(), static_cast<std::size_t>(i + 1));
    }
  }
  EXPECT_EQ(log.count(), 600u);
  // Folded twice (after 256 and 512 appends); the rest is counted by the range scan.
  EXPECT_EQ(raw_int(path, "SELECT n FROM event_log_count"), 512);
  EXPECT_THROW(log.append(item("i3")), DuplicateItemError);
  const std::vector<ContextItem> batch{item("new"), item("i5")};
  EXPECT_THROW(log.append_many(batch), DuplicateItemError);
  EXPECT_EQ(log.count(), 600u);
  EXPECT_EQ(raw_int(path, "SELECT n FROM event_log_count"), 512);
  // A second instance on the same file sees the same count.
  SqliteEventLog other(path);
  EXPECT_EQ(other.count(), 600u);
  other.append(item("from-other"));
  EXPECT_EQ(log.count(), 601u);
}

TEST(SqliteEventLogCount, NegativeSinceUsesTheCount) {
  SqliteEventLog log(":memory:");
  for (int i = 0; i < 300; ++i) log.append(item("i" + std::to_string(i)));
  const auto last = log.query(std::nullopt, -3, std::nullopt);
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last.front().id, "i297");
  EXPECT_EQ(last.back().id, "i299");
}

}  // namespace
