// The SQLite base: migrations, transactions, pragmas, paths; and the event
// log's SQL query checked against a model of the reference's in-memory query.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

// Stores on one connection write inside run_in_transaction: all of it
// commits together, or none of it when the body throws.
TEST(SqliteDatabase, RunInTransactionCommitsStoresTogetherOrNotAtAll) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "tx.db").string());
  SqliteEventLog log(db);
  SqliteArtifactStore artifacts(db);
  const auto item = [](const std::string& id) {
    return ContextItem{id, ItemKind::tool_result, "t", 0, Sensitivity::public_, Json::object(), {}, {}};
  };
  run_in_transaction(*db, [&] {
    artifacts.put("a1", "bytes");
    log.append(item("e1"));
  });
  SqliteEventLog other((dir / "tx.db").string());  // another connection sees the commit
  EXPECT_EQ(other.get("e1").id, "e1");
  EXPECT_EQ(artifacts.get("a1"), "bytes");

  EXPECT_THROW(run_in_transaction(*db,
                                  [&] {
                                    artifacts.put("a2", "bytes");
                                    log.append(item("e2"));
                                    log.append(item("e1"));  // DuplicateItemError
                                  }),
               DuplicateItemError);
  EXPECT_FALSE(artifacts.exists("a2"));
  EXPECT_THROW(log.get("e2"), ItemNotFoundError);
  EXPECT_EQ(log.count(), 1u);
  run_in_transaction(*db, [&] { log.append(item("e3")); });  // the connection is usable again
  EXPECT_EQ(other.count(), 2u);
}

// append_many inside run_in_transaction is a savepoint of it: it commits
// with the outer transaction, a failed batch undoes only itself, and a
// failure of the outer body undoes the batches too.
TEST(SqliteDatabase, AppendManyInsideRunInTransactionJoinsIt) {
  cwtest::TempDir dir;
  auto db = SqliteDatabase::open((dir / "nested.db").string());
  SqliteEventLog log(db);
  SqliteEventLog other((dir / "nested.db").string());
  const auto item = [](const std::string& id) {
    return ContextItem{id, ItemKind::user_turn, "t", 0, Sensitivity::public_, Json::object(), {}, {}};
  };
  const std::vector<ContextItem> first{item("a"), item("b")};
  const std::vector<ContextItem> clashing{item("c"), item("a")};
  run_in_transaction(*db, [&] {
    log.append_many(first);
    EXPECT_THROW(log.append_many(clashing), DuplicateItemError);
    EXPECT_EQ(other.count(), 0u);  // nothing committed before the outer commit
  });
  EXPECT_EQ(other.count(), 2u);
  EXPECT_THROW(other.get("c"), ItemNotFoundError);

  const std::vector<ContextItem> more{item("d"), item("e")};
  EXPECT_THROW(run_in_transaction(*db,
                                  [&] {
                                    log.append_many(more);
                                    throw ValueError("abandon");
                                  }),
               ValueError);
  EXPECT_EQ(other.count(), 2u);
  EXPECT_THROW(log.get("d"), ItemNotFoundError);
  log.append_many(more);  // on its own again: its own transaction
  EXPECT_EQ(other.count(), 4u);
}

TEST(SqliteDatabase, NormalisesPathsAsPathlib) {
  EXPECT_EQ(normalise_path("a//b/./c/"), "a/b/c");
  EXPECT_EQ(normalise_path("./a"), "a");
  EXPECT_EQ(normalise_path("/x/../y"), "/x/../y");
  EXPECT_EQ(normalise_path("///x"), "/x");
  EXPECT_EQ(normalise_path("//x"), "//x");
  EXPECT_EQ(normalise_path(""), ".");
  EXPECT_EQ(normalise_path("."), ".");
}

TEST(SqliteDatabase, PathPropertyIsNormalised) {
  cwtest::TempDir dir;
  SqliteEventLog log(dir.path().string() + "//sub/./log.db");
  EXPECT_EQ(log.path(), (dir / "sub" / "log.db").string());
  log.close();
  EXPECT_EQ(log.path(), (dir / "sub" / "log.db").string());  // still valid after close
}

TEST(SqliteDatabase, DurabilitySetsSynchronous) {
  cwtest::TempDir dir;
  for (const auto& [durability, expected] : {std::pair{Durability::normal, 1}, std::pair{Durability::full, 2}}) {
    SqliteOptions options;
    options.durability = durability;
    options.busy_timeout_ms = 1000;
    auto db = SqliteDatabase::open((dir / "d.db").string(), options);
    std::lock_guard lock(db->mutex());
    EXPECT_EQ(db->query_int("PRAGMA synchronous"), expected);
    EXPECT_EQ(db->query_int("PRAGMA foreign_keys"), 1);
    EXPECT_EQ(db->query_int("PRAGMA busy_timeout"), 1000);
    EXPECT_EQ(db->query_int("PRAGMA cache_size"), -options.cache_size_kib);
  }
}

