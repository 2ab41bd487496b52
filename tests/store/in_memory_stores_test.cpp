// In-memory artifact, fact and episodic stores beyond the conformance suites:
// serialisation (tests/test_store_artifacts.py, test_store_facts.py,
// test_store_episodic.py) and DECISIONS.md S4.
#include <gtest/gtest.h>

#include <type_traits>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_episodic_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/in_memory_fact_store.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "store/artifact_store_conformance.hpp"

namespace {

using namespace contextweaver;

// test_protocols.py: test_{event_log,artifact_store,episodic_store,fact_store}_is_runtime_checkable.
static_assert(std::is_base_of_v<EventLog, InMemoryEventLog>);
static_assert(std::is_base_of_v<ArtifactStore, InMemoryArtifactStore>);
static_assert(std::is_base_of_v<ArtifactStore, JsonFileArtifactStore>);
static_assert(std::is_base_of_v<EpisodicStore, InMemoryEpisodicStore>);
static_assert(std::is_base_of_v<FactStore, InMemoryFactStore>);

// test_to_dict: the reference's "refs" list, plus the bytes under "data".
TEST(InMemoryArtifactStore, ToDict) {
  InMemoryArtifactStore store;
  store.put("h1", "hello", "text/plain", "greeting");
  EXPECT_EQ(dumps(store.to_dict()),
            R"({"refs": [{"handle": "h1", "media_type": "text/plain", "size_bytes": 5, "label": "greeting"}], )"
            R"("data": {"h1": "aGVsbG8="}})");
}

// test_from_dict_restores_metadata: a round trip keeps refs and bytes.
TEST(InMemoryArtifactStore, FromDictRestoresMetadataAndBytes) {
  InMemoryArtifactStore store;
  store.put("h1", "hello", "text/plain", "greeting");
  store.put("h2", "world", "application/json");
  std::string binary("\0\x01\xFF\xFEz", 5);
  store.put("bin", binary);
  const auto restored = InMemoryArtifactStore::from_dict(store.to_dict());
  EXPECT_EQ(cwconf::handles_of(restored->list_refs()), (cwconf::Ids{"bin", "h1", "h2"}));
  EXPECT_EQ(restored->ref("h1"), (ArtifactRef{"h1", "text/plain", 5, "greeting", ""}));
  EXPECT_EQ(restored->get("h2"), "world");
  EXPECT_EQ(restored->get("bin"), binary);
  EXPECT_TRUE(restored->exists("h1"));
}

// test_from_dict_empty
TEST(InMemoryArtifactStore, FromDictEmpty) {
  EXPECT_TRUE(InMemoryArtifactStore::from_dict(loads(R"({"refs": []})"))->list_refs().empty());
  EXPECT_TRUE(InMemoryArtifactStore::from_dict(Json::object())->list_refs().empty());
}

// test_from_dict_no_raw_bytes, with S4: a ref restored without its bytes (the
// reference's to_dict shape) is missing everywhere, not half-present.
TEST(InMemoryArtifactStore, FromDictWithoutBytesIsMissingEverywhere) {
  const auto restored = InMemoryArtifactStore::from_dict(
      loads(R"({"refs": [{"handle": "h1", "media_type": "m", "size_bytes": 4, "label": ""}]})"));
  EXPECT_FALSE(restored->exists("h1"));
  EXPECT_THROW(restored->ref("h1"), ArtifactNotFoundError);
  EXPECT_THROW(restored->metadata("h1"), ArtifactNotFoundError);
  EXPECT_THROW(restored->get("h1"), ArtifactNotFoundError);
  EXPECT_THROW(restored->drilldown("h1", loads(R"({"type":"head"})")), ArtifactNotFoundError);
  EXPECT_THROW(restored->delete_("h1"), ArtifactNotFoundError);
  EXPECT_TRUE(restored->list_refs().empty());
  // It can be put again normally.
  restored->put("h1", "data");
  EXPECT_TRUE(restored->exists("h1"));
}

TEST(InMemoryArtifactStore, FromDictRejectsMalformedInput) {
  EXPECT_THROW(InMemoryArtifactStore::from_dict(loads("[]")), TypeError);
  EXPECT_THROW(InMemoryArtifactStore::from_dict(loads(R"({"refs": {}})")), TypeError);
  EXPECT_THROW(InMemoryArtifactStore::from_dict(loads(R"({"refs": [{"handle": "h"}]})")), KeyError);
  const std::string ref = R"({"handle": "h", "media_type": "m", "size_bytes": 5})";
  EXPECT_THROW(InMemoryArtifactStore::from_dict(loads(R"({"refs": [)" + ref + R"(], "data": {"h": "!!!!"}})")),
               ValueError);
  EXPECT_THROW(InMemoryArtifactStore::from_dict(loads(R"({"refs": [)" + ref + R"(], "data": {"h": "aGk="}})")),
               ValueError);  // 2 bytes, size_bytes says 5
  EXPECT_THROW(InMemoryArtifactStore::from_dict(loads(R"({"refs": [)" + ref + R"(], "data": {"h": 5}})")), TypeError);
  EXPECT_EQ(
      InMemoryArtifactStore::from_dict(loads(R"({"refs": [)" + ref + R"(], "data": {"h": "aGVsbG8="}})"))->get("h"),
      "hello");
}

// test_roundtrip (facts) / test_fact_roundtrip
TEST(InMemoryFactStore, RoundTrip) {
  InMemoryFactStore store;
  Fact f{"f2", "color", "red", {"t1", "t2"}, {{"src", "user"}}};
  store.put(f);
  store.put(Fact{"f1", "size", "42", {}, Json::object()});
  const Json dict = store.to_dict();
  EXPECT_EQ(dumps(dict), R"({"facts": [{"fact_id": "f1", "key": "size", "value": "42", "tags": [], "metadata": {}}, )"
                         R"({"fact_id": "f2", "key": "color", "value": "red", "tags": ["t1", "t2"], "metadata": )"
                         R"({"src": "user"}}]})");
  const auto restored = InMemoryFactStore::from_dict(dict);
  EXPECT_EQ(restored->get("f2"), f);
  EXPECT_EQ(restored->get("f1").value, "42");
  EXPECT_EQ(Fact::from_dict(f.to_dict()), f);
  // Later duplicates win.
  const auto dup = InMemoryFactStore::from_dict(
      loads(R"({"facts": [{"fact_id": "a", "key": "k", "value": "1"}, {"fact_id": "a", "key": "k", "value": "2"}]})"));
  EXPECT_EQ(dup->get("a").value, "2");
  EXPECT_EQ(InMemoryFactStore::from_dict(Json::object())->all().size(), 0u);
  EXPECT_THROW(InMemoryFactStore::from_dict(loads(R"({"facts": 3})")), TypeError);
}

// test_roundtrip (episodic) / test_episode_roundtrip
TEST(InMemoryEpisodicStore, RoundTrip) {
  InMemoryEpisodicStore store;
  Episode e1{"e1", "summary one", {"a"}, {{"k", 1}}};
  store.add(e1);
  store.add(Episode{"e0", "summary zero", {}, Json::object()});
  const Json dict = store.to_dict();
  EXPECT_EQ(dumps(dict), R"({"episodes": [{"episode_id": "e1", "summary": "summary one", "tags": ["a"], )"
                         R"("metadata": {"k": 1}}, {"episode_id": "e0", "summary": "summary zero", "tags": [], )"
                         R"("metadata": {}}]})");
  const auto restored = InMemoryEpisodicStore::from_dict(dict);
  ASSERT_TRUE(restored->get("e1"));
  EXPECT_EQ(restored->get("e1")->tags, (cwconf::Ids{"a"}));
  EXPECT_EQ(*restored->get("e1"), e1);
  EXPECT_EQ(Episode::from_dict(e1.to_dict()), e1);
  EXPECT_EQ(restored->all().size(), 2u);
  EXPECT_THROW(InMemoryEpisodicStore::from_dict(loads(R"({"episodes": {}})")), TypeError);
}

}  // namespace
