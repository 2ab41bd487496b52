// Sessions on disk that were removed, replaced, emptied or corrupted are
// never written over silently (docs/sessions.md#integrity).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <cstdio>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/session/session.hpp"
#include "contextweaver/session/session_errors.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;
namespace fs = std::filesystem;

namespace {

cw::ContextItem item(const std::string& id, std::size_t text_bytes = 8) {
  cw::ContextItem result;
  result.id = id;
  result.kind = cw::ItemKind::user_turn;
  result.text = id + std::string(text_bytes, 'x');
  return result;
}

cw::Workspace workspace_in(const cwtest::TempDir& dir) {
  return cw::Workspace(cw::WorkspaceLocation::folder(dir / "ws"));
}

void add_events(const cw::Workspace& workspace, const cw::SessionName& name, int count, std::size_t text_bytes = 8,
                int first = 0) {
  cw::Session session = workspace.open(name, cw::SessionAccess::write);
  session.write([&] {
    for (int i = first; i < first + count; ++i) {
      std::string id = "e";
      id += std::to_string(i);
      session.stores().events().append(item(id, text_bytes));
    }
  });
}

// Overwrites `count` pages of 4096 bytes from page `first` (0-based) with zeros.
void zero_pages(const fs::path& file, int first, int count) {
  const int fd = ::open(file.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  const std::string zeros(4096, '\0');
  for (int page = first; page < first + count; ++page) {
    ASSERT_EQ(::pwrite(fd, zeros.data(), zeros.size(), static_cast<off_t>(page) * 4096), 4096);
  }
  ::close(fd);
}

}  // namespace

// ---- #7: a recorder whose session was removed or replaced -----------------

TEST(SessionIntegrity, RecorderRefusesToWriteIntoARemovedSession) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("gw");
  cw::Session recorder = workspace.open(name, cw::SessionAccess::record);
  recorder.write([&] { recorder.stores().events().append(item("before")); });
  fs::remove_all(workspace.session_dir(name));
  try {
    recorder.write([&] { recorder.stores().events().append(item("after")); });
    FAIL() << "wrote into a removed session";
  } catch (const cw::SessionReplacedError& e) {
    EXPECT_NE(std::string(e.what()).find("was removed"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.code()), "CW_SESSION_REPLACED");
  }
  // Nothing was re-created (no .lock, no artifacts/).
  EXPECT_FALSE(fs::exists(workspace.session_dir(name)));
}

TEST(SessionIntegrity, RecorderRefusesToWriteIntoAReplacedSession) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("demo");
  cw::Session recorder = workspace.open(name, cw::SessionAccess::record);
  recorder.write([&] { recorder.stores().events().append(item("before")); });
  {
    // What `contextweaver demo` does: clear under the lock, then write a new session.
    const cw::SessionLock lock = workspace.lock(name, cw::SessionLock::Mode::exclusive);
    workspace.clear(name);
    const cw::SessionStores fresh = workspace.open_stores(name, cw::SessionAccess::write);
    fresh.events().append(item("demo-1"));
  }
  EXPECT_THROW(recorder.write([&] { recorder.stores().events().append(item("lost")); }), cw::SessionReplacedError);
  const cw::Session reader = workspace.open(name, cw::SessionAccess::read);
  EXPECT_EQ(reader.stores().events().count(), 1u);
}

TEST(SessionIntegrity, WriterOpenForLongRefusesAReplacedDatabase) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  cw::Session writer = workspace.open(name, cw::SessionAccess::write);
  writer.write([&] { writer.stores().events().append(item("a")); });
  fs::rename(workspace.database_path(name), dir / "moved.db");
  EXPECT_THROW(writer.write([&] { writer.stores().events().append(item("b")); }), cw::SessionReplacedError);
}

// ---- #8: an initialised database that lost its contents --------------------

