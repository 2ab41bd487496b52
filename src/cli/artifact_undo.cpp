#include "artifact_undo.hpp"

namespace contextweaver::cli {

void ArtifactUndoStore::remember(const std::string& handle) {
  for (const auto& before : before_) {
    if (before.handle == handle) return;  // the first state is the one to restore
  }
  Before before{handle, inner_->exists(handle), {}, {}};
  if (before.existed) {
    before.bytes = inner_->get(handle);
    before.ref = inner_->ref(handle);
  }
  before_.push_back(std::move(before));
}

ArtifactRef ArtifactUndoStore::put(const std::string& handle, std::string_view content, const std::string& media_type,
                                   const std::string& label) {
  remember(handle);
  return inner_->put(handle, content, media_type, label);
}

void ArtifactUndoStore::delete_(const std::string& handle) {
  remember(handle);
  inner_->delete_(handle);
}

std::size_t ArtifactUndoStore::undo() noexcept {
  std::size_t failed = 0;
  for (auto it = before_.rbegin(); it != before_.rend(); ++it) {
    try {
      if (it->existed) {
        inner_->put(it->handle, it->bytes, it->ref.media_type, it->ref.label);
      } else if (inner_->exists(it->handle)) {
        inner_->delete_(it->handle);
      }
    } catch (...) {
      ++failed;
    }
  }
  before_.clear();
  return failed;
}

}  // namespace contextweaver::cli
