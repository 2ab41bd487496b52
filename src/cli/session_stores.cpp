#include "session_stores.hpp"

#include <iostream>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/layered_artifact_store.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"

namespace contextweaver::cli {

SessionStores::SessionStores(const Workspace& workspace, std::string_view name) : name_(name) {
  // One connection for the three SQLite stores: one file per session, and
  // their writes serialize on one lock.
  db_ = SqliteDatabase::open(workspace.database_path(name).string());
  events_ = std::make_shared<SqliteEventLog>(db_);
  facts_ = std::make_shared<SqliteFactStore>(db_);
  episodes_ = std::make_shared<SqliteEpisodicStore>(db_);
  auto in_database = std::make_shared<SqliteArtifactStore>(db_);
  auto in_folder = open_artifact_folder(workspace.artifacts_dir(name));
  artifacts_ =
      std::make_shared<LayeredArtifactStore>(std::vector<std::shared_ptr<ArtifactStore>>{in_folder, in_database});
  recording_artifacts_ =
      std::make_shared<LayeredArtifactStore>(std::vector<std::shared_ptr<ArtifactStore>>{in_database, in_folder});
}

SessionStores::SessionStores(SessionStores&&) noexcept = default;
SessionStores& SessionStores::operator=(SessionStores&&) noexcept = default;
SessionStores::~SessionStores() = default;

SessionStores SessionStores::open_existing(const Workspace& workspace, std::string_view name) {
  if (!workspace.session_exists(name)) {
    const auto sessions = workspace.list_sessions();
    std::string known = sessions.empty() ? "it has no sessions yet" : "its sessions: ";
    for (std::size_t i = 0; i < sessions.size(); ++i) known += (i > 0 ? ", " : "") + sessions[i];
    throw ItemNotFoundError(
        fmt::format("Session {} not found in workspace '{}' ({})", py_repr(name), workspace.root().string(), known));
  }
  return SessionStores(workspace, name);
}

SessionStores SessionStores::open_or_create(const Workspace& workspace, std::string_view name) {
  workspace.create_session_dirs(name);
  return SessionStores(workspace, name);
}

SessionCounts SessionStores::counts() const {
  SessionCounts counts;
  counts.events = static_cast<std::int64_t>(events_->count());
  counts.facts = static_cast<std::int64_t>(facts_->all().size());
  counts.episodes = static_cast<std::int64_t>(episodes_->all().size());
  counts.artifacts = static_cast<std::int64_t>(artifacts_->list_refs().size());
  return counts;
}

namespace {

void report_wait(std::string_view session) {
  std::cerr << "Waiting for another contextweaver process using session " << py_repr(session) << "...\n";
}

}  // namespace

OpenSession::OpenSession(const GlobalOptions& globals, Access access)
    : workspace(globals.workspace),
      lock(workspace, globals.session,
           access == Access::write ? SessionLock::Mode::exclusive : SessionLock::Mode::shared, report_wait),
      stores(access == Access::write ? SessionStores::open_or_create(workspace, globals.session)
                                     : SessionStores::open_existing(workspace, globals.session)) {}

}  // namespace contextweaver::cli
