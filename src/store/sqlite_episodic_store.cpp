#include "contextweaver/store/sqlite_episodic_store.hpp"

#include <algorithm>
#include <numeric>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/tfidf.hpp"
#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_codec.hpp"

namespace contextweaver {
namespace {

void migration_0(SqliteDatabase& db) {
  db.exec(
      "CREATE TABLE episodes ("
      " ordinal INTEGER PRIMARY KEY AUTOINCREMENT,"
      " episode_id TEXT NOT NULL,"
      " summary TEXT NOT NULL,"
      " tags TEXT NOT NULL,"
      " metadata TEXT NOT NULL);"
      "CREATE INDEX idx_episodes_episode_id ON episodes(episode_id);");
}

const SqliteMigration kMigrations[] = {migration_0};

#define CW_EPISODE_COLUMNS "episode_id, summary, tags, metadata"

Episode row_to_episode(const SqliteStatement& st) {
  Episode ep;
  ep.episode_id = std::string(st.column_text(0));
  ep.summary = std::string(st.column_text(1));
  ep.tags = parse_string_list_column(st.column_text(2), "tags");
  ep.metadata = parse_object_column(st.column_text(3), "metadata");
  return ep;
}

std::vector<Episode> read_episodes(SqliteStatement& st) {
  std::vector<Episode> out;
  while (st.step()) out.push_back(row_to_episode(st));
  return out;
}

}  // namespace

int SqliteEpisodicStore::latest_schema_version() {
  return static_cast<int>(std::size(kMigrations)) - 1;
}

SqliteEpisodicStore::SqliteEpisodicStore(const std::string& path, const SqliteOptions& options)
    : SqliteEpisodicStore(SqliteDatabase::open(path, options)) {}

SqliteEpisodicStore::SqliteEpisodicStore(std::shared_ptr<SqliteDatabase> db)
    : handle_(std::move(db), "SqliteEpisodicStore") {
  handle_.with_db([](SqliteDatabase& d) { return apply_migrations(d, kVersionTable, kMigrations); });
}

SqliteEpisodicStore::~SqliteEpisodicStore() {
  close();
}

int SqliteEpisodicStore::schema_version() const {
  return handle_.with_db([](SqliteDatabase& db) { return contextweaver::schema_version(db, kVersionTable); });
}

void SqliteEpisodicStore::add(const Episode& episode) {
  require_utf8(episode.episode_id, "Episode.episode_id");
  require_utf8(episode.summary, "Episode.summary");
  for (const auto& tag : episode.tags) require_utf8(tag, "Episode.tags");
  require_utf8_json(episode.metadata, "Episode.metadata");
  if (!episode.metadata.is_object()) throw TypeError("Episode.metadata must be a dict");
  const std::string tags = dumps_string_list(episode.tags);
  const std::string metadata = dumps_sorted(episode.metadata);
  handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("INSERT INTO episodes (" CW_EPISODE_COLUMNS ") VALUES (?, ?, ?, ?)");
    st.bind_text(1, episode.episode_id).bind_text(2, episode.summary).bind_text(3, tags).bind_text(4, metadata);
    st.run();
  });
  CW_LOG_DEBUG("contextweaver.store", "episodic_store.add: id=" + episode.episode_id);
}

std::optional<Episode> SqliteEpisodicStore::get(const std::string& episode_id) const {
  return handle_.with_db([&](SqliteDatabase& db) -> std::optional<Episode> {
    SqliteStatement st =
        db.prepare("SELECT " CW_EPISODE_COLUMNS " FROM episodes WHERE episode_id = ? ORDER BY ordinal LIMIT 1");
    st.bind_text(1, episode_id);
    if (!st.step()) return std::nullopt;
    return row_to_episode(st);
  });
}

std::vector<Episode> SqliteEpisodicStore::search(const std::string& query, std::int64_t top_k) const {
  std::vector<Episode> out = handle_.with_db([&](SqliteDatabase& db) -> std::vector<Episode> {
    SqliteTransaction tx(db, SqliteTransaction::Mode::deferred);  // summaries and rows from one snapshot
    std::vector<std::int64_t> ordinals;
    std::vector<std::string> summaries;
    {
      SqliteStatement st = db.prepare("SELECT ordinal, summary FROM episodes ORDER BY ordinal");
      while (st.step()) {
        ordinals.push_back(st.column_int(0));
        summaries.emplace_back(st.column_text(1));
      }
    }
    if (summaries.empty()) return {};
    // InMemoryEpisodicStore's ranking, step for step.
    TfIdfScorer scorer;
    scorer.fit(summaries);
    std::vector<double> scores = scorer.score_all(query);
    if (std::all_of(scores.begin(), scores.end(), [](double s) { return s == 0.0; })) {
      const std::vector<std::string> query_tokens = tokenize(query);
      for (std::size_t i = 0; i < summaries.size(); ++i) scores[i] = jaccard(query_tokens, tokenize(summaries[i]));
    }
    std::vector<std::size_t> order(summaries.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    const SliceRange range = py_slice(order.size(), std::nullopt, top_k);
    std::vector<Episode> picked;
    for (std::size_t i = range.begin; i < range.end; ++i) {
      SqliteStatement st = db.prepare("SELECT " CW_EPISODE_COLUMNS " FROM episodes WHERE ordinal = ?");
      st.bind_int(1, ordinals[order[i]]);
      if (st.step()) picked.push_back(row_to_episode(st));
    }
    tx.commit();
    return picked;
  });
  CW_LOG_DEBUG("contextweaver.store", "episodic_store.search: query_len=" + std::to_string(code_point_count(query)) +
                                          ", results=" + std::to_string(out.size()));
  return out;
}

std::vector<Episode> SqliteEpisodicStore::all() const {
  return handle_.with_db([](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT " CW_EPISODE_COLUMNS " FROM episodes ORDER BY ordinal");
    return read_episodes(st);
  });
}

std::vector<EpisodeSummary> SqliteEpisodicStore::latest(std::int64_t n) const {
  if (n <= 0) return {};
  return handle_.with_db([&](SqliteDatabase& db) {
    SqliteStatement st = db.prepare("SELECT " CW_EPISODE_COLUMNS " FROM episodes ORDER BY ordinal DESC LIMIT ?");
    st.bind_int(1, n);
    std::vector<EpisodeSummary> out;
    while (st.step()) {
      Episode ep = row_to_episode(st);
      out.push_back(EpisodeSummary{std::move(ep.episode_id), std::move(ep.summary), std::move(ep.metadata)});
    }
    return out;
  });
}

void SqliteEpisodicStore::delete_(const std::string& episode_id) {
  handle_.with_db([&](SqliteDatabase& db) {
    // One statement: the first (lowest-ordinal) match, atomically.
    SqliteStatement st = db.prepare(
        "DELETE FROM episodes WHERE ordinal = "
        "(SELECT ordinal FROM episodes WHERE episode_id = ? ORDER BY ordinal LIMIT 1)");
    st.bind_text(1, episode_id);
    st.run();
    if (db.changes() == 0) throw ItemNotFoundError("Episode not found: " + py_repr(episode_id));
  });
}

void SqliteEpisodicStore::close() {
  if (handle_.close()) CW_LOG_DEBUG("contextweaver.store", "sqlite_episodic.close: path=" + handle_.path());
}

}  // namespace contextweaver
