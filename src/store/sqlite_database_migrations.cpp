// apply_migrations() and schema_version() of sqlite_database.hpp: versioned
// schema migrations, recorded per store in its own version table.
#include <string>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_database.hpp"

namespace contextweaver {
namespace {

int recorded_version(SqliteDatabase& db, std::string_view version_table) {
  const auto v = db.query_int("SELECT MAX(version) FROM " + std::string(version_table));
  return v ? static_cast<int>(*v) : -1;
}

// S5: never run (or write) against a schema this build does not understand.
void refuse_newer(const SqliteDatabase& db, std::string_view version_table, int recorded, int known) {
  if (recorded <= known) return;
  throw ContextWeaverError("The database " + py_repr(db.path()) + " has schema version " + std::to_string(recorded) +
                           " in " + std::string(version_table) + ", newer than the version this build supports (" +
                           std::to_string(known) + "); upgrade contextweaver to open it");
}

}  // namespace

int apply_migrations(SqliteDatabase& db, std::string_view version_table, std::span<const SqliteMigration> migrations) {
  const int known = static_cast<int>(migrations.size()) - 1;
  const std::string table(version_table);
  // Cheap path for an up-to-date database (every reopen): one read, no write lock.
  if (db.table_exists(table)) {
    const int current = recorded_version(db, table);
    refuse_newer(db, table, current, known);
    if (current == known) return current;
  }
  int current = -1;
  for (int version = 0; version <= known; ++version) {
    // Each migration, with its version row, is one immediate transaction; the
    // version is re-read inside it so two processes opening a new file at
    // once apply each migration exactly once.
    SqliteTransaction tx(db, SqliteTransaction::Mode::immediate);
    db.exec("CREATE TABLE IF NOT EXISTS " + table +
            " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    current = recorded_version(db, table);
    refuse_newer(db, table, current, known);
    if (version <= current) {
      tx.commit();
      continue;
    }
    CW_LOG_DEBUG("contextweaver.store", "sqlite.migrate: applying version=" + std::to_string(version));
    migrations[static_cast<std::size_t>(version)](db);
    SqliteStatement insert = db.prepare("INSERT INTO " + table + " (version) VALUES (?)");
    insert.bind_int(1, version);
    insert.run();
    tx.commit();
    current = version;
  }
  return current;
}

int schema_version(SqliteDatabase& db, std::string_view version_table) {
  if (!db.table_exists(version_table)) return -1;
  return recorded_version(db, version_table);
}

}  // namespace contextweaver
