// The default ArtifactStore::drilldown: the whole artifact through the shared
// selector code, so every backend answers identically.
#include "contextweaver/store/artifact_store.hpp"

#include "contextweaver/store/drilldown.hpp"

namespace contextweaver {

std::string ArtifactStore::drilldown(const std::string& handle, const Json& selector) const {
  // get() first: a missing artifact is reported before the selector is examined.
  const std::string bytes = get(handle);
  return apply_selector(bytes, selector);
}

}  // namespace contextweaver
