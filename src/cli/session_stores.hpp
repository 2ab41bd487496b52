// The persistent stores of one workspace session: the SQLite event log, fact
// store, episodic store and artifact table sharing session.db, and the
// JSON-file artifact store in artifacts/. The two artifact stores are one
// namespace (LayeredArtifactStore): the CLI writes files, the MCP gateway
// records into the database (docs/cli.md, "Session layout").
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "command.hpp"
#include "workspace.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/episodic_store.hpp"
#include "contextweaver/store/event_log.hpp"
#include "contextweaver/store/fact_store.hpp"

namespace contextweaver {
class SqliteDatabase;
}

namespace contextweaver::cli {

// A JsonFileArtifactStore on `dir` (defined in its own file: its header and
// sqlite_database.hpp both declare contextweaver::Durability).
std::shared_ptr<ArtifactStore> open_artifact_folder(const std::filesystem::path& dir);

struct SessionCounts {
  std::int64_t events = 0;
  std::int64_t facts = 0;
  std::int64_t episodes = 0;
  std::int64_t artifacts = 0;
};

class SessionStores {
 public:
  // Opens a session that exists; ItemNotFoundError "Session 'x' not found in
  // workspace '…'" (naming the sessions there) otherwise.
  static SessionStores open_existing(const Workspace& workspace, std::string_view name);

  // Opens the session, creating it when needed. The caller holds the
  // session's exclusive SessionLock.
  static SessionStores open_or_create(const Workspace& workspace, std::string_view name);

  SessionStores(SessionStores&&) noexcept;
  SessionStores& operator=(SessionStores&&) noexcept;
  ~SessionStores();

  EventLog& events() { return *events_; }
  FactStore& facts() { return *facts_; }
  EpisodicStore& episodes() { return *episodes_; }
  ArtifactStore& artifacts() { return *artifacts_; }
  const std::string& name() const { return name_; }

  // Shared handles, for a ContextManager working on the persistent stores.
  std::shared_ptr<EventLog> event_log_ptr() const { return events_; }
  std::shared_ptr<FactStore> fact_store_ptr() const { return facts_; }
  std::shared_ptr<EpisodicStore> episodic_store_ptr() const { return episodes_; }
  std::shared_ptr<ArtifactStore> artifact_store_ptr() const { return artifacts_; }
  // The same artifacts, with new ones written to session.db: what the gateway
  // records per call (a row in the open database instead of two new files).
  std::shared_ptr<ArtifactStore> recording_artifact_store_ptr() const { return recording_artifacts_; }
  // The session's SQLite connection (for a SqliteBackgroundCheckpointer).
  std::shared_ptr<SqliteDatabase> database() const { return db_; }

  SessionCounts counts() const;

 private:
  SessionStores(const Workspace& workspace, std::string_view name);

  std::string name_;
  std::shared_ptr<EventLog> events_;
  std::shared_ptr<FactStore> facts_;
  std::shared_ptr<EpisodicStore> episodes_;
  std::shared_ptr<ArtifactStore> artifacts_;
  std::shared_ptr<ArtifactStore> recording_artifacts_;
  std::shared_ptr<SqliteDatabase> db_;
};

// The session named by the global options, opened under its lock: shared for
// reading (it must exist), exclusive for writing (created when needed; a
// message on stderr when another process makes us wait).
class OpenSession {
 public:
  enum class Access { read, write };
  OpenSession(const GlobalOptions& globals, Access access);

  Workspace workspace;
  SessionLock lock;
  SessionStores stores;
};

}  // namespace contextweaver::cli
