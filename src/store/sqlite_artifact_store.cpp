#include "contextweaver/store/sqlite_artifact_store.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_codec.hpp"

namespace contextweaver {
namespace {

void migration_0(SqliteDatabase& db) {
  db.exec(
      "CREATE TABLE artifacts ("
      " handle TEXT PRIMARY KEY,"
      " media_type TEXT NOT NULL,"
      " size_bytes INTEGER NOT NULL,"
      " label TEXT NOT NULL,"
      " content_hash TEXT NOT NULL,"
      " data BLOB NOT NULL);");
}

const SqliteMigration kMigrations[] = {migration_0};

#define CW_REF_COLUMNS "handle, media_type, size_bytes, label, content_hash"

ArtifactRef row_to_ref(const SqliteStatement& st) {
  ArtifactRef ref;
  ref.handle = std::string(st.column_text(0));
  ref.media_type = std::string(st.column_text(1));
  ref.size_bytes = st.column_int(2);
  ref.label = std::string(st.column_text(3));
  ref.content_hash = std::string(st.column_text(4));
  return ref;
}

[[noreturn]] void not_found(const std::string& handle) {
  throw ArtifactNotFoundError("Artifact not found: " + py_repr(handle));
}

}  // namespace

int SqliteArtifactStore::latest_schema_version() {
  return static_cast<int>(std::size(kMigrations)) - 1;
}

SqliteArtifactStore::SqliteArtifactStore(const std::string& path, const SqliteOptions& options)
    : SqliteArtifactStore(SqliteDatabase::open(path, options)) {}

SqliteArtifactStore::SqliteArtifactStore(std::shared_ptr<SqliteDatabase> db)
    : handle_(std::move(db), "SqliteArtifactStore") {
  handle_.with_db([](SqliteDatabase& d) { return apply_migrations(d, kVersionTable, kMigrations); });
}

SqliteArtifactStore::~SqliteArtifactStore() {
  close();
}

int SqliteArtifactStore::schema_version() const {
  return handle_.with_db([](SqliteDatabase& db) { return contextweaver::schema_version(db, kVersionTable); });
}

ArtifactRef SqliteArtifactStore::put(const std::string& handle, std::string_view content, const std::string& media_type,
                                     const std::string& label) {
  require_utf8(handle, "artifact handle");
  require_utf8(media_type, "ArtifactRef.media_type");
  require_utf8(label, "ArtifactRef.label");
  ArtifactRef ref{handle, media_type, static_cast<std::int64_t>(content.size()), label, ""};
  handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare(
        "INSERT INTO artifacts (" CW_REF_COLUMNS
        ", data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(handle) DO UPDATE SET media_type = excluded.media_type,"
        " size_bytes = excluded.size_bytes, label = excluded.label, content_hash = excluded.content_hash,"
        " data = excluded.data");
    st.bind_text(1, ref.handle).bind_text(2, ref.media_type).bind_int(3, ref.size_bytes).bind_text(4, ref.label);
    st.bind_text(5, ref.content_hash).bind_blob(6, content);
    st.run();
  });
  CW_LOG_DEBUG("contextweaver.store",
               "artifact_store.put: handle=" + handle + ", size=" + std::to_string(content.size()));
  return ref;
}

std::string SqliteArtifactStore::get(const std::string& handle) const {
  return handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT data FROM artifacts WHERE handle = ?");
    st.bind_text(1, handle);
    if (!st.step()) not_found(handle);
    return std::string(st.column_blob(0));
  });
}

ArtifactRef SqliteArtifactStore::ref(const std::string& handle) const {
  return handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT " CW_REF_COLUMNS " FROM artifacts WHERE handle = ?");
    st.bind_text(1, handle);
    if (!st.step()) not_found(handle);
    return row_to_ref(st);
  });
}

void SqliteArtifactStore::delete_(const std::string& handle) {
  handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("DELETE FROM artifacts WHERE handle = ?");
    st.bind_text(1, handle);
    st.run();
    if (db.changes() == 0) not_found(handle);
  });
}

std::vector<ArtifactRef> SqliteArtifactStore::list_refs() const {
  return handle_.with_db([](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT " CW_REF_COLUMNS " FROM artifacts ORDER BY handle");
    std::vector<ArtifactRef> out;
    while (st.step()) out.push_back(row_to_ref(st));
    return out;
  });
}

bool SqliteArtifactStore::exists(const std::string& handle) const {
  return handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT 1 FROM artifacts WHERE handle = ?");
    st.bind_text(1, handle);
    return st.step();
  });
}

void SqliteArtifactStore::close() {
  if (handle_.close()) CW_LOG_DEBUG("contextweaver.store", "sqlite_artifacts.close: path=" + handle_.path());
}

}  // namespace contextweaver
