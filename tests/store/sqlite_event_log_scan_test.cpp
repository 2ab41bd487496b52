// SqliteEventLog::scan beyond the conformance suite: a closed store, a store
// closed during the scan, and another connection appending between batches.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
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

}  // namespace
