// ArtifactStore: large tool outputs kept out of the prompt, read back whole or
// through drill-down selectors.
#pragma once

#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

// Implementations are internally synchronized (docs/storage.md, "Threading").
class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;

  // Stores the bytes under `handle`, replacing any earlier artifact there.
  // Returns the ref (size_bytes = content size). Persistent backends write
  // atomically: a crash leaves the old artifact or the new one, never a mix.
  virtual ArtifactRef put(const std::string& handle, std::string_view content,
                          const std::string& media_type = "application/octet-stream",
                          const std::string& label = "") = 0;

  // The stored bytes; ArtifactNotFoundError ("Artifact not found: 'h'") when absent.
  virtual std::string get(const std::string& handle) const = 0;

  // The stored ref; ArtifactNotFoundError when absent.
  virtual ArtifactRef ref(const std::string& handle) const = 0;

  // Alias of ref(), as in the reference.
  ArtifactRef metadata(const std::string& handle) const { return ref(handle); }

  // Removes the artifact; ArtifactNotFoundError when absent.
  virtual void delete_(const std::string& handle) = 0;

  // Every ref, ordered by handle.
  virtual std::vector<ArtifactRef> list_refs() const = 0;

  // Whether the bytes of `handle` are stored.
  virtual bool exists(const std::string& handle) const = 0;

  // A view of the artifact's text (bytes decoded as UTF-8 with U+FFFD
  // replacement) through a selector: {"type":"head","chars":N},
  // {"type":"lines","start":A,"end":B}, {"type":"rows",…} or
  // {"type":"json_keys","keys":[…]} (store/drilldown.hpp). ArtifactNotFoundError
  // when absent; ContextWeaverError "Unknown drilldown selector type: 'x'".
  virtual std::string drilldown(const std::string& handle, const Json& selector) const;
};

}  // namespace contextweaver
