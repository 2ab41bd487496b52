// InMemoryArtifactStore: artifacts kept in process memory.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/store/artifact_store.hpp"

namespace contextweaver {

// Bytes and refs keyed by handle (any string is a valid handle here).
// Internally synchronized: readers share a lock, writers take it exclusively.
class InMemoryArtifactStore final : public ArtifactStore {
 public:
  InMemoryArtifactStore() = default;

  ArtifactRef put(const std::string& handle, std::string_view content,
                  const std::string& media_type = "application/octet-stream", const std::string& label = "") override;
  std::string get(const std::string& handle) const override;
  ArtifactRef ref(const std::string& handle) const override;
  void delete_(const std::string& handle) override;
  std::vector<ArtifactRef> list_refs() const override;
  bool exists(const std::string& handle) const override;
  // Applies the selector under the read lock, without copying the bytes.
  std::string drilldown(const std::string& handle, const Json& selector) const override;

  // {"refs": [ref.to_dict() sorted by handle], "data": {handle: base64 bytes}}.
  // "refs" is the reference's shape; "data" (as in later reference versions)
  // keeps the bytes, so from_dict(to_dict()) is lossless.
  Json to_dict() const;

  // A store holding every ref of data["refs"] whose bytes are in data["data"]
  // (later duplicates win). A ref without bytes is dropped: its handle is
  // missing everywhere (exists false, get/ref/drilldown raise, not listed) —
  // docs/compat.md S4. TypeError/KeyError/ValueError on malformed input
  // (including invalid base64 or a size_bytes that differs from the bytes).
  static std::unique_ptr<InMemoryArtifactStore> from_dict(const Json& data);

 private:
  struct Entry {
    std::string bytes;
    ArtifactRef ref;
  };
  mutable std::shared_mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;  // ordered by handle (UTF-8 bytes = code points)
};

}  // namespace contextweaver
