// Session: the lock each access holds, and Session::write.
#include "contextweaver/session/session.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;
using namespace std::chrono_literals;

namespace {

cw::ContextItem item(const std::string& id) {
  cw::ContextItem result;
  result.id = id;
  result.kind = cw::ItemKind::user_turn;
  result.text = id;
  return result;
}

// Whether an exclusive lock request on `name`, made on another thread, is
// still waiting after a while; the request is then left to finish once the
// caller releases what blocks it (the future's destructor waits for it).
struct LockAttempt {
  std::atomic<bool> waited{false};
  std::atomic<bool> granted{false};
  std::future<void> done;

  LockAttempt(const cw::Workspace& workspace, const cw::SessionName& name, cw::SessionLock::Mode mode) {
    done = std::async(std::launch::async, [this, &workspace, name, mode] {
      const cw::SessionLock lock = workspace.lock(name, mode, [this](const cw::SessionName&) { waited = true; });
      granted = true;
    });
  }
};

}  // namespace

TEST(SessionLock, WritersExcludeEachOtherAndReaders) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  const cw::SessionName name("s");
  std::optional<cw::Session> writer(workspace.open(name, cw::SessionAccess::write));
  LockAttempt reader(workspace, name, cw::SessionLock::Mode::shared);
  LockAttempt other_writer(workspace, name, cw::SessionLock::Mode::exclusive);
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(reader.waited);
  EXPECT_TRUE(other_writer.waited);
  EXPECT_FALSE(reader.granted);
  EXPECT_FALSE(other_writer.granted);
  writer.reset();
  reader.done.get();
  other_writer.done.get();
  EXPECT_TRUE(reader.granted);
  EXPECT_TRUE(other_writer.granted);
}

TEST(SessionLock, ReadersShareTheLockAndKeepWritersOut) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  const cw::SessionName name("s");
  workspace.open(name, cw::SessionAccess::write);
  std::optional<cw::Session> reader(workspace.open(name, cw::SessionAccess::read));
  std::optional<cw::Session> second_reader(workspace.open(name, cw::SessionAccess::read));  // does not wait
  LockAttempt writer(workspace, name, cw::SessionLock::Mode::exclusive);
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(writer.waited);
  EXPECT_FALSE(writer.granted);
  // Still waiting for the second reader: granted only when both are gone.
  reader.reset();
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(writer.granted);
  second_reader.reset();
  writer.done.get();
  EXPECT_TRUE(writer.granted);
}

TEST(SessionLock, MovesWithoutReleasing) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  const cw::SessionName name("s");
  cw::SessionLock first = workspace.lock(name, cw::SessionLock::Mode::exclusive);
  cw::SessionLock moved = std::move(first);
  EXPECT_TRUE(moved.held());
  EXPECT_FALSE(first.held());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  LockAttempt other(workspace, name, cw::SessionLock::Mode::exclusive);
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(other.granted);
  moved = workspace.lock(cw::SessionName("other"), cw::SessionLock::Mode::exclusive);  // releases "s"
  other.done.get();
  EXPECT_TRUE(other.granted);
}

TEST(Session, ARecorderHoldsNoLockBetweenWritesAndLocksEachWrite) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  const cw::SessionName name("gw");
  std::atomic<int> waits{0};
  cw::Session recorder = workspace.open(name, cw::SessionAccess::record, [&](const cw::SessionName&) { ++waits; });
  EXPECT_TRUE(workspace.exists(name));
  {
    // Readers work while the recorder is open.
    const cw::Session reader = workspace.open(name, cw::SessionAccess::read);
    EXPECT_EQ(reader.stores().counts().events, 0);
  }
  recorder.write([&] { recorder.stores().events().append(item("e1")); });
  {
    // A reader holding the shared lock makes the next write wait.
    std::optional<cw::Session> reader(workspace.open(name, cw::SessionAccess::read));
    auto write =
        std::async(std::launch::async, [&] { recorder.write([&] { recorder.stores().events().append(item("e2")); }); });
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(waits, 1);
    EXPECT_EQ(reader->stores().counts().events, 1);
    reader.reset();
    write.get();
  }
  EXPECT_EQ(workspace.open(name, cw::SessionAccess::read).stores().counts().events, 2);
}

TEST(Session, AWriteIsOneTransaction) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  const cw::SessionName name("s");
  cw::Session session = workspace.open(name, cw::SessionAccess::write);
  EXPECT_THROW(session.write([&] {
    session.stores().events().append(item("e1"));
    throw cw::ValueError("abandon");
  }),
               cw::ValueError);
  EXPECT_EQ(session.stores().counts().events, 0) << "rolled back";
  session.write([&] { session.stores().events().append(item("e2")); });
  EXPECT_EQ(session.stores().counts().events, 1);
}

TEST(Session, AReaderCannotWrite) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  workspace.open(cw::SessionName("s"), cw::SessionAccess::write);
  cw::Session reader = workspace.open(cw::SessionName("s"), cw::SessionAccess::read);
  EXPECT_EQ(cwtest::error_of<cw::ValueError>([&] { reader.write([] {}); }),
            "Session 's' was opened for reading; open it for writing to write");
}
