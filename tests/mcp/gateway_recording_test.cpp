// Session recording: each upstream call leaves a tool_call and a tool_result
// event, with its artifacts in the session's store, written before the answer.
#include <gtest/gtest.h>

#include <filesystem>

#include "contextweaver/mcp/gateway_runtime.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "mcp/fake_upstream.hpp"

namespace cw = contextweaver;
namespace fs = std::filesystem;
using cw::Json;

namespace {

Json payload(const Json& result) {
  return cw::loads(result["content"][0]["text"].get<std::string>());
}

std::shared_ptr<cwtest::FakeUpstream> upstream() {
  return std::make_shared<cwtest::FakeUpstream>(
      std::vector<Json>{Json{{"name", "db.query"}, {"description", "Run a query."}},
                        Json{{"name", "cam.snap"}, {"description", "Take a picture."}}},
      [](const std::string& name, const Json& args) {
        if (name == "cam.snap") {
          return Json{{"content", {{{"type", "image"}, {"data", "aGVsbG8="}}, {{"type", "text"}, {"text", "a cat"}}}}};
        }
        return Json{{"content", {{{"type", "text"}, {"text", std::string(args.value("n", 10), 'x')}}}}};
      });
}

}  // namespace

TEST(GatewayRecording, CallsAndResultsLandInTheSession) {
  const fs::path dir = fs::temp_directory_path() / ("cw_gw_rec_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  int scopes = 0;
  {
    auto log = std::make_shared<cw::SqliteEventLog>((dir / "session.db").string());
    auto store = std::make_shared<cw::JsonFileArtifactStore>(dir / "artifacts");
    cw::SessionRecorderOptions rec_options;
    rec_options.firewall_threshold = 100;
    rec_options.call_id_prefix = "test";
    rec_options.write_scope = [&](const std::function<void()>& write) {
      ++scopes;
      write();
    };
    cw::GatewayRuntimeOptions options;
    options.recorder = std::make_shared<cw::SessionRecorder>(log, store, rec_options);
    cw::GatewayRuntime runtime(upstream(), options);
    runtime.refresh();
    const auto ids = runtime.tool_ids();  // cam:snap…, db:query…
    const Json small = payload(runtime.execute(Json{{"tool_id", ids[1]}, {"args", {{"n", 5}}}}));
    EXPECT_EQ(small["provenance"]["call_id"], "test-1");
    const Json big = payload(runtime.execute(Json{{"tool_id", ids[1]}, {"args", {{"n", 3000}}}}));
    EXPECT_EQ(big["provenance"]["call_id"], "test-2");
    const Json image = payload(runtime.execute(Json{{"tool_id", ids[0]}, {"args", Json::object()}}));
    // The image only: the text is wholly in the summary, so no text handle is added.
    ASSERT_EQ(image["artifacts"].size(), 1u);
    const std::string text_handle = small["artifacts"][0]["handle"];
    EXPECT_EQ(text_handle.rfind("text:" + ids[1] + ":", 0), 0u);
    EXPECT_TRUE(store->exists(text_handle));
  }
  // Reopened from disk, as `contextweaver log` would.
  cw::SqliteEventLog log((dir / "session.db").string());
  cw::JsonFileArtifactStore store(dir / "artifacts");
  const auto items = log.all();
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].id, "test-1");
  EXPECT_EQ(items[0].kind, cw::ItemKind::tool_call);
  EXPECT_EQ(items[0].text, "db.query {\"n\": 5}");
  EXPECT_EQ(items[0].metadata["mode"], "gateway");
  EXPECT_EQ(items[1].id, "result:test-1");
  EXPECT_EQ(items[1].kind, cw::ItemKind::tool_result);
  EXPECT_EQ(items[1].parent_id, "test-1");
  EXPECT_EQ(items[1].text, "xxxxx");
  EXPECT_EQ(items[1].metadata["protocol"], "mcp");
  EXPECT_EQ(items[3].id, "result:test-2");
  EXPECT_LT(items[3].text.size(), 600u);  // firewalled: the summary, raw bytes in the store
  EXPECT_EQ(store.get("artifact:result:test-2"), std::string(3000, 'x'));
  EXPECT_TRUE(store.exists("mcp:cam.snap:test-3:image:0"));
  EXPECT_EQ(store.get("mcp:cam.snap:test-3:image:0"), "hello");
  EXPECT_EQ(scopes, 6);
  fs::remove_all(dir);
}
