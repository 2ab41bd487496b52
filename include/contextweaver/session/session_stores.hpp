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
  // How Workspace::open_stores opens them (docs/sessions.md#integrity).
  struct OpenChecks {
    bool initialised = false;  // the session's marker exists: the database must hold a schema
    bool verify = false;       // run the integrity check before anything else reads or writes
    bool read_only = false;    // open the database read-only (nothing created or written)
    bool reading = false;      // for a reader: a broken artifacts/ folder fails only artifact calls
  };
  // Opens (creating when missing, unless read_only) the database and the
  // artifact folder. DatabaseError/StorageError as SqliteDatabase::open and
  // JsonFileArtifactStore throw; SessionDataLostError when `initialised` and
  // the database holds no schema, SessionCorruptError when `verify` finds a
  // problem (nothing written in either case). With `reading`, an artifact
  // folder that cannot be opened (e.g. a file in its place) fails only the
  // artifact calls, with its StorageError naming the folder.
  SessionStores(const std::filesystem::path& database, const std::filesystem::path& artifacts_dir,
                const OpenChecks& checks);

  std::shared_ptr<SqliteDatabase> db_;
  std::shared_ptr<EventLog> events_;
  std::shared_ptr<FactStore> facts_;
  std::shared_ptr<EpisodicStore> episodes_;
  std::shared_ptr<ArtifactStore> artifacts_;
  std::shared_ptr<ArtifactStore> recording_artifacts_;
};

}  // namespace contextweaver
