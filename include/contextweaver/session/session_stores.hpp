// SessionStores: the persistent stores of one workspace session
// (docs/sessions.md#layout): the SQLite event log, fact store, episodic store
// and artifact table sharing session.db, and the JSON-file artifact store in
// artifacts/. The two artifact stores are one namespace
// (LayeredArtifactStore): files are what ingest/import write, rows what a
// recorder (the MCP gateway) writes.
//
// Opened by Workspace::open_stores or as part of a Session; holds no lock.
// Thread-safety: the stores are the SQLite and JSON-file stores, each safe to
// use from several threads (docs/storage.md); the accessors are const.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/episodic_store.hpp"
#include "contextweaver/store/event_log.hpp"
#include "contextweaver/store/fact_store.hpp"

namespace contextweaver {

class SqliteDatabase;

struct SessionCounts {
  std::int64_t events = 0;
  std::int64_t facts = 0;
  std::int64_t episodes = 0;
  std::int64_t artifacts = 0;
};

class SessionStores {
 public:
  SessionStores(SessionStores&&) noexcept;
  SessionStores& operator=(SessionStores&&) noexcept;
  ~SessionStores();

  EventLog& events() const { return *events_; }
  FactStore& facts() const { return *facts_; }
  EpisodicStore& episodes() const { return *episodes_; }
  // Both places; put() writes a file in artifacts/.
  ArtifactStore& artifacts() const { return *artifacts_; }

  // Shared handles, for a ContextManager working on the persistent stores.
  std::shared_ptr<EventLog> event_log_ptr() const { return events_; }
  std::shared_ptr<FactStore> fact_store_ptr() const { return facts_; }
  std::shared_ptr<EpisodicStore> episodic_store_ptr() const { return episodes_; }
  std::shared_ptr<ArtifactStore> artifact_store_ptr() const { return artifacts_; }
  // The same artifacts, with put() writing a row of session.db: what a
  // recorder writes per call (a row in the open database costs far less than
  // two new files).
  std::shared_ptr<ArtifactStore> recording_artifact_store_ptr() const { return recording_artifacts_; }

  // How many events, facts, episodes and artifacts the session holds.
  // DatabaseError/StorageError as the stores throw.
  SessionCounts counts() const;

 private:
  friend class Workspace;
  friend class Session;
  // Opens (creating when missing) the database and the artifact folder.
  // DatabaseError/StorageError as SqliteDatabase::open and
  // JsonFileArtifactStore throw.
  SessionStores(const std::filesystem::path& database, const std::filesystem::path& artifacts_dir);

  std::shared_ptr<SqliteDatabase> db_;
  std::shared_ptr<EventLog> events_;
  std::shared_ptr<FactStore> facts_;
  std::shared_ptr<EpisodicStore> episodes_;
  std::shared_ptr<ArtifactStore> artifacts_;
  std::shared_ptr<ArtifactStore> recording_artifacts_;
};

}  // namespace contextweaver
