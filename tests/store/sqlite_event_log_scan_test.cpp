// SqliteEventLog::scan beyond the conformance suite: a closed store, a store
// closed during the scan, and another connection appending between batches.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

ContextItem item(const std::string& id) {
  ContextItem it;
  it.id = id;
  it.kind = ItemKind::user_turn;
  it.text = "text of " + id;
  return it;
}

class SqliteEventLogScanTest : public ::testing::Test {
 protected:
  std::string db_path() const { return (dir_.path() / "events.db").string(); }
  void append_n(SqliteEventLog& log, int n, const std::string& prefix = "i") {
    for (int i = 0; i < n; ++i) log.append(item(prefix + std::to_string(i)));
  }

  cwtest::TempDir dir_;
};

TEST_F(SqliteEventLogScanTest, ScanAfterCloseRaisesStoreClosed) {
  SqliteEventLog log(db_path());
  append_n(log, 3);
  log.close();
  EXPECT_THROW(log.scan(0, [](ContextItem&&) {}), StoreClosedError);
}

// The lock is released between batches: closing from inside the visit works,
// and the next batch reports the closed store.
TEST_F(SqliteEventLogScanTest, CloseDuringScanEndsWithStoreClosed) {
  SqliteEventLog log(db_path());
  append_n(log, 5);
  std::vector<std::string> seen;
  EXPECT_THROW(log.scan(
                   0,
                   [&](ContextItem&& it) {
                     seen.push_back(it.id);
                     if (seen.size() == 2) log.close();
                   },
                   2),
               StoreClosedError);
  EXPECT_EQ(seen, (std::vector<std::string>{"i0", "i1"}));  // the batch read before the close is visited whole
}

// Rows another connection appends between batches are read in order after
// the ones already there; none twice.
TEST_F(SqliteEventLogScanTest, OtherConnectionAppendsBetweenBatches) {
  SqliteEventLog log(db_path());
  SqliteEventLog other(db_path());
  append_n(log, 4);
  std::vector<std::string> seen;
  const std::size_t n = log.scan(
      1,
      [&](ContextItem&& it) {
        seen.push_back(it.id);
        if (it.id == "i2") append_n(other, 2, "o");
      },
      2);
  EXPECT_EQ(seen, (std::vector<std::string>{"i1", "i2", "i3", "o0", "o1"}));
  EXPECT_EQ(n, seen.size());
}

// A start at or past the end visits nothing; a batch larger than the log reads it in one go.
TEST_F(SqliteEventLogScanTest, StartPastTheEndAndHugeBatch) {
  SqliteEventLog log(db_path());
  append_n(log, 3);
  std::size_t visits = 0;
  EXPECT_EQ(log.scan(3, [&](ContextItem&&) { ++visits; }), 0u);
  EXPECT_EQ(log.scan(1000, [&](ContextItem&&) { ++visits; }), 0u);
  EXPECT_EQ(visits, 0u);
  EXPECT_EQ(log.scan(
                0, [&](ContextItem&&) { ++visits; }, static_cast<std::size_t>(-1)),
            3u);
  EXPECT_EQ(visits, 3u);
}

// Positions map to ordinals 1..count directly when the ordinals are exactly
// that; a file another program edited (a row deleted, a row renumbered) must
// give the same positions through SQLite's own walk.
TEST_F(SqliteEventLogScanTest, PositionsStayRightWhenOrdinalsHaveGaps) {
  SqliteEventLog log(db_path());
  append_n(log, 8);
  auto edit = [&](const std::string& sql) {
    auto db = SqliteDatabase::open(db_path());
    std::lock_guard lock(db->mutex());
    db->exec(sql);
  };
  auto ids_from = [&](std::size_t start) {
    std::vector<std::string> ids;
    log.scan(
        start, [&](ContextItem&& it) { ids.push_back(it.id); }, 2);
    return ids;
  };
  auto since = [&](std::int64_t start) {
    std::vector<std::string> ids;
    for (const auto& it : log.query(std::nullopt, start, 2)) ids.push_back(it.id);
    return ids;
  };
  EXPECT_EQ(ids_from(6), (std::vector<std::string>{"i6", "i7"}));
  EXPECT_EQ(since(3), (std::vector<std::string>{"i3", "i4"}));
  edit("DELETE FROM event_log WHERE id = 'i2'");  // a gap: ordinals 1,2,4..8
  EXPECT_EQ(ids_from(2), (std::vector<std::string>{"i3", "i4", "i5", "i6", "i7"}));
  EXPECT_EQ(since(6), (std::vector<std::string>{"i7"}));
  EXPECT_TRUE(ids_from(7).empty());
  edit("DELETE FROM event_log WHERE id = 'i0'");  // first ordinal 2 (count 6, highest 8)
  EXPECT_EQ(ids_from(0).front(), "i1");
  EXPECT_EQ(since(1), (std::vector<std::string>{"i3", "i4"}));
  edit("UPDATE event_log SET ordinal = 1 WHERE id = 'i7'");  // ordinals 1,2,4,5,6,7: last item moves first
  EXPECT_EQ(ids_from(0), (std::vector<std::string>{"i7", "i1", "i3", "i4", "i5", "i6"}));
  EXPECT_EQ(since(5), (std::vector<std::string>{"i6"}));
  edit(
      "INSERT INTO event_log (ordinal, id, kind, text, sensitivity, metadata) VALUES "
      "(3, 'x', 'user_turn', 't', 'public', '{}')");  // now exactly 1..7 again
  EXPECT_EQ(ids_from(2), (std::vector<std::string>{"x", "i3", "i4", "i5", "i6"}));
  EXPECT_EQ(since(6), (std::vector<std::string>{"i6"}));
}

}  // namespace
