// Concurrency of the SQLite stores: readers always see a prefix of the log
// while a writer appends, on one shared instance and on separate instances
// (separate connections) over one file. Named Threads* so that the
// ThreadSanitizer pass (scripts/run-tests) runs them.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

constexpr int kItems = 300;

std::string id_of(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "ev%05d", i);
  return buf;
}

ContextItem make(int i) {
  ContextItem item;
  item.id = id_of(i);
  item.kind = i % 2 == 0 ? ItemKind::user_turn : ItemKind::tool_result;
  item.text = "text " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 50), 'x');
  item.token_estimate = i;
  item.metadata = Json::object({{"i", i}});
  if (i % 2 == 1) item.parent_id = id_of(i - 1);
  return item;
}

// Items i0..i0+n-1 in order, each intact.
::testing::AssertionResult is_run(const std::vector<ContextItem>& items, int first) {
  for (std::size_t k = 0; k < items.size(); ++k) {
    const int i = first + static_cast<int>(k);
    if (!(items[k] == make(i))) return ::testing::AssertionFailure() << "position " << k << " is " << items[k].id;
  }
  return ::testing::AssertionSuccess();
}

// One reader's loop: every answer is consistent with a log that only grows.
void read_until(const EventLog& log, const std::atomic<bool>& done, std::atomic<int>& failures) {
  std::size_t last_count = 0;
  int rounds = 0;
  const std::vector<ItemKind> results{ItemKind::tool_result};
  auto fail = [&] { failures.fetch_add(1); };
  while (!done.load() || rounds < 3) {
    ++rounds;
    const std::size_t n = log.count();
    if (n < last_count) fail();
    last_count = n;
    const auto tail = log.tail(5);
    if (!tail.empty() && !is_run(tail, std::stoi(tail.front().id.substr(2)))) fail();
    if (tail.size() > 0 && static_cast<std::size_t>(std::stoi(tail.back().id.substr(2))) + 1 < n) fail();
    if (n > 0) {
      const int pick = static_cast<int>((n * 7919u + static_cast<std::size_t>(rounds)) % n);
      if (!(log.get(id_of(pick)) == make(pick))) fail();
      if (pick % 2 == 0) {
        const auto kids = log.children(id_of(pick));
        if (kids.size() > 1 || (kids.size() == 1 && !(kids[0] == make(pick + 1)))) fail();
      }
    }
    const auto firsts = log.query(results, std::nullopt, 4);
    for (std::size_t k = 0; k < firsts.size(); ++k) {
      if (!(firsts[k] == make(static_cast<int>(2 * k + 1)))) fail();
    }
    if (rounds % 10 == 0) {
      const auto everything = log.all();
      if (everything.size() < n || !is_run(everything, 0)) fail();
    }
  }
  // The writer has finished: every answer (cached or not) is the final log.
  if (log.count() != static_cast<std::size_t>(kItems)) fail();
  const auto last = log.tail(2);
  if (last.size() != 2 || !is_run(last, kItems - 2)) fail();
  if (log.children(id_of(kItems - 2)).size() != 1) fail();
}

TEST(ThreadsSqliteEventLog, SharedInstanceReadersSeeAPrefix) {
  cwtest::TempDir dir;
  SqliteEventLog log((dir / "log.db").string());
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) readers.emplace_back([&] { read_until(log, done, failures); });
  for (int i = 0; i < kItems; ++i) log.append(make(i));
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log.count(), static_cast<std::size_t>(kItems));
  EXPECT_TRUE(is_run(log.all(), 0));
}

TEST(ThreadsSqliteEventLog, SeparateInstancesOnOneFileSeeAPrefix) {
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  SqliteEventLog writer(path);
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      SqliteEventLog own(path);  // its own connection
      read_until(own, done, failures);
    });
  }
  for (int i = 0; i < kItems; i += 3) {
    // Mix single appends and batches.
    if (i % 2 == 0) {
      const std::vector<ContextItem> batch{make(i), make(i + 1), make(i + 2)};
      writer.append_many(batch);
    } else {
      for (int k = i; k < i + 3; ++k) writer.append(make(k));
    }
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  SqliteEventLog check(path);
  EXPECT_EQ(check.count(), static_cast<std::size_t>(kItems));
}

TEST(ThreadsSqliteEventLog, SeparateWritersOnOneFileLoseNothing) {
  // Two connections appending at once: the busy timeout serializes them.
  cwtest::TempDir dir;
  const std::string path = (dir / "log.db").string();
  { SqliteEventLog create(path); }
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      try {
        SqliteEventLog own(path);
        for (int i = w; i < 200; i += 2) own.append(make(i));
      } catch (const std::exception&) {
        failures.fetch_add(1);
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  SqliteEventLog check(path);
  EXPECT_EQ(check.count(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(check.get(id_of(i)), make(i));
}

TEST(ThreadsSqliteStores, StoresSharingOneConnection) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "shared.db").string());
  SqliteEventLog log(db);
  SqliteFactStore facts(db);
  std::atomic<int> failures{0};
  std::thread log_writer([&] {
    for (int i = 0; i < 200; ++i) log.append(make(i));
  });
  std::thread fact_writer([&] {
    for (int i = 0; i < 200; ++i) {
      facts.put(Fact{"f" + std::to_string(i), "k" + std::to_string(i % 7), "v", {}, Json::object()});
      if (facts.list_keys("k").empty()) failures.fetch_add(1);
    }
  });
  log_writer.join();
  fact_writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log.count(), 200u);
  EXPECT_EQ(facts.all().size(), 200u);
  log.close();  // the connection stays open for the fact store
  EXPECT_EQ(facts.get("f3").key, "k3");
}

}  // namespace
