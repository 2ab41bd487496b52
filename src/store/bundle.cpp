#include "contextweaver/store/bundle.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_episodic_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/in_memory_fact_store.hpp"

namespace contextweaver {
namespace {

// store.to_dict() for the in-memory type, else null.
template <class InMemory, class Interface>
Json dict_of(const std::shared_ptr<Interface>& store) {
  const auto* concrete = dynamic_cast<const InMemory*>(store.get());
  return concrete != nullptr ? concrete->to_dict() : Json(nullptr);
}

template <class InMemory>
std::shared_ptr<InMemory> restore(const Json& data, const char* key) {
  const auto it = data.find(key);
  if (it == data.end() || it->is_null()) return nullptr;
  return std::shared_ptr<InMemory>(InMemory::from_dict(*it));
}

}  // namespace

Json StoreBundle::to_dict() const {
  Json out = Json::object();
  out["artifact_store"] = dict_of<InMemoryArtifactStore>(artifact_store);
  out["event_log"] = dict_of<InMemoryEventLog>(event_log);
  out["episodic_store"] = dict_of<InMemoryEpisodicStore>(episodic_store);
  out["fact_store"] = dict_of<InMemoryFactStore>(fact_store);
  return out;
}

StoreBundle StoreBundle::from_dict(const Json& data) {
  if (!data.is_object()) {
    throw TypeError("StoreBundle.from_dict expects a dict, not '" + std::string(py_type_name(data)) + "'");
  }
  StoreBundle bundle;
  bundle.artifact_store = restore<InMemoryArtifactStore>(data, "artifact_store");
  bundle.event_log = restore<InMemoryEventLog>(data, "event_log");
  bundle.episodic_store = restore<InMemoryEpisodicStore>(data, "episodic_store");
  bundle.fact_store = restore<InMemoryFactStore>(data, "fact_store");
  return bundle;
}

}  // namespace contextweaver
