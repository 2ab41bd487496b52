// The read snapshot of SqliteDatabase (SqliteOptions::read_snapshot_idle_us,
// docs/storage.md): SqliteEventLog's reads keep one read transaction open
// between calls. These tests check that it never changes what a caller sees
// or writes: writes after reads commit at once, transactions can begin,
// other stores on the connection read the latest state, and an idle
// snapshot is ended so that other connections can checkpoint the log.
// (Visibility of other connections', processes' and plain SQLite's commits
// is covered by sqlite_event_log_cache_test.cpp, whose cache-off cases read
// through the snapshot.)
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"
#include "store/store_test_items.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

ContextItem make(int i, std::optional<int> parent = std::nullopt) {
  return cwtest::make_event(i, parent);
}

// Options with the item cache off, so every read goes to SQLite.
SqliteOptions uncached(int idle_us = 1000) {
  SqliteOptions o;
  o.read_cache_items = 0;
  o.read_snapshot_idle_us = idle_us;
  return o;
}

// A plain SQLite connection (SQLite's default VFS), as another program.
class PlainConnection {
 public:
  explicit PlainConnection(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    // A first read, so the connection knows the file is in WAL mode (a
    // checkpoint before it reports "not in WAL mode").
    EXPECT_EQ(sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ~PlainConnection() { sqlite3_close(db_); }
  PlainConnection(const PlainConnection&) = delete;
  PlainConnection& operator=(const PlainConnection&) = delete;

  std::int64_t count() {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT COUNT(*) FROM event_log", -1, &st, nullptr);
    std::int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }
  // A TRUNCATE checkpoint without waiting: whether it copied the whole log
  // and emptied it (it cannot while another connection holds a read
  // snapshot: SQLITE_BUSY).
  bool truncate_checkpoint() {
    int log = -1;
    int copied = -1;
    const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &copied);
    return rc == SQLITE_OK && log == 0;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Whether `db` is in its read snapshot now (asked under its mutex, as the stores do).
bool in_snapshot(SqliteDatabase& db) {
  std::lock_guard lock(db.mutex());
  return db.in_read_snapshot();
}

TEST(SqliteReadSnapshot, ReadsOpenASnapshotAndWritesEndIt) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  auto db = SqliteDatabase::open(path, uncached());
  SqliteEventLog log(db);
  log.append(make(0));
  (void)log.get("ev000000");
  EXPECT_TRUE(in_snapshot(*db));
  // The append after the read is committed at once: another program sees it.
  log.append(make(1, 0));
  EXPECT_FALSE(in_snapshot(*db));
  PlainConnection other(path);
  EXPECT_EQ(other.count(), 2);
  // And reads on the same connection see it too.
  EXPECT_EQ(log.children("ev000000").size(), 1u);
  EXPECT_EQ(log.count(), 2u);
}

TEST(SqliteReadSnapshot, AppendManyAndTransactionsAfterReads) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  auto db = SqliteDatabase::open(path, uncached());
  SqliteEventLog log(db);
  log.append(make(0));
  (void)log.tail(5);
  const std::vector<ContextItem> batch{make(1, 0), make(2, 0)};
  log.append_many(batch);
  (void)log.count();
  // A transaction begun after reads (the gateway's pattern) commits both writes together.
  run_in_transaction(*db, [&] {
    log.append(make(3, 0));
    log.append(make(4, 0));
  });
  (void)log.get("ev000004");
  EXPECT_THROW(run_in_transaction(*db,
                                  [&] {
                                    log.append(make(5, 0));
                                    throw std::runtime_error("abort");
                                  }),
               std::runtime_error);
  EXPECT_THROW((void)log.get("ev000005"), ItemNotFoundError);
  PlainConnection other(path);
  EXPECT_EQ(other.count(), 5);
  EXPECT_EQ(log.count(), 5u);
}

TEST(SqliteReadSnapshot, OtherStoresOnTheConnectionReadTheLatestState) {
  cwtest::TempDir dir;
  const std::string path = (dir / "shared.db").string();
  auto db = SqliteDatabase::open(path, uncached());
  SqliteEventLog log(db);
  SqliteFactStore facts(db);
  SqliteFactStore other_facts(path);  // another connection
  log.append(make(0));
  (void)log.get("ev000000");  // the shared connection is now in its snapshot
  other_facts.put(Fact{"f1", "k", "v", {}, Json::object()});
  EXPECT_EQ(facts.get("f1").value, "v");
  (void)log.get("ev000000");
  other_facts.put(Fact{"f2", "k", "w", {}, Json::object()});
  EXPECT_EQ(facts.get_by_key("k").size(), 2u);
}

TEST(SqliteReadSnapshot, SeesCommitsOfAnotherConnectionBetweenReads) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  SqliteEventLog writer(path, uncached());
  SqliteEventLog reader(path, uncached());
  writer.append(make(0));
  for (int i = 1; i <= 50; ++i) {
    EXPECT_EQ(reader.count(), static_cast<std::size_t>(i));
    EXPECT_THROW((void)reader.get(make(i).id), ItemNotFoundError);
    writer.append(make(i, 0));
    EXPECT_EQ(reader.get(make(i).id).id, make(i).id);
    EXPECT_EQ(reader.children("ev000000").size(), static_cast<std::size_t>(i));
    EXPECT_EQ(reader.tail(1).front().id, make(i).id);
  }
}

