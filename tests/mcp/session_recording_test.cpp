// make_session_recorder: a recorder writing into a workspace session.
#include "contextweaver/mcp/session_recording.hpp"

#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

TEST(SessionRecording, RecordsIntoTheSessionThroughItsWrites) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  const cw::SessionName name("gw");
  auto session = std::make_shared<cw::Session>(workspace.open(name, cw::SessionAccess::record));
  cw::SessionRecorderOptions options;
  options.call_id_prefix = "t";
  auto recorder = cw::make_session_recorder(session, options);
  cw::RecordedCall call;
  call.tool_id = "files.read";
  call.tool_name = "read";
  call.mode = "gateway";
  recorder->record_call(recorder->new_call_id(), call);
  const cw::Session reader = workspace.open(name, cw::SessionAccess::read);
  EXPECT_EQ(reader.stores().events().get("t-1").text, "read {}");
}

TEST(SessionRecording, NeedsASessionOpenForWriting) {
  EXPECT_THROW(cw::make_session_recorder(nullptr), cw::ConfigError);
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  workspace.open(cw::SessionName("s"), cw::SessionAccess::write);
  auto reader = std::make_shared<cw::Session>(workspace.open(cw::SessionName("s"), cw::SessionAccess::read));
  EXPECT_THROW(cw::make_session_recorder(reader), cw::ConfigError);
}