TEST(SqliteDatabase, MigrationsApplyInOrderOnceEach) {
  auto db = SqliteDatabase::open(":memory:");
  std::lock_guard lock(db->mutex());
  int runs = 0;
  const std::vector<SqliteMigration> migrations{
      [&](SqliteDatabase& d) { ++runs, d.exec("CREATE TABLE t (a INTEGER)"); },
      [&](SqliteDatabase& d) { ++runs, d.exec("ALTER TABLE t ADD COLUMN b TEXT"); }};
  EXPECT_EQ(schema_version(*db, "_v"), -1);
  EXPECT_EQ(apply_migrations(*db, "_v", migrations), 1);
  EXPECT_EQ(apply_migrations(*db, "_v", migrations), 1);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(db->query_int("SELECT COUNT(*) FROM _v"), 2);
  // applied_at is CURRENT_TIMESTAMP: "YYYY-MM-DD HH:MM:SS".
  SqliteStatement st = db->prepare("SELECT applied_at FROM _v WHERE version = 0");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.column_text(0).size(), 19u);
}

TEST(SqliteDatabase, FailedMigrationRollsBackOnAnyException) {
  auto db = SqliteDatabase::open(":memory:");
  std::lock_guard lock(db->mutex());
  const std::vector<SqliteMigration> first{[](SqliteDatabase& d) { d.exec("CREATE TABLE t (a INTEGER)"); }};
  ASSERT_EQ(apply_migrations(*db, "_v", first), 0);
  // A C++ exception (not an SQLite error) half-way through migration 1.
  const std::vector<SqliteMigration> throwing{first[0], [](SqliteDatabase& d) {
                                                d.exec("CREATE TABLE half (x)");
                                                throw std::runtime_error("boom");
                                              }};
  EXPECT_THROW(apply_migrations(*db, "_v", throwing), std::runtime_error);
  EXPECT_FALSE(db->table_exists("half"));
  EXPECT_EQ(schema_version(*db, "_v"), 0);
  // An SQL error: typed, rolled back too.
  const std::vector<SqliteMigration> bad_sql{first[0], [](SqliteDatabase& d) {
                                               d.exec("CREATE TABLE half (x)");
                                               d.exec("CREATE TABLE t (a)");  // already exists
                                             }};
  EXPECT_THROW(apply_migrations(*db, "_v", bad_sql), ContextWeaverError);
  EXPECT_FALSE(db->table_exists("half"));
  EXPECT_EQ(schema_version(*db, "_v"), 0);
  // The connection is usable and the migration can be retried.
  const std::vector<SqliteMigration> good{first[0], [](SqliteDatabase& d) { d.exec("CREATE TABLE half (x)"); }};
  EXPECT_EQ(apply_migrations(*db, "_v", good), 1);
  EXPECT_TRUE(db->table_exists("half"));
}

