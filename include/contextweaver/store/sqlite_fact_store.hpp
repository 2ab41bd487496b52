// SqliteFactStore: facts persisted in SQLite (the upstream HEAD design,
// store/sqlite_facts.py, without its `sensitivity` column — Fact has none at d559ecc).
#pragma once

#include <memory>
#include <string>

#include "contextweaver/store/fact_store.hpp"
#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver {

// Table facts(fact_id PRIMARY KEY, key, value, tags JSON, metadata JSON) with
// an index on key; versions in _contextweaver_schema_version_facts, so it can
// share a file (or a SqliteDatabase) with the other SQLite stores. Text must
// be valid UTF-8 (ValueError). Internally synchronized.
class SqliteFactStore final : public FactStore {
 public:
  static constexpr const char* kVersionTable = "_contextweaver_schema_version_facts";
  static int latest_schema_version();

  // Opens or creates the store at `path` (":memory:" = private in-memory database).
  explicit SqliteFactStore(const std::string& path, const SqliteOptions& options = {});
  // A store on a connection shared with other SQLite stores.
  explicit SqliteFactStore(std::shared_ptr<SqliteDatabase> db);
  ~SqliteFactStore() override;

  const std::string& path() const { return handle_.path(); }
  int schema_version() const;

  // An upsert in one statement.
  void put(const Fact& fact) override;
  Fact get(const std::string& fact_id) const override;
  std::vector<Fact> get_by_key(const std::string& key) const override;
  // Prefix matching is byte-exact and case-sensitive (an index range, not LIKE).
  std::vector<std::string> list_keys(const std::string& prefix = "") const override;
  void delete_(const std::string& fact_id) override;
  std::vector<Fact> all() const override;

  // Idempotent; later calls raise StoreClosedError("SqliteFactStore is closed").
  void close();

 private:
  SqliteStoreHandle handle_;
};

}  // namespace contextweaver
