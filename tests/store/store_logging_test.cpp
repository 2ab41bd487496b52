// tests/test_logging.py: the store logger and its DEBUG messages.
#include <gtest/gtest.h>

#include <mutex>

#include "contextweaver/core/log.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_episodic_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/in_memory_fact_store.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

struct Record {
  LogLevel level;
  std::string logger;
  std::string message;
};

class StoreLogging : public ::testing::Test {
 protected:
  void SetUp() override {
    set_log_sink([this](LogLevel level, std::string_view logger, std::string_view message) {
      std::lock_guard lock(mutex_);
      records_.push_back({level, std::string(logger), std::string(message)});
    });
  }
  void TearDown() override { set_log_sink({}); }
  // The one DEBUG record of logger contextweaver.store containing all the parts.
  bool logged(std::initializer_list<std::string_view> parts) {
    std::lock_guard lock(mutex_);
    for (const auto& r : records_) {
      if (r.level != LogLevel::debug || r.logger != "contextweaver.store") continue;
      bool all = true;
      for (auto part : parts) all = all && r.message.find(part) != std::string::npos;
      if (all) return true;
    }
    return false;
  }
  std::mutex mutex_;
  std::vector<Record> records_;
};

// test_event_log_append_emits_debug
TEST_F(StoreLogging, EventLogAppendEmitsDebug) {
  InMemoryEventLog log;
  ContextItem item;
  item.id = "item-42";
  item.kind = ItemKind::tool_call;
  log.append(item);
  EXPECT_TRUE(logged({"event_log.append", "id=item-42", "kind=tool_call"}));
}

// test_artifact_store_put_emits_debug
TEST_F(StoreLogging, ArtifactStorePutEmitsDebug) {
  InMemoryArtifactStore store;
  store.put("h1", "hello");
  EXPECT_TRUE(logged({"artifact_store.put", "handle=h1", "size=5"}));
  cwtest::TempDir dir;
  JsonFileArtifactStore files(dir / "a");
  EXPECT_TRUE(logged({"json_file_artifacts.init: base_dir="}));
  files.put("h2", "abc");
  EXPECT_TRUE(logged({"json_file_artifacts.put: handle=h2, size=3"}));
}

// test_episodic_store_add_emits_debug
TEST_F(StoreLogging, EpisodicStoreAddEmitsDebug) {
  InMemoryEpisodicStore store;
  store.add(Episode{"ep-7", "summary text", {}, Json::object()});
  EXPECT_TRUE(logged({"episodic_store.add", "id=ep-7"}));
  store.search("summary", 1);
  EXPECT_TRUE(logged({"episodic_store.search: query_len=7, results=1"}));
}

// test_fact_store_put_emits_debug
TEST_F(StoreLogging, FactStorePutEmitsDebug) {
  InMemoryFactStore store;
  store.put(Fact{"f-1", "color", "blue", {}, Json::object()});
  EXPECT_TRUE(logged({"fact_store.put", "id=f-1", "key=color"}));
}

// test_logger_exists[contextweaver.store]: every store message uses that logger name.
TEST_F(StoreLogging, LoggerNameIsContextweaverStore) {
  InMemoryEventLog log;
  ContextItem item;
  item.id = "x";
  log.append(item);
  std::lock_guard lock(mutex_);
  ASSERT_FALSE(records_.empty());
  for (const auto& r : records_) EXPECT_EQ(r.logger, "contextweaver.store");
}

}  // namespace
