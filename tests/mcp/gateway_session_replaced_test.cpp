// A gateway whose recording session is removed or replaced on disk fails the
// call loudly instead of answering ok (docs/sessions.md#integrity).
#include <gtest/gtest.h>

#include <filesystem>

#include "contextweaver/mcp/gateway_runtime.hpp"
#include "contextweaver/mcp/session_recording.hpp"
#include "mcp/fake_upstream.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;
namespace fs = std::filesystem;
using cw::Json;

namespace {

std::shared_ptr<cwtest::FakeUpstream> upstream() {
  return std::make_shared<cwtest::FakeUpstream>(
      std::vector<Json>{Json{{"name", "db.query"}, {"description", "Run a query."}}},
      [](const std::string&, const Json&) {
        return Json{{"content", {{{"type", "text"}, {"text", "rows"}}}}};
      });
}

std::string text_of(const Json& result) {
  return result["content"][0]["text"].get<std::string>();
}

// Runs one call after `damage` was done to the recording session; returns the result.
Json call_after(const std::function<void(const cw::Workspace&, const cw::SessionName&)>& damage) {
  const cwtest::TempDir dir;
  const cw::Workspace workspace(cw::WorkspaceLocation::folder(dir / "ws"));
  const cw::SessionName name("demo");
  auto session = std::make_shared<cw::Session>(workspace.open(name, cw::SessionAccess::record));
  cw::GatewayRuntimeOptions options;
  options.recorder = cw::make_session_recorder(session);
  cw::GatewayRuntime runtime(upstream(), options);
  runtime.refresh();
  const std::string tool = runtime.tool_ids().at(0);
  const Json first = runtime.execute(Json{{"tool_id", tool}, {"args", Json::object()}});
  EXPECT_FALSE(first.value("isError", false)) << first.dump();
  damage(workspace, name);
  return runtime.execute(Json{{"tool_id", tool}, {"args", Json::object()}});
}

}  // namespace

TEST(GatewaySessionReplaced, ARemovedSessionFailsTheCall) {
  const Json result = call_after(
      [](const cw::Workspace& workspace, const cw::SessionName& name) { fs::remove_all(workspace.session_dir(name)); });
  EXPECT_TRUE(result.value("isError", false)) << result.dump();
  EXPECT_NE(text_of(result).find("was removed"), std::string::npos) << result.dump();
}

TEST(GatewaySessionReplaced, AResetSessionFailsTheCall) {
  const Json result = call_after([](const cw::Workspace& workspace, const cw::SessionName& name) {
    // What `contextweaver demo` does to its session.
    const cw::SessionLock lock = workspace.lock(name, cw::SessionLock::Mode::exclusive);
    workspace.clear(name);
    workspace.open_stores(name, cw::SessionAccess::write);
  });
  EXPECT_TRUE(result.value("isError", false)) << result.dump();
  EXPECT_NE(text_of(result).find("replaced"), std::string::npos) << result.dump();
}