TEST(SqliteDatabase, TransactionRollsBackUnlessCommitted) {
  auto db = SqliteDatabase::open(":memory:");
  std::lock_guard lock(db->mutex());
  db->exec("CREATE TABLE t (a INTEGER)");
  try {
    SqliteTransaction tx(*db);
    db->exec("INSERT INTO t VALUES (1)");
    throw std::runtime_error("abandon");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(db->query_int("SELECT COUNT(*) FROM t"), 0);
  {
    SqliteTransaction tx(*db);
    db->exec("INSERT INTO t VALUES (2)");
    tx.commit();
  }
  EXPECT_EQ(db->query_int("SELECT COUNT(*) FROM t"), 1);
}

TEST(SqliteDatabase, ExistingEventLogTableWithoutVersionRowFails) {
  // As the reference: migration 0 uses plain CREATE TABLE, so a foreign
  // event_log table is an error (and the version table records nothing).
  cwtest::TempDir dir;
  const std::string path = (dir / "foreign.db").string();
  {
    auto db = SqliteDatabase::open(path);
    std::lock_guard lock(db->mutex());
    db->exec("CREATE TABLE event_log (x)");
  }
  EXPECT_THROW(SqliteEventLog{path}, ContextWeaverError);
  auto db = SqliteDatabase::open(path);
  std::lock_guard lock(db->mutex());
  EXPECT_EQ(schema_version(*db, SqliteEventLog::kVersionTable), -1);
}

TEST(SqliteEventLogQuery, KindQueriesUseTheKindIndex) {
  cwtest::TempDir dir;
  const std::string path = (dir / "plan.db").string();
  SqliteEventLog log(path);  // creates the schema
  auto db = SqliteDatabase::open(path);
  std::lock_guard lock(db->mutex());
  SqliteStatement st = db->prepare(
      "EXPLAIN QUERY PLAN SELECT id FROM event_log INDEXED BY idx_event_log_kind WHERE kind = ? AND ordinal >= ? "
      "ORDER BY ordinal LIMIT ?");
  std::string plan;
  while (st.step()) plan += std::string(st.column_text(3)) + "\n";
  EXPECT_NE(plan.find("idx_event_log_kind"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;  // no sort
}

// The reference's query over a plain vector (store.md §5.1).
std::vector<std::string> model_query(const std::vector<ContextItem>& items,
                                     const std::optional<std::vector<ItemKind>>& kinds,
                                     std::optional<std::int64_t> since, std::optional<std::int64_t> limit) {
  if (kinds && kinds->empty()) return {};
  std::vector<ContextItem> cur = items;
  if (since) {
    const SliceRange r = py_slice(cur.size(), since, std::nullopt);
    cur = std::vector<ContextItem>(cur.begin() + static_cast<std::ptrdiff_t>(r.begin),
                                   cur.begin() + static_cast<std::ptrdiff_t>(r.end));
  }
  if (kinds) {
    std::erase_if(
        cur, [&](const ContextItem& i) { return std::find(kinds->begin(), kinds->end(), i.kind) == kinds->end(); });
  }
  if (limit) {
    const SliceRange r = py_slice(cur.size(), std::nullopt, limit);
    cur.resize(r.end);
  }
  std::vector<std::string> out;
  for (const auto& i : cur) out.push_back(i.id);
  return out;
}

TEST(SqliteEventLogQuery, MatchesTheReferenceSemanticsOnRandomInputs) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 8; ++round) {
    SqliteEventLog log(":memory:");
    std::vector<ContextItem> items;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      ContextItem item;
      item.id = "r" + std::to_string(round) + "-" + std::to_string(i);
      item.kind = kAllItemKinds[rng() % 4];
      item.text = "t";
      items.push_back(item);
    }
    // Half appended one by one, half in a batch.
    for (int i = 0; i < n / 2; ++i) log.append(items[static_cast<std::size_t>(i)]);
    log.append_many(std::span<const ContextItem>(items).subspan(static_cast<std::size_t>(n / 2)));
    for (int q = 0; q < 200; ++q) {
      std::optional<std::vector<ItemKind>> kinds;
      if (rng() % 3 != 0) {
        kinds.emplace();
        const int k = static_cast<int>(rng() % 4);
        for (int j = 0; j < k; ++j) kinds->push_back(kAllItemKinds[rng() % 5]);
      }
      auto bound = [&]() -> std::optional<std::int64_t> {
        if (rng() % 3 == 0) return std::nullopt;
        return static_cast<std::int64_t>(rng() % 100) - 50;
      };
      const auto since = bound();
      const auto limit = bound();
      std::vector<std::string> got;
      for (const auto& i : log.query(kinds, since, limit)) got.push_back(i.id);
      ASSERT_EQ(got, model_query(items, kinds, since, limit))
          << "n=" << n << " since=" << (since ? std::to_string(*since) : "None")
          << " limit=" << (limit ? std::to_string(*limit) : "None")
          << " kinds=" << (kinds ? std::to_string(kinds->size()) : "None");
    }
  }
}

TEST(SqliteEventLogQuery, ClosedLogKeepsTheTrivialAnswers) {
  SqliteEventLog log(":memory:");
  log.append(ContextItem{"a", ItemKind::user_turn, "t", 0, Sensitivity::public_, Json::object(), {}, {}});
  log.close();
  EXPECT_TRUE(log.filter_by_kind({}).empty());
  EXPECT_TRUE(log.tail(0).empty());
  EXPECT_TRUE(log.query(std::vector<ItemKind>{}).empty());
  EXPECT_EQ(log.path(), ":memory:");
  EXPECT_THROW(log.get("a"), StoreClosedError);
  EXPECT_THROW(log.all(), StoreClosedError);
  EXPECT_THROW(log.count(), StoreClosedError);
  EXPECT_THROW(log.tail(1), StoreClosedError);
  EXPECT_THROW(log.children("a"), StoreClosedError);
  EXPECT_THROW(log.parent("a"), StoreClosedError);
  EXPECT_THROW(log.query(), StoreClosedError);
  EXPECT_THROW(log.append_many({}), StoreClosedError);
  const ItemKind kinds[] = {ItemKind::user_turn};
  EXPECT_THROW(log.filter_by_kind(kinds), StoreClosedError);
}

