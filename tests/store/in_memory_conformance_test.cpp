// The four conformance suites run against the in-memory backends.
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_episodic_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/in_memory_fact_store.hpp"
#include "store/artifact_store_conformance.hpp"
#include "store/episodic_store_conformance.hpp"
#include "store/event_log_conformance.hpp"
#include "store/fact_store_conformance.hpp"

namespace {

using namespace contextweaver;

struct InMemoryEventLogFactory {
  std::unique_ptr<EventLog> create() { return std::make_unique<InMemoryEventLog>(); }
};
struct InMemoryArtifactStoreFactory {
  std::unique_ptr<ArtifactStore> create() { return std::make_unique<InMemoryArtifactStore>(); }
};
struct InMemoryFactStoreFactory {
  std::unique_ptr<FactStore> create() { return std::make_unique<InMemoryFactStore>(); }
};
struct InMemoryEpisodicStoreFactory {
  std::unique_ptr<EpisodicStore> create() { return std::make_unique<InMemoryEpisodicStore>(); }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, EventLogConformance, ::testing::Types<InMemoryEventLogFactory>);
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, ArtifactStoreConformance, ::testing::Types<InMemoryArtifactStoreFactory>);
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, FactStoreConformance, ::testing::Types<InMemoryFactStoreFactory>);
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, EpisodicStoreConformance, ::testing::Types<InMemoryEpisodicStoreFactory>);
