// LayeredArtifactStore: the conformance suite over two layouts (both layers
// in memory; the session's SQLite table over its JSON-file folder, with
// reopen), then what layering adds: lookups fall through, puts and deletes
// leave one copy, list_refs merges.
#include "contextweaver/store/layered_artifact_store.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "store/artifact_store_conformance.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

struct LayeredInMemoryFactory {
  std::unique_ptr<ArtifactStore> create() {
    return std::make_unique<LayeredArtifactStore>(std::vector<std::shared_ptr<ArtifactStore>>{
        std::make_shared<InMemoryArtifactStore>(), std::make_shared<InMemoryArtifactStore>()});
  }
};

struct LayeredSessionFactory {
  cwtest::TempDir dir;
  std::unique_ptr<ArtifactStore> create() {
    return std::make_unique<LayeredArtifactStore>(std::vector<std::shared_ptr<ArtifactStore>>{
        std::make_shared<SqliteArtifactStore>((dir / "session.db").string()),
        std::make_shared<JsonFileArtifactStore>((dir / "artifacts").string())});
  }
  std::unique_ptr<ArtifactStore> reopen() { return create(); }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(LayeredInMemory, ArtifactStoreConformance, ::testing::Types<LayeredInMemoryFactory>);
INSTANTIATE_TYPED_TEST_SUITE_P(LayeredSession, ArtifactStoreConformance, ::testing::Types<LayeredSessionFactory>);

namespace {

class LayeredArtifactStoreTest : public ::testing::Test {
 protected:
  std::shared_ptr<InMemoryArtifactStore> top_ = std::make_shared<InMemoryArtifactStore>();
  std::shared_ptr<InMemoryArtifactStore> bottom_ = std::make_shared<InMemoryArtifactStore>();
  LayeredArtifactStore store_{{top_, bottom_}};
};

TEST_F(LayeredArtifactStoreTest, ReadsFallThroughToLowerLayers) {
  bottom_->put("old", "from below", "text/plain", "legacy");
  EXPECT_TRUE(store_.exists("old"));
  EXPECT_EQ(store_.get("old"), "from below");
  EXPECT_EQ(store_.ref("old").label, "legacy");
  EXPECT_EQ(store_.drilldown("old", Json{{"type", "head"}, {"chars", 4}}), "from");
}

TEST_F(LayeredArtifactStoreTest, PutWritesTheFirstLayerAndRemovesShadowedCopies) {
  bottom_->put("h", "old bytes");
  store_.put("h", "new bytes");
  EXPECT_EQ(top_->get("h"), "new bytes");
  EXPECT_FALSE(bottom_->exists("h"));
  store_.delete_("h");
  EXPECT_FALSE(store_.exists("h"));  // nothing older resurfaces
}

TEST_F(LayeredArtifactStoreTest, FirstLayerWinsWhenBothHoldAHandle) {
  // As after a crash between put and the removal of the shadowed copy.
  top_->put("h", "new", "text/plain", "top");
  bottom_->put("h", "old", "text/plain", "bottom");
  EXPECT_EQ(store_.get("h"), "new");
  const auto refs = store_.list_refs();
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].label, "top");
  store_.delete_("h");
  EXPECT_FALSE(top_->exists("h"));
  EXPECT_FALSE(bottom_->exists("h"));
}

TEST_F(LayeredArtifactStoreTest, ListRefsMergesLayersInHandleOrder) {
  top_->put("b", "1");
  bottom_->put("a", "2");
  bottom_->put("c", "3");
  EXPECT_EQ(cwconf::handles_of(store_.list_refs()), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(LayeredArtifactStoreTest, MissingHandlesAreNotFoundInEveryMethod) {
  EXPECT_THROW(store_.get("none"), ArtifactNotFoundError);
  EXPECT_THROW(store_.ref("none"), ArtifactNotFoundError);
  EXPECT_THROW(store_.drilldown("none", Json{{"type", "head"}}), ArtifactNotFoundError);
  EXPECT_THROW(store_.delete_("none"), ArtifactNotFoundError);
  EXPECT_EQ(cwtest::error_of<ArtifactNotFoundError>([&] { store_.get("none"); }), "Artifact not found: 'none'");
}

TEST(LayeredArtifactStore, RejectsNoLayersAndNullLayers) {
  EXPECT_THROW(LayeredArtifactStore({}), ConfigError);
  EXPECT_THROW(LayeredArtifactStore({std::make_shared<InMemoryArtifactStore>(), nullptr}), ConfigError);
}

TEST(LayeredArtifactStore, InvalidHandlesAreRefusedByTheFileLayer) {
  cwtest::TempDir dir;
  LayeredArtifactStore store({std::make_shared<SqliteArtifactStore>((dir / "session.db").string()),
                              std::make_shared<JsonFileArtifactStore>((dir / "artifacts").string())});
  EXPECT_THROW(store.get("../x"), ContextWeaverError);
  EXPECT_FALSE(std::filesystem::exists(dir / "x"));
}

}  // namespace
