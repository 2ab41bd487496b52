// StoreBundle: the four stores handed around together (store/bundle.py).
#pragma once

#include <memory>

#include "contextweaver/core/json.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/episodic_store.hpp"
#include "contextweaver/store/event_log.hpp"
#include "contextweaver/store/fact_store.hpp"

namespace contextweaver {

// Any member may be null; a consumer (ContextManager) replaces each null
// member with a fresh in-memory store, by null check (an empty store passed
// explicitly is kept — docs/compat.md C4).
struct StoreBundle {
  std::shared_ptr<EventLog> event_log;
  std::shared_ptr<ArtifactStore> artifact_store;
  std::shared_ptr<EpisodicStore> episodic_store;
  std::shared_ptr<FactStore> fact_store;

  // Always the four keys, in the reference's order: artifact_store, event_log,
  // episodic_store, fact_store. A member's value is its to_dict() when it is
  // one of the four in-memory stores, else null (a persistent or custom
  // store's state is not serialised, as in the reference).
  Json to_dict() const;

  // Each non-null key becomes the matching in-memory store (so {} gives an
  // empty store, never a persistent backend); null or absent keys stay null.
  // TypeError when `data` is not an object; otherwise what the stores'
  // from_dict throw.
  static StoreBundle from_dict(const Json& data);
};

}  // namespace contextweaver