TEST(SessionIntegrity, TruncatedDatabaseIsAnErrorNotAnEmptySession) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 3);
  EXPECT_TRUE(fs::exists(workspace.marker_path(name)));
  fs::resize_file(workspace.database_path(name), 0);
  for (const auto access : {cw::SessionAccess::read, cw::SessionAccess::write, cw::SessionAccess::record}) {
    try {
      workspace.open(name, access);
      FAIL() << "opened a session whose database lost its contents";
    } catch (const cw::SessionDataLostError& e) {
      EXPECT_NE(std::string(e.what()).find("lost"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(fs::file_size(workspace.database_path(name)), 0u);  // nothing written over the loss
}

TEST(SessionIntegrity, SchemalessOrMissingDatabaseOfAnInitialisedSessionIsAnError) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 3);
  // A valid SQLite file without any table (e.g. copied over the session's).
  fs::remove(workspace.database_path(name));
  { auto empty = cw::SqliteDatabase::open(workspace.database_path(name).string()); }
  EXPECT_THROW(workspace.open(name, cw::SessionAccess::write), cw::SessionDataLostError);
  EXPECT_THROW(workspace.open(name, cw::SessionAccess::read), cw::SessionDataLostError);
  fs::remove(workspace.database_path(name));
  EXPECT_THROW(workspace.open(name, cw::SessionAccess::read), cw::SessionDataLostError);
  EXPECT_THROW(workspace.open(name, cw::SessionAccess::write), cw::SessionDataLostError);
  EXPECT_FALSE(fs::exists(workspace.database_path(name)));
  // Listed, so `sessions` shows the problem.
  EXPECT_EQ(workspace.list().size(), 1u);
}

TEST(SessionIntegrity, OlderSessionsWithoutMarkerKeepWorkingAndGetIt) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("old");
  add_events(workspace, name, 2);
  fs::remove(workspace.marker_path(name));
  EXPECT_EQ(workspace.open(name, cw::SessionAccess::read).stores().events().count(), 2u);
  EXPECT_FALSE(fs::exists(workspace.marker_path(name)));  // a reader writes nothing
  add_events(workspace, name, 1, 8, 2);
  EXPECT_TRUE(fs::exists(workspace.marker_path(name)));
  EXPECT_EQ(workspace.open(name, cw::SessionAccess::read).stores().events().count(), 3u);
}

TEST(SessionIntegrity, ClearingASessionRemovesItsMarker) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 1);
  workspace.clear(name);
  EXPECT_FALSE(fs::exists(workspace.marker_path(name)));
  add_events(workspace, name, 1);  // a fresh session, not a lost one
}

// ---- #9: a corrupt database is not written to ------------------------------

TEST(SessionIntegrity, CorruptDatabaseIsNotWrittenTo) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 400, 2000);
  const fs::path database = workspace.database_path(name);
  ASSERT_FALSE(fs::exists(fs::path(database.string() + "-wal")));
  ASSERT_GT(fs::file_size(database), 40u * 4096);
  zero_pages(database, 10, 20);
  const auto size = fs::file_size(database);
  try {
    workspace.open(name, cw::SessionAccess::write);
    FAIL() << "opened a corrupt database for writing";
  } catch (const cw::SessionCorruptError& e) {
    EXPECT_NE(std::string(e.what()).find("corrupt"), std::string::npos) << e.what();
  }
  EXPECT_THROW(workspace.open(name, cw::SessionAccess::record), cw::SessionCorruptError);
  EXPECT_EQ(fs::file_size(database), size);
  // Still refused the next time (a failed check records nothing).
  EXPECT_THROW(workspace.open(name, cw::SessionAccess::write), cw::SessionCorruptError);
}

TEST(SessionIntegrity, AWriterLeavesTheDatabaseStampedSoTheNextOpenSkipsTheCheck) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 5);
  const std::string marker = cwtest::read_file(workspace.marker_path(name));
  EXPECT_NE(marker.find("verified "), std::string::npos) << marker;
  add_events(workspace, name, 5, 8, 5);  // and the next writer works
  EXPECT_EQ(workspace.open(name, cw::SessionAccess::read).stores().events().count(), 10u);
}

// ---- #16: which folders may become a workspace -----------------------------

TEST(WorkspaceFolders, AFolderHoldingOtherThingsIsRefusedUnlessInitialised) {
  const cwtest::TempDir dir;
  fs::create_directory(dir / "data");
  cwtest::write_file(dir / "data" / "notes.txt", "mine");
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "data"));
  try {
    workspace.open(cw::SessionName("s"), cw::SessionAccess::write);
    FAIL() << "made a folder holding other files a workspace";
  } catch (const cw::NotAWorkspaceError& e) {
    EXPECT_NE(std::string(e.what()).find("--init"), std::string::npos) << e.what();
  }
  EXPECT_THROW(workspace.lock(cw::SessionName("s"), cw::SessionLock::Mode::exclusive), cw::NotAWorkspaceError);
  EXPECT_FALSE(fs::exists(dir / "data" / "sessions"));
  workspace.initialise();
  EXPECT_TRUE(fs::exists(workspace.workspace_marker_path()));
  add_events(workspace, cw::SessionName("s"), 1);
}

