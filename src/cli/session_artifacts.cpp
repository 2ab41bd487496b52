#include "session_stores.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"

namespace contextweaver::cli {

std::shared_ptr<ArtifactStore> open_artifact_folder(const std::filesystem::path& dir) {
  return std::make_shared<JsonFileArtifactStore>(dir);
}

}  // namespace contextweaver::cli
