#include "contextweaver/store/in_memory_artifact_store.hpp"

#include <mutex>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/drilldown.hpp"
#include "contextweaver/core/base64.hpp"

namespace contextweaver {
namespace {

constexpr const char* kLogger = "contextweaver.store";

[[noreturn]] void not_found(const std::string& handle) {
  throw ArtifactNotFoundError("Artifact not found: " + py_repr(handle));
}

}  // namespace

ArtifactRef InMemoryArtifactStore::put(const std::string& handle, std::string_view content,
                                       const std::string& media_type, const std::string& label) {
  Entry entry{std::string(content),
              ArtifactRef{handle, media_type, static_cast<std::int64_t>(content.size()), label, ""}};
  ArtifactRef ref = entry.ref;
  {
    std::unique_lock lock(mutex_);
    entries_.insert_or_assign(handle, std::move(entry));
  }
  CW_LOG_DEBUG(kLogger, "artifact_store.put: handle=" + handle + ", size=" + std::to_string(content.size()));
  return ref;
}

std::string InMemoryArtifactStore::get(const std::string& handle) const {
  std::shared_lock lock(mutex_);
  const auto it = entries_.find(handle);
  if (it == entries_.end()) not_found(handle);
  return it->second.bytes;
}

ArtifactRef InMemoryArtifactStore::ref(const std::string& handle) const {
  std::shared_lock lock(mutex_);
  const auto it = entries_.find(handle);
  if (it == entries_.end()) not_found(handle);
  return it->second.ref;
}

void InMemoryArtifactStore::delete_(const std::string& handle) {
  std::unique_lock lock(mutex_);
  const auto it = entries_.find(handle);
  if (it == entries_.end()) not_found(handle);
  entries_.erase(it);
}

std::vector<ArtifactRef> InMemoryArtifactStore::list_refs() const {
  std::shared_lock lock(mutex_);
  std::vector<ArtifactRef> out;
  out.reserve(entries_.size());
  for (const auto& [handle, entry] : entries_) out.push_back(entry.ref);
  return out;
}

bool InMemoryArtifactStore::exists(const std::string& handle) const {
  std::shared_lock lock(mutex_);
  return entries_.contains(handle);
}

std::string InMemoryArtifactStore::drilldown(const std::string& handle, const Json& selector) const {
  std::shared_lock lock(mutex_);
  const auto it = entries_.find(handle);
  if (it == entries_.end()) not_found(handle);
  return apply_selector(it->second.bytes, selector);
}

Json InMemoryArtifactStore::to_dict() const {
  std::shared_lock lock(mutex_);
  Json refs = Json::array();
  Json data = Json::object();
  for (const auto& [handle, entry] : entries_) {
    refs.push_back(entry.ref.to_dict());
    data[handle] = base64_encode(entry.bytes);
  }
  Json out = Json::object();
  out["refs"] = std::move(refs);
  out["data"] = std::move(data);
  return out;
}

std::unique_ptr<InMemoryArtifactStore> InMemoryArtifactStore::from_dict(const Json& data) {
  if (!data.is_object()) {
    throw TypeError("InMemoryArtifactStore.from_dict expects a dict, not '" + std::string(py_type_name(data)) + "'");
  }
  auto store = std::make_unique<InMemoryArtifactStore>();
  const auto refs = data.find("refs");
  if (refs == data.end()) return store;
  if (!refs->is_array()) {
    throw TypeError("InMemoryArtifactStore.from_dict: 'refs' must be a list, not '" + std::string(py_type_name(*refs)) +
                    "'");
  }
  static const Json kNoData = Json::object();
  const auto data_it = data.find("data");
  const Json& blobs = (data_it == data.end() || data_it->is_null()) ? kNoData : *data_it;
  if (!blobs.is_object()) {
    throw TypeError("InMemoryArtifactStore.from_dict: 'data' must be a dict, not '" + std::string(py_type_name(blobs)) +
                    "'");
  }
  for (const auto& entry : *refs) {
    ArtifactRef ref = ArtifactRef::from_dict(entry);
    const auto blob = blobs.find(ref.handle);
    if (blob == blobs.end()) {
      // S4: without its bytes the artifact is missing everywhere, not half-present.
      store->entries_.erase(ref.handle);
      continue;
    }
    std::string bytes = base64_decode(as_string(*blob, "data[" + ref.handle + "]"));
    if (static_cast<std::int64_t>(bytes.size()) != ref.size_bytes) {
      throw ValueError("InMemoryArtifactStore.from_dict: artifact " + py_repr(ref.handle) + " has size_bytes " +
                       std::to_string(ref.size_bytes) + " but " + std::to_string(bytes.size()) + " bytes of data");
    }
    const std::string handle = ref.handle;
    store->entries_.insert_or_assign(handle, Entry{std::move(bytes), std::move(ref)});
  }
  return store;
}

}  // namespace contextweaver
