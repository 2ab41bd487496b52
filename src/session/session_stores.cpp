#include "contextweaver/session/session_stores.hpp"

#include <vector>

#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/layered_artifact_store.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"

namespace contextweaver {

SessionStores::SessionStores(const std::filesystem::path& database, const std::filesystem::path& artifacts_dir) {
  // One connection for the three SQLite stores: one file per session, and
  // their writes serialize on one lock.
  db_ = SqliteDatabase::open(database.string());
  events_ = std::make_shared<SqliteEventLog>(db_);
  facts_ = std::make_shared<SqliteFactStore>(db_);
  episodes_ = std::make_shared<SqliteEpisodicStore>(db_);
  auto in_database = std::make_shared<SqliteArtifactStore>(db_);
  auto in_folder = std::make_shared<JsonFileArtifactStore>(artifacts_dir);
  artifacts_ =
      std::make_shared<LayeredArtifactStore>(std::vector<std::shared_ptr<ArtifactStore>>{in_folder, in_database});
  recording_artifacts_ =
      std::make_shared<LayeredArtifactStore>(std::vector<std::shared_ptr<ArtifactStore>>{in_database, in_folder});
}

SessionStores::SessionStores(SessionStores&&) noexcept = default;
SessionStores& SessionStores::operator=(SessionStores&&) noexcept = default;
SessionStores::~SessionStores() = default;

SessionCounts SessionStores::counts() const {
  SessionCounts counts;
  counts.events = static_cast<std::int64_t>(events_->count());
  counts.facts = static_cast<std::int64_t>(facts_->all().size());
  counts.episodes = static_cast<std::int64_t>(episodes_->all().size());
  counts.artifacts = static_cast<std::int64_t>(artifacts_->list_refs().size());
  return counts;
}

}  // namespace contextweaver
