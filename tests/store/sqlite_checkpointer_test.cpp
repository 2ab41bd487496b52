// SqliteBackgroundCheckpointer: the writer's connection stops checkpointing
// itself, the background thread copies the WAL into the database file, and
// the automatic checkpoint comes back when the checkpointer goes.
#include "contextweaver/store/sqlite_checkpointer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;
namespace fs = std::filesystem;

ContextItem item(int i, std::string text = std::string(2000, 'x')) {
  return ContextItem{"item-" + std::to_string(i),
                     ItemKind::user_turn,
                     std::move(text),
                     0,
                     Sensitivity::public_,
                     Json::object(),
                     {},
                     {}};
}

// Rows of event_log in the database file alone, without the WAL.
std::int64_t rows_in_database_file(const fs::path& file) {
  sqlite3* db = nullptr;
  const std::string uri = "file:" + file.string() + "?immutable=1";
  std::int64_t rows = -1;
  if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM event_log", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      rows = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return rows;
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
  // The last commit reached the database file itself: a reader of the file
  // alone (immutable=1 ignores the WAL) sees all 20 rows.
  EXPECT_EQ(rows_in_database_file(dir / "s.db"), 20);
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
    log.append(item(i, "x"));
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
