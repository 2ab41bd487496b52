// SqliteEventLog's read cache (docs/storage.md): answers are reused only
// while no connection commits, so every read sees commits made by another
// store object, another connection (including plain SQLite writing rows the
// library never changes itself) and another process.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "store/store_test_items.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

ContextItem make(int i, std::optional<int> parent = std::nullopt) {
  return cwtest::make_event(i, parent);
}

std::vector<std::string> ids(const std::vector<ContextItem>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.id);
  return out;
}

// Runs SQL through SQLite's default VFS (another connection, as another program would).
void plain_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// Reads everything the cache keeps, twice (the second time from the cache).
void read_twice(const SqliteEventLog& log) {
  for (int k = 0; k < 2; ++k) {
    (void)log.get("ev000001");
    (void)log.tail(3);
    (void)log.children("ev000000");
    (void)log.count();
  }
}

class SqliteEventLogCache : public ::testing::TestWithParam<std::size_t> {
 protected:
  SqliteOptions options() const {
    SqliteOptions o;
    o.read_cache_items = GetParam();
    return o;
  }
};

TEST_P(SqliteEventLogCache, SeesAppendsOfAnotherConnection) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  SqliteEventLog writer(path, options());
  SqliteEventLog reader(path, options());
  writer.append(make(0));
  writer.append(make(1, 0));
  read_twice(reader);
  EXPECT_EQ(ids(reader.tail(3)), (std::vector<std::string>{"ev000000", "ev000001"}));
  writer.append(make(2, 0));
  EXPECT_EQ(reader.count(), 3u);
  EXPECT_EQ(ids(reader.tail(3)), (std::vector<std::string>{"ev000000", "ev000001", "ev000002"}));
  EXPECT_EQ(ids(reader.children("ev000000")), (std::vector<std::string>{"ev000001", "ev000002"}));
  writer.append_many(std::vector<ContextItem>{make(3, 0), make(4)});
  EXPECT_EQ(reader.count(), 5u);
  EXPECT_EQ(ids(reader.tail(2)), (std::vector<std::string>{"ev000003", "ev000004"}));
  EXPECT_EQ(reader.children("ev000000").size(), 3u);
  EXPECT_EQ(reader.get("ev000004").text, "text 4");
}

TEST_P(SqliteEventLogCache, SeesItsOwnAndASharedConnectionsAppends) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "shared.db").string(), options());
  SqliteEventLog a(db);
  SqliteEventLog b(db);
  a.append(make(0));
  a.append(make(1, 0));
  read_twice(a);
  read_twice(b);
  b.append(make(2, 0));
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.tail(1).front().id, "ev000002");
  EXPECT_EQ(a.children("ev000000").size(), 2u);
  a.append(make(3, 0));
  EXPECT_EQ(a.count(), 4u);
  EXPECT_EQ(b.count(), 4u);
  EXPECT_EQ(a.children("ev000000").size(), 3u);
  EXPECT_EQ(b.tail(1).front().id, "ev000003");
}

// Inside a transaction opened on the connection (the MCP gateway records a
// result's artifact and event in one), reads see the connection's own
// uncommitted appends, and after a rollback nothing of them is remembered.
TEST_P(SqliteEventLogCache, ReadsInsideATransactionAreNeitherServedNorKept) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "tx.db").string(), options());
  SqliteEventLog log(db);
  log.append(make(0));
  for (int k = 0; k < 2; ++k) {  // fills the cache
    (void)log.get("ev000000");
    (void)log.tail(1);
    (void)log.children("ev000000");
    (void)log.count();
  }
  const auto exec = [&](const char* sql) {
    std::lock_guard lock(db->mutex());
    db->exec(sql);
  };
  exec("BEGIN IMMEDIATE");
  log.append(make(1, 0));
  EXPECT_EQ(log.count(), 2u);
  EXPECT_EQ(log.tail(1).front().id, "ev000001");
  EXPECT_EQ(log.children("ev000000").size(), 1u);
  EXPECT_EQ(log.get("ev000001").text, "text 1");
  exec("ROLLBACK");
  EXPECT_EQ(log.count(), 1u);
  EXPECT_EQ(log.tail(1).front().id, "ev000000");
  EXPECT_TRUE(log.children("ev000000").empty());
  EXPECT_THROW(log.get("ev000001"), ItemNotFoundError);
}