TEST(WorkspaceFolders, NewEmptyAndOlderWorkspacesAreAccepted) {
  const cwtest::TempDir dir;
  // New: created, with the marker.
  const cw::Workspace fresh(cw::WorkspaceLocation::folder(dir / "new"));
  add_events(fresh, cw::SessionName("s"), 1);
  EXPECT_TRUE(fs::exists(fresh.workspace_marker_path()));
  // Empty.
  fs::create_directory(dir / "empty");
  add_events(cw::Workspace(cw::WorkspaceLocation::folder(dir / "empty")), cw::SessionName("s"), 1);
  // An older version's workspace: nothing but sessions/.
  fs::remove(fresh.workspace_marker_path());
  add_events(fresh, cw::SessionName("t"), 1);
  EXPECT_TRUE(fs::exists(fresh.workspace_marker_path()));
  EXPECT_EQ(fresh.list().size(), 2u);
}

// ---- #17: permissions ------------------------------------------------------

namespace {

// Runs `body` in a child process as an unprivileged user (nobody, when this
// process is root) and returns its exit status; -1 when privileges cannot be
// dropped.
int as_unprivileged(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(99);
    int code = 98;
    try {
      code = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "unprivileged child: %s\n", e.what());
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 99) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

TEST(SessionPermissions, AnUnsearchableSessionFolderSaysPermissionDenied) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 1);
  fs::permissions(workspace.session_dir(name), fs::perms::none);
  const int code = as_unprivileged([&] {
    if (workspace.list().size() != 1) return 1;  // listed, not hidden
    try {
      workspace.open(name, cw::SessionAccess::read);
      return 2;
    } catch (const cw::StorageError& e) {
      const std::string what = e.what();
      return what.find("permission denied") != std::string::npos &&
                     what.find(workspace.session_dir(name).string()) != std::string::npos
                 ? 0
                 : 3;
    } catch (...) {
      return 4;
    }
  });
  if (code == -1) GTEST_SKIP() << "cannot drop privileges to test permissions";
  EXPECT_EQ(code, 0);
}

TEST(SessionPermissions, AReadOnlySessionIsReadable) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 3);
  // Read-only for everyone (root owns it; the reader runs as another user).
  fs::permissions(workspace.session_dir(name), fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                                   fs::perms::group_exec | fs::perms::others_read |
                                                   fs::perms::others_exec);
  const int code = as_unprivileged([&] {
    if (::access(workspace.session_dir(name).c_str(), W_OK) == 0) return 5;  // not read-only after all
    const cw::Session reader = workspace.open(name, cw::SessionAccess::read);
    if (reader.stores().events().count() != 3) return 1;
    if (reader.stores().events().get("e1").text.empty()) return 2;
    if (!reader.stores().artifacts().list_refs().empty()) return 3;
    return 0;
  });
  if (code == -1) GTEST_SKIP() << "cannot drop privileges to test permissions";
  EXPECT_EQ(code, 0);
  // Nothing was left behind by the reader.
  EXPECT_FALSE(fs::exists(fs::path(workspace.database_path(name).string() + "-wal")));
}

TEST(SessionPermissions, AFileInPlaceOfArtifactsFailsOnlyArtifactCalls) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  add_events(workspace, name, 2);
  fs::remove_all(workspace.artifacts_dir(name));
  cwtest::write_file(workspace.artifacts_dir(name), "not a folder");
  {
    const cw::Session reader = workspace.open(name, cw::SessionAccess::read);
    EXPECT_EQ(reader.stores().events().count(), 2u);
    try {
      reader.stores().artifacts().list_refs();
      FAIL() << "listed a folder that is a file";
    } catch (const cw::StorageError& e) {
      EXPECT_NE(std::string(e.what()).find(workspace.artifacts_dir(name).string()), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(workspace.open(name, cw::SessionAccess::write), cw::StorageError);
}
