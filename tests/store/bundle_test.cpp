// StoreBundle (tests/test_store_bundle.py).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/bundle.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_episodic_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/in_memory_fact_store.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

// test_to_dict_structure: exactly the four keys, in order, all null.
TEST(StoreBundle, ToDictStructure) {
  EXPECT_EQ(dumps(StoreBundle{}.to_dict()),
            R"({"artifact_store": null, "event_log": null, "episodic_store": null, "fact_store": null})");
}

// test_from_dict_all_none
TEST(StoreBundle, FromDictAllNone) {
  const auto bundle = StoreBundle::from_dict(
      loads(R"({"artifact_store": null, "event_log": null, "episodic_store": null, "fact_store": null})"));
  EXPECT_FALSE(bundle.artifact_store);
  EXPECT_FALSE(bundle.event_log);
  EXPECT_FALSE(bundle.episodic_store);
  EXPECT_FALSE(bundle.fact_store);
  EXPECT_FALSE(StoreBundle::from_dict(Json::object()).event_log);
  EXPECT_THROW(StoreBundle::from_dict(loads("[]")), TypeError);
}

// test_roundtrip_with_all_stores
TEST(StoreBundle, RoundTripWithAllStores) {
  StoreBundle bundle{std::make_shared<InMemoryEventLog>(), std::make_shared<InMemoryArtifactStore>(),
                     std::make_shared<InMemoryEpisodicStore>(), std::make_shared<InMemoryFactStore>()};
  bundle.artifact_store->put("h1", "data", "text/plain");
  ContextItem item;
  item.id = "c1";
  item.text = "hello";
  bundle.event_log->append(item);
  bundle.episodic_store->add(Episode{"e1", "an episode", {"db"}, Json::object()});
  bundle.fact_store->put(Fact{"f1", "k", "v", {}, Json::object()});
  const auto restored = StoreBundle::from_dict(loads(dumps(bundle.to_dict())));
  ASSERT_TRUE(restored.artifact_store && restored.event_log && restored.episodic_store && restored.fact_store);
  EXPECT_EQ(restored.artifact_store->ref("h1").media_type, "text/plain");
  EXPECT_EQ(restored.event_log->get("c1").text, "hello");
  EXPECT_EQ(restored.episodic_store->get("e1")->tags, std::vector<std::string>{"db"});
  EXPECT_EQ(restored.fact_store->get("f1").value, "v");
}

// test_roundtrip_partial_stores: only the event log is set.
TEST(StoreBundle, RoundTripPartialStores) {
  StoreBundle bundle;
  bundle.event_log = std::make_shared<InMemoryEventLog>();
  const Json dict = bundle.to_dict();
  EXPECT_EQ(dumps(dict), R"({"artifact_store": null, "event_log": {"items": []}, "episodic_store": null, )"
                         R"("fact_store": null})");
  const auto restored = StoreBundle::from_dict(dict);
  ASSERT_TRUE(restored.event_log);
  EXPECT_EQ(restored.event_log->count(), 0u);
  EXPECT_FALSE(restored.artifact_store);
  EXPECT_FALSE(restored.episodic_store);
  EXPECT_FALSE(restored.fact_store);
}

// A persistent store's state is not serialised; {} restores an empty in-memory store.
TEST(StoreBundle, PersistentStoresSerialiseAsNull) {
  cwtest::TempDir dir;
  StoreBundle bundle;
  bundle.artifact_store = std::make_shared<JsonFileArtifactStore>(dir / "a");
  bundle.artifact_store->put("h", "x");
  EXPECT_TRUE(bundle.to_dict()["artifact_store"].is_null());
  const auto restored = StoreBundle::from_dict(loads(R"({"artifact_store": {}})"));
  ASSERT_TRUE(restored.artifact_store);
  EXPECT_NE(dynamic_cast<InMemoryArtifactStore*>(restored.artifact_store.get()), nullptr);
  EXPECT_TRUE(restored.artifact_store->list_refs().empty());
}

}  // namespace
