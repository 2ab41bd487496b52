// The four store conformance suites run against the SQLite backends: each on
// its own file, the event log also in memory, and each store once more on a
// connection shared with the three other SQLite stores (one file, one
// connection, four version tables).
#include <memory>

#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"
#include "store/artifact_store_conformance.hpp"
#include "store/episodic_store_conformance.hpp"
#include "store/event_log_conformance.hpp"
#include "store/fact_store_conformance.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

// A store of type Store on its own file in a per-test folder.
template <class Interface, class Store>
struct SqliteFileFactory {
  cwtest::TempDir dir;
  std::unique_ptr<Interface> create() { return std::make_unique<Store>((dir / "store.db").string()); }
  std::unique_ptr<Interface> reopen() { return create(); }
};

struct SqliteMemoryEventLogFactory {
  std::unique_ptr<EventLog> create() { return std::make_unique<SqliteEventLog>(":memory:"); }
};

// A store of type Store on a connection that the three other SQLite stores
// also use, so every suite also checks that the stores coexist in one file.
template <class Interface, class Store>
struct SqliteSharedFactory {
  cwtest::TempDir dir;
  std::shared_ptr<SqliteDatabase> db;
  std::unique_ptr<SqliteEventLog> log;
  std::unique_ptr<SqliteFactStore> facts;
  std::unique_ptr<SqliteEpisodicStore> episodes;
  std::unique_ptr<SqliteArtifactStore> artifacts;

  std::unique_ptr<Interface> create() {
    db = SqliteDatabase::open((dir / "shared.db").string());
    log = std::make_unique<SqliteEventLog>(db);
    facts = std::make_unique<SqliteFactStore>(db);
    episodes = std::make_unique<SqliteEpisodicStore>(db);
    artifacts = std::make_unique<SqliteArtifactStore>(db);
    // Other stores' rows must not leak into the store under test.
    log->append(ContextItem{"companion", ItemKind::user_turn, "x", 0, Sensitivity::public_, Json::object(), {}, {}});
    if constexpr (!std::is_same_v<Store, SqliteFactStore>) facts->put(Fact{"companion", "k", "v", {}, Json::object()});
    return std::make_unique<Store>(db);
  }
  std::unique_ptr<Interface> reopen() {
    log.reset();
    facts.reset();
    episodes.reset();
    artifacts.reset();
    db = SqliteDatabase::open((dir / "shared.db").string());
    return std::make_unique<Store>(db);
  }
};

using EventLogFile = SqliteFileFactory<EventLog, SqliteEventLog>;
using FactFile = SqliteFileFactory<FactStore, SqliteFactStore>;
using EpisodicFile = SqliteFileFactory<EpisodicStore, SqliteEpisodicStore>;
using ArtifactFile = SqliteFileFactory<ArtifactStore, SqliteArtifactStore>;
using FactShared = SqliteSharedFactory<FactStore, SqliteFactStore>;
using EpisodicShared = SqliteSharedFactory<EpisodicStore, SqliteEpisodicStore>;
using ArtifactShared = SqliteSharedFactory<ArtifactStore, SqliteArtifactStore>;

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(SqliteFile, EventLogConformance, ::testing::Types<EventLogFile>);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteMemory, EventLogConformance, ::testing::Types<SqliteMemoryEventLogFactory>);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteFile, FactStoreConformance, ::testing::Types<FactFile>);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteShared, FactStoreConformance, ::testing::Types<FactShared>);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteFile, EpisodicStoreConformance, ::testing::Types<EpisodicFile>);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteShared, EpisodicStoreConformance, ::testing::Types<EpisodicShared>);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteFile, ArtifactStoreConformance, ::testing::Types<ArtifactFile>);
INSTANTIATE_TYPED_TEST_SUITE_P(SqliteShared, ArtifactStoreConformance, ::testing::Types<ArtifactShared>);
