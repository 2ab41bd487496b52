// Reliability of the SQLite stores: a killed writer loses no acknowledged
// item, and bad input (corrupt or foreign files, newer schemas, folders in
// the way, invalid UTF-8) gives typed errors and changes nothing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

ContextItem make(int i) {
  ContextItem item;
  char id[32];
  std::snprintf(id, sizeof id, "ev%06d", i);
  item.id = id;
  item.kind = ItemKind::tool_result;
  item.text = "payload " + std::to_string(i) + " " + std::string(200, 'p');
  item.metadata = Json::object({{"i", i}, {"tags", Json::array({"a", "b"})}});
  return item;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A writer killed with SIGKILL mid-stream: every append it acknowledged
// (default durability) is present and intact, and the log is a clean prefix.
TEST(SqliteCrashSafety, KilledWriterLosesNoAcknowledgedItem) {
  cwtest::TempDir dir;
  const std::string path = (dir / "crash.db").string();
  { SqliteEventLog create(path); }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    try {
      SqliteEventLog log(path);
      for (int i = 0; i < 1000000; ++i) {
        log.append(make(i));
        if (write(fds[1], &i, sizeof i) != static_cast<ssize_t>(sizeof i)) _exit(3);
      }
    } catch (...) {
      _exit(2);
    }
    _exit(0);
  }
  close(fds[1]);
  int acknowledged = -1;
  int value = 0;
  while (read(fds[0], &value, sizeof value) == static_cast<ssize_t>(sizeof value)) {
    acknowledged = value;
    if (acknowledged == 300) kill(pid, SIGKILL);
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended on its own (status " << status << ")";
  ASSERT_GE(acknowledged, 300);

  SqliteEventLog log(path);
  const std::size_t n = log.count();
  // Every acknowledged item, and at most the one being appended when killed.
  EXPECT_GE(n, static_cast<std::size_t>(acknowledged + 1));
  EXPECT_LE(n, static_cast<std::size_t>(acknowledged + 2));
  const auto all = log.all();
  ASSERT_EQ(all.size(), n);
  for (std::size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], make(static_cast<int>(i)));
  log.append(make(static_cast<int>(n)));  // and the file is writable afterwards
  EXPECT_EQ(log.count(), n + 1);
}

TEST(SqliteBadInput, NonSqliteFileIsRefusedAndUntouched) {
  cwtest::TempDir dir;
  const auto path = dir / "notes.db";
  std::string content;
  for (int i = 0; i < 200; ++i) content += "this is not a database\n";
  cwtest::write_file(path, content);
  try {
    SqliteEventLog log(path.string());
    FAIL() << "opened a text file as a database";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(contains(e.what(), "file is not a database")) << e.what();
    EXPECT_TRUE(contains(e.what(), path.string())) << e.what();
  }
  EXPECT_EQ(cwtest::read_file(path), content);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST(SqliteBadInput, CorruptDatabaseIsRefusedAndUntouched) {
  cwtest::TempDir dir;
  const auto path = dir / "corrupt.db";
  {
    SqliteEventLog log(path.string());
    for (int i = 0; i < 50; ++i) log.append(make(i));
  }
  ASSERT_FALSE(std::filesystem::exists(path.string() + "-wal"));  // checkpointed at close
  std::string bytes = cwtest::read_file(path);
  ASSERT_GT(bytes.size(), 4096u);
  // Scribble over the schema page (page 1, after the 100-byte header).
  for (std::size_t i = 100; i < 400; ++i) bytes[i] = static_cast<char>(0xA5);
  cwtest::write_file(path, bytes);
  try {
    SqliteEventLog log(path.string());
    FAIL() << "opened a corrupt database";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(contains(e.what(), "malformed")) << e.what();
    EXPECT_TRUE(contains(e.what(), path.string())) << e.what();
  }
  EXPECT_EQ(cwtest::read_file(path), bytes);
}

TEST(SqliteBadInput, NewerSchemaVersionIsRefused) {
  cwtest::TempDir dir;
  const std::string path = (dir / "future.db").string();
  {
    SqliteEventLog log(path);
    log.append(make(1));
  }
  {
    auto db = SqliteDatabase::open(path);
    std::lock_guard lock(db->mutex());
    db->exec("INSERT INTO _contextweaver_schema_version (version) VALUES (99)");
  }
  try {
    SqliteEventLog log(path);
    FAIL() << "opened a database from the future";
  } catch (const ContextWeaverError& e) {
    EXPECT_TRUE(contains(e.what(), "schema version 99")) << e.what();
    EXPECT_TRUE(contains(e.what(), "(" + std::to_string(SqliteEventLog::latest_schema_version()) + ")")) << e.what();
    EXPECT_TRUE(contains(e.what(), "_contextweaver_schema_version")) << e.what();
  }
  // The other stores' version tables are independent: they still open the file.
  SqliteFactStore facts(path);
  EXPECT_EQ(facts.schema_version(), 0);
}

TEST(SqliteBadInput, NewerFactSchemaIsRefused) {
  cwtest::TempDir dir;
  const std::string path = (dir / "future.db").string();
  { SqliteFactStore facts(path); }
  {
    auto db = SqliteDatabase::open(path);
    std::lock_guard lock(db->mutex());
    db->exec("INSERT INTO _contextweaver_schema_version_facts (version) VALUES (7)");
  }
  EXPECT_THROW(SqliteFactStore{path}, ContextWeaverError);
}

TEST(SqliteBadInput, FolderWhereTheFileShouldBe) {
  cwtest::TempDir dir;
  const auto path = dir / "db.sqlite";
  std::filesystem::create_directory(path);
  try {
    SqliteEventLog log(path.string());
    FAIL() << "opened a folder";
  } catch (const StorageError& e) {
    EXPECT_TRUE(contains(e.what(), "folder")) << e.what();
    EXPECT_TRUE(contains(e.what(), path.string())) << e.what();
  }
}

TEST(SqliteBadInput, FileWhereTheParentFolderShouldBe) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "blocker", "x");
  EXPECT_THROW(SqliteEventLog((dir / "blocker" / "log.db").string()), StorageError);
}

