// SqliteEventLog::append_many writes rows several per INSERT statement; its
// errors are still those of appending the items one by one, in order: the
// first item that is invalid or a duplicate decides, and nothing is written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

std::vector<ContextItem> batch(int n, int first = 0) {
  std::vector<ContextItem> out;
  for (int i = first; i < first + n; ++i) {
    ContextItem item;
    item.id = "b" + std::to_string(i);
    item.kind = i % 3 == 0 ? ItemKind::user_turn : ItemKind::tool_result;
    item.text = "text " + std::to_string(i);
    item.token_estimate = i;
    item.metadata = Json::object({{"i", i}});
    if (i % 3 != 0) item.parent_id = "b" + std::to_string(i - i % 3);
    if (i % 7 == 0) item.artifact_ref = ArtifactRef{"h" + std::to_string(i), "text/plain", 10, "label", ""};
    out.push_back(std::move(item));
  }
  return out;
}

std::string error_of(SqliteEventLog& log, const std::vector<ContextItem>& items) {
  try {
    log.append_many(items);
  } catch (const DuplicateItemError& e) {
    return std::string("duplicate: ") + e.what();
  } catch (const ValueError& e) {
    return std::string("value: ") + e.what();
  }
  return "none";
}

class SqliteEventLogBatch : public ::testing::Test {
 protected:
  cwtest::TempDir dir_;
  SqliteEventLog log_{(dir_ / "batch.db").string()};
};

TEST_F(SqliteEventLogBatch, EveryFieldRoundTripsAtEveryBatchLength) {
  int first = 0;
  for (int n : {1, 31, 32, 33, 64, 100}) {
    const auto items = batch(n, first);
    log_.append_many(items);
    for (const auto& item : items) {
      const ContextItem got = log_.get(item.id);
      EXPECT_EQ(got.to_dict(), item.to_dict()) << item.id;
    }
    first += n;
  }
  EXPECT_EQ(log_.count(), static_cast<std::size_t>(first));
  EXPECT_EQ(log_.all().front().id, "b0");
  EXPECT_EQ(log_.all().back().id, "b" + std::to_string(first - 1));
}

TEST_F(SqliteEventLogBatch, DuplicateInALaterChunkNamesThatItemAndWritesNothing) {
  log_.append_many(batch(5));
  auto items = batch(100, 5);
  items[70].id = "b3";  // already in the log
  EXPECT_EQ(error_of(log_, items), "duplicate: Duplicate item id: 'b3'");
  items[70].id = "b90";  // repeated inside the batch (item 85 is b90)
  EXPECT_EQ(error_of(log_, items), "duplicate: Duplicate item id: 'b90'");
  EXPECT_EQ(log_.count(), 5u);
  EXPECT_THROW(log_.get("b50"), ItemNotFoundError);
}

TEST_F(SqliteEventLogBatch, TheFirstProblemInOrderDecides) {
  log_.append_many(batch(5));
  auto items = batch(100, 5);
  items[40].id = "b2";                   // duplicate first ...
  items[50].text = std::string("\xff");  // ... then invalid UTF-8 in the same chunk
  EXPECT_EQ(error_of(log_, items), "duplicate: Duplicate item id: 'b2'");
  items = batch(100, 5);
  items[40].text = std::string("\xff");  // invalid first ...
  items[50].id = "b2";                   // ... then a duplicate
  EXPECT_EQ(error_of(log_, items).rfind("value: ", 0), 0u);
  EXPECT_EQ(log_.count(), 5u);
  log_.append_many(batch(100, 5));  // the clean batch still goes in
  EXPECT_EQ(log_.count(), 105u);
}

}  // namespace
