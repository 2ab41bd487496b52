#include "contextweaver/session/session_stores.hpp"

#include <vector>

#include "contextweaver/core/unicode.hpp"
#include "contextweaver/session/session_errors.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/layered_artifact_store.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"

namespace contextweaver {

namespace {

// The artifact folder of a reader that could not open it: every call fails
// with why, so commands that need no artifacts still work (docs/sessions.md#read-only-use).
class UnavailableArtifactStore final : public ArtifactStore {
 public:
  explicit UnavailableArtifactStore(std::string why) : why_(std::move(why)) {}
  ArtifactRef put(const std::string&, std::string_view, const std::string&, const std::string&) override { fail(); }
  std::string get(const std::string&) const override { fail(); }
  ArtifactRef ref(const std::string&) const override { fail(); }
  void delete_(const std::string&) override { fail(); }
  std::vector<ArtifactRef> list_refs() const override { fail(); }
  bool exists(const std::string&) const override { fail(); }

 private:
  [[noreturn]] void fail() const { throw StorageError(why_); }
  std::string why_;
};

void check_initialised(SqliteDatabase& db) {
  std::lock_guard lock(db.mutex());
  if (db.query_int("SELECT count(*) FROM sqlite_master").value_or(0) == 0) {
    throw SessionDataLostError("The session database " + py_repr(db.path()) +
                               " has lost its contents: it was initialised (see the .initialised marker beside it) "
                               "and now holds no tables; nothing was written. Restore it from a backup, or remove "
                               "the session folder to start over");
  }
}

void check_integrity(SqliteDatabase& db) {
  std::lock_guard lock(db.mutex());
  if (auto problem = db.integrity_problem()) {
    throw SessionCorruptError("The session database " + py_repr(db.path()) +
                              " is corrupt (SQLite's integrity check: " + *problem +
                              "); nothing was written. Export what is readable, then restore it from a backup");
  }
}

}  // namespace

SessionStores::SessionStores(const std::filesystem::path& database, const std::filesystem::path& artifacts_dir,
                             const OpenChecks& checks) {
  // One connection for the three SQLite stores: one file per session, and
  // their writes serialize on one lock.
  SqliteOptions options;
  options.read_only = checks.read_only;
  db_ = SqliteDatabase::open(database.string(), options);
  // Both before the stores' migrations, the first thing that could write.
  if (checks.initialised) check_initialised(*db_);
  if (checks.verify) check_integrity(*db_);
  events_ = std::make_shared<SqliteEventLog>(db_);
  facts_ = std::make_shared<SqliteFactStore>(db_);
  episodes_ = std::make_shared<SqliteEpisodicStore>(db_);
  auto in_database = std::make_shared<SqliteArtifactStore>(db_);
  std::shared_ptr<ArtifactStore> in_folder;
  try {
    in_folder = std::make_shared<JsonFileArtifactStore>(artifacts_dir);
  } catch (const StorageError& e) {
    if (!checks.reading) throw;
    in_folder = std::make_shared<UnavailableArtifactStore>(e.what());
  }
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
