// SqliteBackgroundCheckpointer: the writer's connection stops checkpointing
// itself, the background thread copies the WAL into the database file, and
// the automatic checkpoint comes back when the checkpointer goes.
#include "contextweaver/store/sqlite_checkpointer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;
namespace fs = std::filesystem;

ContextItem item(int i) {
  return ContextItem{"item-" + std::to_string(i),
                     ItemKind::user_turn,
                     std::string(2000, 'x'),
                     0,
                     Sensitivity::public_,
                     Json::object(),
                     {},
                     {}};
}

std::int64_t autocheckpoint_of(SqliteDatabase& db) {
  std::lock_guard lock(db.mutex());
  return db.query_int("PRAGMA wal_autocheckpoint").value_or(-1);
}

TEST(SqliteBackgroundCheckpointer, TakesOverAndGivesBackTheAutomaticCheckpoint) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "s.db").string());
  EXPECT_EQ(autocheckpoint_of(*db), 1000);
  {
    SqliteBackgroundCheckpointer checkpointer(db);
    EXPECT_EQ(autocheckpoint_of(*db), 0);  // the connection's own hook is replaced
  }
  EXPECT_EQ(autocheckpoint_of(*db), 1000);
}

TEST(SqliteBackgroundCheckpointer, CopiesTheLogIntoTheDatabaseFileOffTheWritersPath) {
  cwtest::TempDir dir;
  const fs::path file = dir / "s.db";
  auto db = SqliteDatabase::open(file.string());
  SqliteEventLog log(db);
  SqliteBackgroundCheckpointer checkpointer(db, 16);
  const auto size_before = fs::file_size(file);
  for (int i = 0; i < 200; ++i) log.append(item(i));
  checkpointer.checkpoint_now();
  EXPECT_GE(checkpointer.completed_checkpoints(), 1);
  EXPECT_GT(fs::file_size(file), size_before + 100 * 2000);  // the items' pages reached the file
  EXPECT_EQ(log.count(), 200);
}

TEST(SqliteBackgroundCheckpointer, ARequestAfterTheLastCommitIsServed) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "s.db").string());
  SqliteEventLog log(db);
  SqliteBackgroundCheckpointer checkpointer(db, 1);
  for (int i = 0; i < 20; ++i) {
    log.append(item(i));
    checkpointer.checkpoint_now();  // returns only after an attempt that saw this commit
  }
  EXPECT_GT(fs::file_size(dir / "s.db"), 20u * 2000u);  // the last commit was copied too
  SqliteEventLog reader((dir / "s.db").string());
  EXPECT_EQ(reader.count(), 20);
}

// A writer that commits while every checkpoint runs never finds the log fully
// copied, so PASSIVE checkpoints alone let the log file grow without bound
// (every frame ever written stays in it); the RESTART once the log is large
// lets the writer start it over, so the file stays far smaller.
TEST(SqliteBackgroundCheckpointer, KeepsTheLogFileBoundedUnderAContinuousWriter) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "s.db").string());
  SqliteEventLog log(db);
  SqliteBackgroundCheckpointer checkpointer(db, 8);
  constexpr int kAppends = 6000;
  for (int i = 0; i < kAppends; ++i) {
    log.append(ContextItem{
        "small-" + std::to_string(i), ItemKind::user_turn, "x", 0, Sensitivity::public_, Json::object(), {}, {}});
  }
  // Each append writes at least two 4 KiB pages (the table and the id index):
  // a log never started over would hold at least this many bytes.
  const std::uintmax_t never_restarted = std::uintmax_t{kAppends} * 2u * 4096u;
  EXPECT_LT(fs::file_size(dir / "s.db-wal"), never_restarted / 2);
  EXPECT_EQ(log.count(), static_cast<std::size_t>(kAppends));
}

TEST(SqliteBackgroundCheckpointer, RefusesMemoryDatabasesAndBadThresholds) {
  cwtest::TempDir dir;
  EXPECT_THROW(SqliteBackgroundCheckpointer(SqliteDatabase::open(":memory:")), ConfigError);
  EXPECT_THROW(SqliteBackgroundCheckpointer(SqliteDatabase::open((dir / "s.db").string()), 0), ConfigError);
  EXPECT_THROW(SqliteBackgroundCheckpointer(nullptr), ConfigError);
  EXPECT_THROW(SqliteBackgroundCheckpointer(SqliteDatabase::open((dir / "s.db").string()), 1 << 30), ConfigError);
}

}  // namespace
