// SqliteArtifactStore: artifact bytes as BLOBs in a SQLite database.
#pragma once

#include <memory>
#include <string>

#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver {

// Table artifacts(handle PRIMARY KEY, media_type, size_bytes, label,
// content_hash, data BLOB); versions in _contextweaver_schema_version_artifacts.
// put is one upsert statement, so it is atomic: a crash leaves the old
// artifact or the new one. Any valid UTF-8 handle is accepted (no
// file names are involved); handle, media_type and label must be valid UTF-8
// (ValueError). drilldown is the interface's (get, decode, apply_selector).
// Internally synchronized.
class SqliteArtifactStore final : public ArtifactStore {
 public:
  static constexpr const char* kVersionTable = "_contextweaver_schema_version_artifacts";
  static int latest_schema_version();

  // Opens or creates the store at `path` (":memory:" = private in-memory database).
  explicit SqliteArtifactStore(const std::string& path, const SqliteOptions& options = {});
  // A store on a connection shared with other SQLite stores.
  explicit SqliteArtifactStore(std::shared_ptr<SqliteDatabase> db);
  ~SqliteArtifactStore() override;

  const std::string& path() const { return handle_.path(); }
  int schema_version() const;

  // The returned ref has content_hash "" as every d559ecc store (the firewall
  // stamps it); the column stores the ref as returned.
  ArtifactRef put(const std::string& handle, std::string_view content,
                  const std::string& media_type = "application/octet-stream", const std::string& label = "") override;
  std::string get(const std::string& handle) const override;
  ArtifactRef ref(const std::string& handle) const override;
  void delete_(const std::string& handle) override;
  std::vector<ArtifactRef> list_refs() const override;
  bool exists(const std::string& handle) const override;

  // Idempotent; later calls raise StoreClosedError("SqliteArtifactStore is closed").
  void close();

 private:
  SqliteStoreHandle handle_;
};

}  // namespace contextweaver