TEST(SqliteBadInput, ReadOnlyFolder) {
  cwtest::TempDir dir;
  const auto ro = dir / "ro";
  std::filesystem::create_directory(ro);
  chmod(ro.c_str(), 0555);
  if (access(ro.c_str(), W_OK) == 0) GTEST_SKIP() << "running as a user who can write to a read-only folder (root)";
  try {
    SqliteEventLog log((ro / "log.db").string());
    FAIL() << "created a database in a read-only folder";
  } catch (const StorageError& e) {
    EXPECT_TRUE(contains(e.what(), (ro / "log.db").string())) << e.what();
  }
  EXPECT_THROW(SqliteEventLog((ro / "sub" / "log.db").string()), StorageError);
}

TEST(SqliteBadInput, InvalidUtf8IsRejectedAndNothingIsWritten) {
  SqliteEventLog log(":memory:");
  ContextItem bad_text = make(1);
  bad_text.text = "caf\xE9";
  EXPECT_THROW(log.append(bad_text), ValueError);
  ContextItem bad_id = make(2);
  bad_id.id = "\xFF";
  EXPECT_THROW(log.append(bad_id), ValueError);
  ContextItem bad_meta = make(3);
  bad_meta.metadata["k\xC0"] = 1;
  EXPECT_THROW(log.append(bad_meta), ValueError);
  ContextItem bad_nested = make(4);
  bad_nested.metadata["list"] = Json::array({"ok", "\xED\xA0\x80"});
  EXPECT_THROW(log.append(bad_nested), ValueError);
  const std::vector<ContextItem> batch{make(5), bad_text};
  EXPECT_THROW(log.append_many(batch), ValueError);
  EXPECT_EQ(log.count(), 0u);

  SqliteFactStore facts(":memory:");
  EXPECT_THROW(facts.put(Fact{"f", "k", "\x80", {}, Json::object()}), ValueError);
  EXPECT_TRUE(facts.all().empty());
  SqliteEpisodicStore episodes(":memory:");
  EXPECT_THROW(episodes.add(Episode{"e", "ok", {"\xFE"}, Json::object()}), ValueError);
  EXPECT_TRUE(episodes.all().empty());
  SqliteArtifactStore artifacts(":memory:");
  EXPECT_THROW(artifacts.put("h\xFF", "bytes"), ValueError);
  // Content is bytes: anything goes.
  EXPECT_EQ(artifacts.put("h", std::string("\xFF\x00\xFE", 3)).size_bytes, 3);
  EXPECT_EQ(artifacts.get("h"), std::string("\xFF\x00\xFE", 3));
}

TEST(SqliteBadInput, OnlyIdUniquenessIsADuplicate) {
  // S1: another constraint failure is reported with SQLite's message.
  SqliteEventLog log(":memory:");
  log.append(make(1));
  auto db = SqliteDatabase::open(":memory:");  // (a separate database: unaffected)
  EXPECT_THROW(log.append(make(1)), DuplicateItemError);
  // A trigger that refuses an insert is a constraint failure, not a duplicate.
  cwtest::TempDir dir;
  const std::string path = (dir / "s1.db").string();
  { SqliteEventLog create(path); }
  {
    auto raw = SqliteDatabase::open(path);
    std::lock_guard lock(raw->mutex());
    raw->exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON event_log WHEN NEW.text = 'no' "
        "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END");
  }
  SqliteEventLog guarded(path);
  ContextItem refused = make(7);
  refused.text = "no";
  try {
    guarded.append(refused);
    FAIL() << "the trigger did not fire";
  } catch (const DuplicateItemError& e) {
    FAIL() << "reported as a duplicate: " << e.what();
  } catch (const ContextWeaverError& e) {
    EXPECT_TRUE(contains(e.what(), "refused by trigger")) << e.what();
  }
  EXPECT_EQ(guarded.count(), 0u);
}

TEST(SqliteBadInput, BadKindInTheDatabaseIsAValueError) {
  cwtest::TempDir dir;
  const std::string path = (dir / "kind.db").string();
  SqliteEventLog log(path);
  log.append(make(1));
  {
    auto raw = SqliteDatabase::open(path);
    std::lock_guard lock(raw->mutex());
    raw->exec(
        "INSERT INTO event_log (id, kind, text, sensitivity, metadata) "
        "VALUES ('odd', 'bogus', 't', 'public', '{}')");
  }
  try {
    log.get("odd");
    FAIL() << "hydrated a bogus kind";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "'bogus' is not a valid ItemKind");
  }
  EXPECT_EQ(log.get(make(1).id), make(1));
}

}  // namespace
