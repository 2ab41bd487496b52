// The WAL-batching VFS (src/store/sqlite_wal_vfs.cpp): commits written with
// one system call are visible at once to other connections and processes,
// including plain SQLite connections that do not use this VFS, and commits
// larger than one write (big append_many batches, overflow pages) arrive whole.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

ContextItem make(int i, std::size_t text_size = 200) {
  ContextItem item;
  char id[32];
  std::snprintf(id, sizeof id, "ev%06d", i);
  item.id = id;
  item.kind = i % 2 == 0 ? ItemKind::user_turn : ItemKind::tool_result;
  item.text = "text " + std::to_string(i) + " " + std::string(text_size, static_cast<char>('a' + i % 26));
  item.metadata = Json::object({{"i", i}});
  if (i % 2 == 1) item.parent_id = make(i - 1).id;
  return item;
}

// Row count and integrity as seen by SQLite's default VFS (no batching).
std::pair<std::int64_t, std::string> plain_sqlite_view(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto one = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    std::string text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return text;
  };
  const std::int64_t rows = std::stoll(one("SELECT COUNT(*) FROM event_log"));
  const std::string check = one("PRAGMA integrity_check");
  sqlite3_close(db);
  return {rows, check};
}

TEST(SqliteWalVfs, EachAppendIsVisibleToAnotherConnectionAtOnce) {
  cwtest::TempDir dir;
  const std::string path = (dir / "two.db").string();
  SqliteEventLog writer(path);
  SqliteEventLog reader(path);
  for (int i = 0; i < 300; ++i) {
    writer.append(make(i));
    ASSERT_EQ(reader.count(), static_cast<std::size_t>(i + 1));
    ASSERT_EQ(reader.get(make(i).id).text, make(i).text);
    ASSERT_EQ(reader.tail(1).front().id, make(i).id);
    ASSERT_EQ(plain_sqlite_view(path).first, i + 1);
  }
}

TEST(SqliteWalVfs, LargeBatchesAndOverflowPagesArriveWhole) {
  cwtest::TempDir dir;
  const std::string path = (dir / "big.db").string();
  std::vector<ContextItem> items;
  for (int i = 0; i < 3000; ++i) items.push_back(make(i, i % 100 == 0 ? 300000 : 500));
  {
    SqliteEventLog log(path);
    SqliteEventLog reader(path);
    log.append_many(std::span<const ContextItem>(items).first(2000));
    EXPECT_EQ(reader.count(), 2000u);
    for (int i = 2000; i < 3000; ++i) log.append(items[static_cast<std::size_t>(i)]);
    EXPECT_EQ(reader.count(), 3000u);
    EXPECT_EQ(reader.get(items[2900].id).text, items[2900].text);
  }
  const auto [rows, check] = plain_sqlite_view(path);
  EXPECT_EQ(rows, 3000);
  EXPECT_EQ(check, "ok");
  SqliteEventLog reopened(path);
  const auto all = reopened.all();
  ASSERT_EQ(all.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) ASSERT_EQ(all[i].text, items[i].text) << i;
}

// Another process appends while this one reads and appends: both see every
// committed item of the other, and the file stays consistent.
TEST(SqliteWalVfs, TwoProcessesSeeEachOthersCommits) {
  cwtest::TempDir dir;
  const std::string path = (dir / "procs.db").string();
  { SqliteEventLog create(path); }
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(go[1]);
    char c = 0;
    if (read(go[0], &c, 1) != 1) _exit(3);
    try {
      SqliteEventLog log(path);
      for (int i = 0; i < 500; ++i) log.append(make(100000 + i));
      std::vector<ContextItem> batch;
      for (int i = 0; i < 500; ++i) batch.push_back(make(200000 + i));
      log.append_many(batch);
    } catch (...) {
      _exit(2);
    }
    _exit(0);
  }
  close(go[0]);
  SqliteEventLog log(path);
  ASSERT_EQ(write(go[1], "x", 1), 1);
  close(go[1]);
  for (int i = 0; i < 500; ++i) {
    log.append(make(i));
    (void)log.count();
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(log.count(), 1500u);
  EXPECT_EQ(log.get(make(200499).id).text, make(200499).text);
  EXPECT_EQ(log.get(make(100499).id).text, make(100499).text);
  EXPECT_EQ(log.tail(1).size(), 1u);
  const auto [rows, check] = plain_sqlite_view(path);
  EXPECT_EQ(rows, 1500);
  EXPECT_EQ(check, "ok");
}

}  // namespace