// Rows changed or deleted behind the library's back (the library never does
// either) are seen too: the cache holds nothing across any commit.
TEST_P(SqliteEventLogCache, SeesUpdatesAndDeletesByOtherPrograms) {
  cwtest::TempDir dir;
  const std::string path = (dir / "foreign.db").string();
  SqliteEventLog log(path, options());
  log.append(make(0));
  log.append(make(1, 0));
  log.append(make(2, 0));
  read_twice(log);
  plain_exec(path, "UPDATE event_log SET text = 'changed' WHERE id = 'ev000001'");
  EXPECT_EQ(log.get("ev000001").text, "changed");
  EXPECT_EQ(log.tail(3)[1].text, "changed");
  EXPECT_EQ(log.children("ev000000").front().text, "changed");
  read_twice(log);
  plain_exec(path, "DELETE FROM event_log WHERE id = 'ev000001'");
  EXPECT_THROW(log.get("ev000001"), ItemNotFoundError);
  EXPECT_EQ(log.count(), 2u);
  EXPECT_EQ(ids(log.tail(3)), (std::vector<std::string>{"ev000000", "ev000002"}));
  EXPECT_EQ(ids(log.children("ev000000")), (std::vector<std::string>{"ev000002"}));
}

TEST_P(SqliteEventLogCache, SeesAppendsOfAnotherProcess) {
  cwtest::TempDir dir;
  const std::string path = (dir / "proc.db").string();
  SqliteEventLog log(path, options());
  log.append(make(0));
  log.append(make(1, 0));
  for (int round = 0; round < 3; ++round) {
    read_twice(log);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      try {
        SqliteEventLog child(path, options());
        child.append(make(10 + round, 0));
      } catch (...) {
        _exit(2);
      }
      _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(log.count(), static_cast<std::size_t>(3 + round));
    EXPECT_EQ(log.tail(1).front().id, make(10 + round).id);
    EXPECT_EQ(log.children("ev000000").size(), static_cast<std::size_t>(2 + round));
    EXPECT_EQ(log.get(make(10 + round).id).text, make(10 + round).text);
  }
}

// The cache is bounded: more distinct gets than it holds still answer right.
TEST_P(SqliteEventLogCache, ManyDistinctReads) {
  cwtest::TempDir dir;
  SqliteEventLog log((dir / "many.db").string(), options());
  std::vector<ContextItem> items;
  for (int i = 0; i < 100; ++i) items.push_back(i % 2 == 0 ? make(i) : make(i, i - 1));
  log.append_many(items);
  for (int pass = 0; pass < 3; ++pass) {
    for (int i = 0; i < 100; ++i) {
      ASSERT_EQ(log.get(items[static_cast<std::size_t>(i)].id).text, items[static_cast<std::size_t>(i)].text);
      if (i % 2 == 0) {
        ASSERT_EQ(log.children(items[static_cast<std::size_t>(i)].id).size(), 1u);
      }
      ASSERT_EQ(log.tail(i + 1).size(), static_cast<std::size_t>(i + 1));
    }
  }
  EXPECT_EQ(log.count(), 100u);
}

// Big items fill the cache's byte budget (32 MiB) long before its item
// count; one item larger than a quarter of it is never kept. Answers stay right.
TEST_P(SqliteEventLogCache, LargeItems) {
  cwtest::TempDir dir;
  SqliteEventLog log((dir / "large.db").string(), options());
  std::vector<ContextItem> items;
  for (int i = 0; i < 40; ++i) {
    items.push_back(make(i));
    items.back().text = std::string(i == 7 ? (10u << 20) : (1u << 20), static_cast<char>('a' + i % 26));
  }
  log.append_many(items);
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& item : items) ASSERT_EQ(log.get(item.id).text, item.text) << item.id;
    ASSERT_EQ(log.tail(3).back().text, items.back().text);
  }
}

// Off, a tiny cache (cleared often), and the default.
INSTANTIATE_TEST_SUITE_P(Sizes, SqliteEventLogCache, ::testing::Values(0, 8, SqliteOptions{}.read_cache_items));

}  // namespace