TEST(SqliteLogging, WritesEmitTheReferenceDebugMessages) {
  std::vector<std::string> lines;
  set_log_sink([&](LogLevel level, std::string_view logger, std::string_view message) {
    if (level == LogLevel::debug && logger == "contextweaver.store") lines.emplace_back(message);
  });
  {
    SqliteEventLog log(":memory:");
    log.append(ContextItem{"a1", ItemKind::tool_call, "t", 0, Sensitivity::public_, Json::object(), {}, {}});
    SqliteFactStore facts(":memory:");
    facts.put(Fact{"f1", "color", "blue", {}, Json::object()});
    SqliteEpisodicStore episodes(":memory:");
    episodes.add(Episode{"e1", "summary", {}, Json::object()});
    SqliteArtifactStore artifacts(":memory:");
    artifacts.put("h1", "bytes");
  }
  set_log_sink({});
  auto has = [&](const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l == text; });
  };
  EXPECT_TRUE(has("sqlite.connect: path=:memory:"));
  EXPECT_TRUE(has("sqlite.migrate: applying version=0"));
  EXPECT_TRUE(has("event_log.append: id=a1, kind=tool_call"));
  EXPECT_TRUE(has("fact_store.put: id=f1, key=color"));
  EXPECT_TRUE(has("episodic_store.add: id=e1"));
  EXPECT_TRUE(has("artifact_store.put: handle=h1, size=5"));
  EXPECT_TRUE(has("sqlite_event_log.close: path=:memory:"));
}

TEST(SqliteEventLogCount, AReferenceFileIsMigratedAndCountedByAnyWriter) {
  // A file as the reference writes it (schema version 0, rows, no counter).
  cwtest::TempDir dir;
  const std::string path = (dir / "reference.db").string();
  {
    auto db = SqliteDatabase::open(path);
    std::lock_guard lock(db->mutex());
    db->exec(
        "CREATE TABLE _contextweaver_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT "
        "CURRENT_TIMESTAMP);"
        "CREATE TABLE event_log (ordinal INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT "
        "NULL, text TEXT NOT NULL, token_estimate INTEGER NOT NULL DEFAULT 0, sensitivity TEXT NOT NULL, metadata TEXT "
        "NOT NULL, parent_id TEXT, artifact_ref TEXT);"
        "CREATE INDEX idx_event_log_kind ON event_log(kind);"
        "CREATE INDEX idx_event_log_parent ON event_log(parent_id);"
        "INSERT INTO _contextweaver_schema_version (version) VALUES (0);"
        "INSERT INTO event_log (id, kind, text, sensitivity, metadata) VALUES "
        "('a', 'user_turn', 'x', 'public', '{}'), ('b', 'user_turn', 'y', 'public', '{}'), "
        "('c', 'tool_call', 'z', 'public', '{\"k\": 1}');");
  }
  SqliteEventLog log(path);
  EXPECT_EQ(log.schema_version(), SqliteEventLog::latest_schema_version());
  EXPECT_EQ(log.count(), 3u);
  EXPECT_EQ(log.get("c").metadata["k"], 1);
  // Writers that bypass this library (the triggers are in the file) keep the count right.
  {
    auto raw = SqliteDatabase::open(path);
    std::lock_guard lock(raw->mutex());
    raw->exec("DELETE FROM event_log WHERE id = 'b'");
    raw->exec(
        "INSERT INTO event_log (id, kind, text, sensitivity, metadata) VALUES ('d', 'agent_msg', 'w', 'public', '{}')");
  }
  EXPECT_EQ(log.count(), 3u);
  EXPECT_EQ(log.all().size(), 3u);
  // Failed appends do not count.
  EXPECT_THROW(log.append(ContextItem{"a", ItemKind::user_turn, "t", 0, Sensitivity::public_, Json::object(), {}, {}}),
               DuplicateItemError);
  const std::vector<ContextItem> batch{
      ContextItem{"e", ItemKind::user_turn, "t", 0, Sensitivity::public_, Json::object(), {}, {}},
      ContextItem{"d", ItemKind::user_turn, "t", 0, Sensitivity::public_, Json::object(), {}, {}}};
  EXPECT_THROW(log.append_many(batch), DuplicateItemError);
  EXPECT_EQ(log.count(), 3u);
}

}  // namespace
