#include "contextweaver/store/sqlite_fact_store.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_codec.hpp"

namespace contextweaver {
namespace {

void migration_0(SqliteDatabase& db) {
  db.exec(
      "CREATE TABLE facts ("
      " fact_id TEXT PRIMARY KEY,"
      " key TEXT NOT NULL,"
      " value TEXT NOT NULL,"
      " tags TEXT NOT NULL,"
      " metadata TEXT NOT NULL);"
      "CREATE INDEX idx_facts_key ON facts(key);");
}

const SqliteMigration kMigrations[] = {migration_0};

#define CW_FACT_COLUMNS "fact_id, key, value, tags, metadata"

Fact row_to_fact(const SqliteStatement& st) {
  Fact fact;
  fact.fact_id = std::string(st.column_text(0));
  fact.key = std::string(st.column_text(1));
  fact.value = std::string(st.column_text(2));
  fact.tags = parse_string_list_column(st.column_text(3), "tags");
  fact.metadata = parse_object_column(st.column_text(4), "metadata");
  return fact;
}

std::vector<Fact> read_facts(SqliteStatement& st) {
  std::vector<Fact> out;
  while (st.step()) out.push_back(row_to_fact(st));
  return out;
}

// The smallest string greater than every string starting with `prefix`
// (bytewise), or nullopt when there is none (prefix empty or all 0xFF).
std::optional<std::string> prefix_upper_bound(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

int SqliteFactStore::latest_schema_version() {
  return static_cast<int>(std::size(kMigrations)) - 1;
}

SqliteFactStore::SqliteFactStore(const std::string& path, const SqliteOptions& options)
    : SqliteFactStore(SqliteDatabase::open(path, options)) {}

SqliteFactStore::SqliteFactStore(std::shared_ptr<SqliteDatabase> db) : handle_(std::move(db), "SqliteFactStore") {
  handle_.with_db([](SqliteDatabase& d) { return apply_migrations(d, kVersionTable, kMigrations); });
}

SqliteFactStore::~SqliteFactStore() {
  close();
}

int SqliteFactStore::schema_version() const {
  return handle_.with_db([](SqliteDatabase& db) { return contextweaver::schema_version(db, kVersionTable); });
}

void SqliteFactStore::put(const Fact& fact) {
  require_utf8(fact.fact_id, "Fact.fact_id");
  require_utf8(fact.key, "Fact.key");
  require_utf8(fact.value, "Fact.value");
  for (const auto& tag : fact.tags) require_utf8(tag, "Fact.tags");
  require_utf8_json(fact.metadata, "Fact.metadata");
  if (!fact.metadata.is_object()) throw TypeError("Fact.metadata must be a dict");
  const std::string tags = dumps_string_list(fact.tags);
  const std::string metadata = dumps_sorted(fact.metadata);
  handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("INSERT OR REPLACE INTO facts (" CW_FACT_COLUMNS ") VALUES (?, ?, ?, ?, ?)");
    st.bind_text(1, fact.fact_id).bind_text(2, fact.key).bind_text(3, fact.value).bind_text(4, tags);
    st.bind_text(5, metadata);
    st.run();
  });
  CW_LOG_DEBUG("contextweaver.store", "fact_store.put: id=" + fact.fact_id + ", key=" + fact.key);
}

Fact SqliteFactStore::get(const std::string& fact_id) const {
  return handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT " CW_FACT_COLUMNS " FROM facts WHERE fact_id = ?");
    st.bind_text(1, fact_id);
    if (!st.step()) throw ItemNotFoundError("Fact not found: " + py_repr(fact_id));
    return row_to_fact(st);
  });
}

std::vector<Fact> SqliteFactStore::get_by_key(const std::string& key) const {
  return handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT " CW_FACT_COLUMNS " FROM facts WHERE key = ? ORDER BY fact_id");
    st.bind_text(1, key);
    return read_facts(st);
  });
}

std::vector<std::string> SqliteFactStore::list_keys(const std::string& prefix) const {
  // BINARY collation compares bytes, so [prefix, upper) is exactly the keys
  // starting with prefix — case-sensitive, and no LIKE wildcards to escape.
  const std::optional<std::string> upper = prefix_upper_bound(prefix);
  return handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare(upper ? "SELECT DISTINCT key FROM facts WHERE key >= ? AND key < ? ORDER BY key"
                                          : "SELECT DISTINCT key FROM facts WHERE key >= ? ORDER BY key");
    st.bind_text(1, prefix);
    if (upper) st.bind_text(2, *upper);
    std::vector<std::string> keys;
    while (st.step()) keys.emplace_back(st.column_text(0));
    return keys;
  });
}

void SqliteFactStore::delete_(const std::string& fact_id) {
  handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("DELETE FROM facts WHERE fact_id = ?");
    st.bind_text(1, fact_id);
    st.run();
    if (db.changes() == 0) throw ItemNotFoundError("Fact not found: " + py_repr(fact_id));
  });
}

std::vector<Fact> SqliteFactStore::all() const {
  return handle_.with_db([](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT " CW_FACT_COLUMNS " FROM facts ORDER BY fact_id");
    return read_facts(st);
  });
}

void SqliteFactStore::close() {
  if (handle_.close()) CW_LOG_DEBUG("contextweaver.store", "sqlite_facts.close: path=" + handle_.path());
}

}  // namespace contextweaver