TEST(SqliteReadSnapshot, AnIdleSnapshotIsEndedSoOthersCanCheckpoint) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  // Held for half an hour when idle: a checkpoint cannot empty the log meanwhile.
  {
    auto db = SqliteDatabase::open(path, uncached(1800 * 1000 * 1000));
    SqliteEventLog log(db);
    log.append(make(0));
    PlainConnection other(path);
    (void)log.get("ev000000");
    log.append(make(1, 0));  // a frame the snapshot below cannot let go of
    (void)log.get("ev000001");
    EXPECT_FALSE(other.truncate_checkpoint());
    std::lock_guard lock(db->mutex());
    db->end_read_snapshot();
  }
  // With 1 ms, the background thread ends it soon after the last read.
  auto db = SqliteDatabase::open(path, uncached(1000));
  SqliteEventLog log(db);
  PlainConnection other(path);
  log.append(make(2, 0));
  (void)log.get("ev000002");
  bool checkpointed = false;
  for (int attempt = 0; attempt < 2000 && !checkpointed; ++attempt) {
    checkpointed = other.truncate_checkpoint();
    if (!checkpointed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(checkpointed);
  EXPECT_FALSE(in_snapshot(*db));
}

TEST(SqliteReadSnapshot, OffMeansNoSnapshot) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "log.db").string(), uncached(0));
  SqliteEventLog log(db);
  log.append(make(0));
  (void)log.get("ev000000");
  (void)log.tail(1);
  EXPECT_FALSE(in_snapshot(*db));
}

TEST(SqliteReadSnapshot, InMemoryDatabasesReadWithoutSnapshot) {
  auto db = SqliteDatabase::open(":memory:", uncached());
  SqliteEventLog log(db);
  log.append(make(0));
  (void)log.get("ev000000");
  EXPECT_FALSE(in_snapshot(*db));
}

// Run under ThreadSanitizer in CI (the *Thread* filter): readers on a shared
// connection and on their own, a writer, and the background thread ending
// idle snapshots, all at once.
TEST(SqliteReadSnapshot, ThreadsReadWriteAndIdleEndingTogether) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  auto shared = SqliteDatabase::open(path, uncached(200));
  SqliteEventLog shared_log(shared);
  shared_log.append(make(0));
  constexpr int kAppends = 200;
  std::atomic<int> appended{1};
  std::atomic<bool> failed{false};
  std::thread writer([&] {
    SqliteEventLog log(path, uncached(200));
    for (int i = 1; i <= kAppends; ++i) {
      log.append(make(i, 0));
      appended.store(i + 1);
      if (i % 20 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  auto reader = [&](const SqliteEventLog& log) {
    while (appended.load() <= kAppends) {
      const int seen = appended.load();
      // Everything acknowledged before this read began must be visible.
      if (log.count() < static_cast<std::size_t>(seen)) failed.store(true);
      if (log.children("ev000000").size() + 1 < static_cast<std::size_t>(seen)) failed.store(true);
      (void)log.get("ev000000");
      if (seen % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  };
  std::thread shared_reader([&] { reader(shared_log); });
  std::thread own_reader([&] {
    SqliteEventLog log(path, uncached(200));
    reader(log);
  });
  writer.join();
  shared_reader.join();
  own_reader.join();
  EXPECT_FALSE(failed.load());
  EXPECT_EQ(shared_log.count(), static_cast<std::size_t>(kAppends + 1));
}

}  // namespace
