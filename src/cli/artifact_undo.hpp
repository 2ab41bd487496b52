// An ArtifactStore that remembers what each put() replaced, so a command
// whose database transaction rolls back can take its artifact files back too
// (docs/cli.md#ingest: an ingest or import is all or nothing).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "contextweaver/store/artifact_store.hpp"

namespace contextweaver::cli {

// Forwards every call to `inner`. The first put() of a handle records whether
// the handle existed and, if so, its bytes and ref; undo() restores those, in
// reverse order: artifacts this object created are deleted, ones it replaced
// are put back, others are never touched. Not thread-safe (one command).
class ArtifactUndoStore final : public ArtifactStore {
 public:
  explicit ArtifactUndoStore(std::shared_ptr<ArtifactStore> inner) : inner_(std::move(inner)) {}

  ArtifactRef put(const std::string& handle, std::string_view content, const std::string& media_type,
                  const std::string& label) override;
  std::string get(const std::string& handle) const override { return inner_->get(handle); }
  ArtifactRef ref(const std::string& handle) const override { return inner_->ref(handle); }
  void delete_(const std::string& handle) override;
  std::vector<ArtifactRef> list_refs() const override { return inner_->list_refs(); }
  bool exists(const std::string& handle) const override { return inner_->exists(handle); }
  std::string drilldown(const std::string& handle, const Json& selector) const override {
    return inner_->drilldown(handle, selector);
  }

  // Puts the store back as it was before the first put/delete, best effort
  // (a failure to restore one artifact does not stop the others; the error
  // that caused the undo is the one to report). Returns how many artifacts
  // could not be restored.
  std::size_t undo() noexcept;

 private:
  struct Before {
    std::string handle;
    bool existed = false;
    std::string bytes;
    ArtifactRef ref;
  };
  void remember(const std::string& handle);

  std::shared_ptr<ArtifactStore> inner_;
  std::vector<Before> before_;
};

}  // namespace contextweaver::cli
