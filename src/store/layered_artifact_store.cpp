#include "contextweaver/store/layered_artifact_store.hpp"

#include <algorithm>
#include <map>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

namespace {

[[noreturn]] void throw_not_found(const std::string& handle) {
  throw ArtifactNotFoundError("Artifact not found: " + py_repr(handle));
}

}  // namespace

LayeredArtifactStore::LayeredArtifactStore(std::vector<std::shared_ptr<ArtifactStore>> layers)
    : layers_(std::move(layers)) {
  if (layers_.empty()) throw ConfigError("LayeredArtifactStore needs at least one layer");
  if (std::any_of(layers_.begin(), layers_.end(), [](const auto& layer) { return layer == nullptr; })) {
    throw ConfigError("LayeredArtifactStore: a layer is null");
  }
}

ArtifactRef LayeredArtifactStore::put(const std::string& handle, std::string_view content,
                                      const std::string& media_type, const std::string& label) {
  ArtifactRef ref = layers_.front()->put(handle, content, media_type, label);
  for (std::size_t i = 1; i < layers_.size(); ++i) {
    if (layers_[i]->exists(handle)) layers_[i]->delete_(handle);
  }
  return ref;
}

// Lookups try each layer in order: the common case (the first layer holds
// it) costs one call, and a miss costs one exception per layer passed.
std::string LayeredArtifactStore::get(const std::string& handle) const {
  for (const auto& layer : layers_) {
    try {
      return layer->get(handle);
    } catch (const ArtifactNotFoundError&) {
    }
  }
  throw_not_found(handle);
}

ArtifactRef LayeredArtifactStore::ref(const std::string& handle) const {
  for (const auto& layer : layers_) {
    try {
      return layer->ref(handle);
    } catch (const ArtifactNotFoundError&) {
    }
  }
  throw_not_found(handle);
}

std::string LayeredArtifactStore::drilldown(const std::string& handle, const Json& selector) const {
  for (const auto& layer : layers_) {
    if (layer->exists(handle)) return layer->drilldown(handle, selector);
  }
  throw_not_found(handle);
}

bool LayeredArtifactStore::exists(const std::string& handle) const {
  return std::any_of(layers_.begin(), layers_.end(), [&](const auto& layer) { return layer->exists(handle); });
}

void LayeredArtifactStore::delete_(const std::string& handle) {
  bool found = false;
  for (const auto& layer : layers_) {
    if (layer->exists(handle)) {
      layer->delete_(handle);
      found = true;
    }
  }
  if (!found) throw_not_found(handle);
}

std::vector<ArtifactRef> LayeredArtifactStore::list_refs() const {
  if (layers_.size() == 1) return layers_.front()->list_refs();
  std::map<std::string, ArtifactRef> merged;
  for (const auto& layer : layers_) {
    for (auto& ref : layer->list_refs()) merged.try_emplace(ref.handle, std::move(ref));
  }
  std::vector<ArtifactRef> out;
  out.reserve(merged.size());
  for (auto& [handle, ref] : merged) out.push_back(std::move(ref));
  return out;
}

}  // namespace contextweaver
