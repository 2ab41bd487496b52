// LayeredArtifactStore: one artifact namespace over several stores.
//
// A workspace session keeps artifacts in two places: the JSON-file folder
// (what `contextweaver ingest` writes, docs/artifact-files.md) and the
// session database (what the MCP gateway records per call: a row in the same
// SQLite file as the events costs far less than two new files). This store
// shows them as one: it writes to its first layer and reads from all of them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "contextweaver/store/artifact_store.hpp"

namespace contextweaver {

// Thread-safe as its layers are (every ArtifactStore is internally
// synchronized): the layer list is fixed at construction and holds no other
// state. put() is not atomic across layers (see put below).
class LayeredArtifactStore final : public ArtifactStore {
 public:
  // `layers` in lookup order; put() writes to layers[0]. ConfigError when
  // empty or when a layer is null.
  explicit LayeredArtifactStore(std::vector<std::shared_ptr<ArtifactStore>> layers);

  // Writes to the first layer, then deletes `handle` from the other layers
  // that hold it, so a later delete_ cannot uncover older bytes. A crash in
  // between leaves both copies, and reads see the new one (first layer wins).
  ArtifactRef put(const std::string& handle, std::string_view content,
                  const std::string& media_type = "application/octet-stream", const std::string& label = "") override;

  // The first layer holding `handle` answers; ArtifactNotFoundError when none
  // does. Errors other than "not found" (an invalid handle, I/O) propagate
  // from the layer that raised them.
  std::string get(const std::string& handle) const override;
  ArtifactRef ref(const std::string& handle) const override;
  std::string drilldown(const std::string& handle, const Json& selector) const override;
  bool exists(const std::string& handle) const override;

  // Removes `handle` from every layer holding it; ArtifactNotFoundError when none does.
  void delete_(const std::string& handle) override;

  // Every handle once, ordered by handle; a handle in several layers shows the
  // first layer's ref.
  std::vector<ArtifactRef> list_refs() const override;

  const std::vector<std::shared_ptr<ArtifactStore>>& layers() const { return layers_; }

 private:
  std::vector<std::shared_ptr<ArtifactStore>> layers_;
};

}  // namespace contextweaver
