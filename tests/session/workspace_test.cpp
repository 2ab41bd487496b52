// Workspace: layout, creation, listing, clearing and opening of sessions.
#include "contextweaver/session/workspace.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/session/session.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;
namespace fs = std::filesystem;

namespace {

cw::ContextItem item(const std::string& id) {
  cw::ContextItem result;
  result.id = id;
  result.kind = cw::ItemKind::user_turn;
  result.text = "text of " + id;
  return result;
}

cw::Workspace workspace_in(const cwtest::TempDir& dir) {
  return cw::Workspace(cw::WorkspaceLocation::folder(dir / "ws"));
}

}  // namespace

TEST(Workspace, LaysSessionsOutUnderSessions) {
  const cw::Workspace workspace(cw::WorkspaceLocation::parse("/data/cw"));
  const cw::SessionName name("support");
  EXPECT_EQ(workspace.root(), "/data/cw");
  EXPECT_EQ(workspace.session_dir(name), "/data/cw/sessions/support");
  EXPECT_EQ(workspace.database_path(name), "/data/cw/sessions/support/session.db");
  EXPECT_EQ(workspace.artifacts_dir(name), "/data/cw/sessions/support/artifacts");
}

TEST(Workspace, WritingCreatesTheSessionAndReadingSeesIt) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s1");
  EXPECT_FALSE(workspace.exists(name));
  {
    cw::Session session = workspace.open(name, cw::SessionAccess::write);
    EXPECT_EQ(session.name(), name);
    EXPECT_EQ(session.access(), cw::SessionAccess::write);
    session.stores().events().append(item("e1"));
    session.stores().facts().put(cw::Fact{"f1", "k", "v", {}});
    session.stores().artifacts().put("a1", "bytes", "text/plain");
  }
  EXPECT_TRUE(workspace.exists(name));
  EXPECT_TRUE(fs::is_regular_file(dir / "ws/sessions/s1/session.db"));
  EXPECT_TRUE(fs::is_regular_file(dir / "ws/sessions/s1/.lock"));
  EXPECT_TRUE(fs::is_regular_file(dir / "ws/sessions/s1/artifacts/a1.data"));

  const cw::Session session = workspace.open(name, cw::SessionAccess::read);
  const cw::SessionCounts counts = session.stores().counts();
  EXPECT_EQ(counts.events, 1);
  EXPECT_EQ(counts.facts, 1);
  EXPECT_EQ(counts.episodes, 0);
  EXPECT_EQ(counts.artifacts, 1);
  EXPECT_EQ(session.stores().events().get("e1").text, "text of e1");
}

TEST(Workspace, ReadingAMissingSessionNamesTheSessionsThere) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const std::string root = (dir / "ws").string();
  EXPECT_EQ(cwtest::error_of<cw::ItemNotFoundError>(
                [&] { workspace.open(cw::SessionName("nope"), cw::SessionAccess::read); }),
            "Session 'nope' not found in workspace '" + root + "' (it has no sessions yet)");
  EXPECT_FALSE(fs::exists(dir / "ws/sessions/nope")) << "a reader creates nothing";
  workspace.open(cw::SessionName("b"), cw::SessionAccess::write);
  workspace.open(cw::SessionName("a"), cw::SessionAccess::write);
  EXPECT_EQ(cwtest::error_of<cw::ItemNotFoundError>(
                [&] { workspace.open(cw::SessionName("nope"), cw::SessionAccess::read); }),
            "Session 'nope' not found in workspace '" + root + "' (its sessions: a, b)");
}

TEST(Workspace, ListsValidSessionsWithADatabaseSorted) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  EXPECT_TRUE(workspace.list().empty()) << "no workspace folder yet";
  for (const char* name : {"zeta", "alpha", "mid"}) workspace.open(cw::SessionName(name), cw::SessionAccess::write);
  workspace.create(cw::SessionName("empty"));          // folders, no database
  fs::create_directories(dir / "ws/sessions/x.json");  // not a valid name
  cwtest::write_file(dir / "ws/sessions/x.json/session.db", "");
  const auto names = workspace.list();
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0].str(), "alpha");
  EXPECT_EQ(names[1].str(), "mid");
  EXPECT_EQ(names[2].str(), "zeta");
}

TEST(Workspace, CreateFailsWithTheFolderAndTheReason) {
  const cwtest::TempDir dir;
  cwtest::write_file(dir / "ws", "a file where the workspace folder should be");
  const cw::Workspace workspace = workspace_in(dir);
  const std::string message =
      cwtest::error_of<cw::StorageError>([&] { workspace.open(cw::SessionName("s"), cw::SessionAccess::write); });
  EXPECT_NE(message.find("cannot create folder '" + (dir / "ws/sessions/s").string() + "'"), std::string::npos)
      << message;
}

TEST(Workspace, ClearEmptiesTheSessionButKeepsItsFolderAndLock) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  {
    cw::Session session = workspace.open(name, cw::SessionAccess::write);
    session.stores().events().append(item("e1"));
    session.stores().artifacts().put("a1", "bytes");
  }
  cwtest::write_file(dir / "ws/sessions/s/session.db-wal", "stale");
  {
    const cw::SessionLock lock = workspace.lock(name, cw::SessionLock::Mode::exclusive);
    workspace.clear(name);
  }
  EXPECT_FALSE(workspace.exists(name));
  EXPECT_FALSE(fs::exists(dir / "ws/sessions/s/session.db-wal"));
  EXPECT_FALSE(fs::exists(dir / "ws/sessions/s/artifacts"));
  EXPECT_TRUE(fs::exists(dir / "ws/sessions/s/.lock"));
  const cw::Session reopened = workspace.open(name, cw::SessionAccess::write);
  EXPECT_EQ(reopened.stores().counts().events, 0);
  EXPECT_EQ(reopened.stores().counts().artifacts, 0);
}

TEST(Workspace, FootprintCountsTheFilesAndTheDatabaseTime) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  EXPECT_EQ(workspace.footprint(name).size_bytes, 0);
  EXPECT_EQ(workspace.footprint(name).modified, 0);
  workspace.open(name, cw::SessionAccess::write).stores().artifacts().put("a1", std::string(1000, 'x'));
  const cw::SessionFootprint footprint = workspace.footprint(name);
  EXPECT_GT(footprint.size_bytes, 1000);
  struct stat info {};
  ASSERT_EQ(::stat(workspace.database_path(name).c_str(), &info), 0);
  EXPECT_GE(footprint.modified, info.st_mtime);
}

TEST(Workspace, ASharedLockIsSkippedWhereNoLockFileCanBeMade) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace = workspace_in(dir);
  const cw::SessionName name("s");
  // No session folder: a reader neither creates one nor fails.
  EXPECT_FALSE(workspace.lock(name, cw::SessionLock::Mode::shared).held());
  EXPECT_FALSE(fs::exists(dir / "ws"));
  EXPECT_TRUE(workspace.lock(name, cw::SessionLock::Mode::exclusive).held()) << "a writer creates the folders";
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
  fs::remove(dir / "ws/sessions/s/.lock");
  fs::permissions(dir / "ws/sessions/s", fs::perms::owner_write, fs::perm_options::remove);
  EXPECT_FALSE(workspace.lock(name, cw::SessionLock::Mode::shared).held());
  EXPECT_THROW(workspace.lock(name, cw::SessionLock::Mode::exclusive), cw::StorageError);
  fs::permissions(dir / "ws/sessions/s", fs::perms::owner_write, fs::perm_options::add);
}
