// SqliteEpisodicStore: episodes persisted in SQLite (the upstream HEAD design,
// store/sqlite_episodic.py, without its `sensitivity` column).
#pragma once

#include <memory>
#include <string>

#include "contextweaver/store/episodic_store.hpp"
#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver {

// Table episodes(ordinal AUTOINCREMENT, episode_id (indexed, not unique),
// summary, tags JSON, metadata JSON); versions in
// _contextweaver_schema_version_episodic. search() ranks exactly as
// InMemoryEpisodicStore (the same TfIdfScorer over the summaries in insertion
// order, the same fallback and tie order). Text must be valid UTF-8
// (ValueError). Internally synchronized.
class SqliteEpisodicStore final : public EpisodicStore {
 public:
  static constexpr const char* kVersionTable = "_contextweaver_schema_version_episodic";
  static int latest_schema_version();

  // Opens or creates the store at `path` (":memory:" = private in-memory database).
  explicit SqliteEpisodicStore(const std::string& path, const SqliteOptions& options = {});
  // A store on a connection shared with other SQLite stores.
  explicit SqliteEpisodicStore(std::shared_ptr<SqliteDatabase> db);
  ~SqliteEpisodicStore() override;

  const std::string& path() const { return handle_.path(); }
  int schema_version() const;

  void add(const Episode& episode) override;
  std::optional<Episode> get(const std::string& episode_id) const override;
  std::vector<Episode> search(const std::string& query, std::int64_t top_k = 5) const override;
  std::vector<Episode> all() const override;
  std::vector<EpisodeSummary> latest(std::int64_t n = 3) const override;
  void delete_(const std::string& episode_id) override;

  // Idempotent; later calls raise StoreClosedError("SqliteEpisodicStore is closed").
  void close();

 private:
  SqliteStoreHandle handle_;
};

}  // namespace contextweaver
