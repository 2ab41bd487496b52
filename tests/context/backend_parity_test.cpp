// A session kept in SQLite stores and a JSON-file artifact store builds the
// same prompt, byte for byte, as the same session in memory.
#include <gtest/gtest.h>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/scenario.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

// The same session through the public API, whatever the stores.
std::vector<cw::ContextPack> run_session(cw::ContextManager& m, const std::vector<cw::ContextItem>& items) {
  m.add_fact("user", "Alice");
  m.add_fact("region", "eu-west-1 \u2014 primary");
  m.add_episode("ep1", "Checked the deployment pipeline");
  m.add_episode("ep2", "Rolled back release 4.2");
  for (const auto& item : items) m.ingest(item);
  m.ingest(cw::ContextItem{"tcx", cw::ItemKind::tool_call, "metrics.query(q='p99')", 0, cw::Sensitivity::public_,
                           cw::Json::object(), std::nullopt, std::nullopt});
  m.ingest_tool_result("tcx", "status: ok\np99_ms: 412\n\n" + std::string(2500, 'm'), "metrics.query");
  m.ingest_tool_result("tcy", R"({"rows": [1, 2, 3], "note": "caf\u00e9"})", "db", "application/json");
  std::vector<cw::ContextPack> packs;
  const std::string query = cw::scenario_query(items);
  for (cw::Phase phase : cw::kAllPhases) {
    cw::BuildRequest r;
    r.phase = phase;
    r.query = query;
    r.header = "SYSTEM";
    packs.push_back(m.build(r));
    packs.push_back(m.build(r));  // second build: firewall re-runs against stored artifacts
  }
  return packs;
}

}  // namespace

TEST(BackendParity, SqliteAndJsonFilesBuildTheSamePromptsAsMemory) {
  CW_REQUIRE_SHARED(shared);
  const auto items = cw::load_scenario_jsonl(shared / "data/reference/benchmarks/scenarios/stress_conversation.jsonl");
  cw::ContextManager memory;
  const auto expected = run_session(memory, items);

  cwtest::TempDir dir;
  for (bool sqlite_artifacts : {true, false}) {
    SCOPED_TRACE(sqlite_artifacts ? "sqlite artifacts" : "json-file artifacts");
    const std::string db = (dir / (sqlite_artifacts ? "a.sqlite" : "b.sqlite")).string();
    cw::ContextManagerOptions options;
    options.stores.event_log = std::make_shared<cw::SqliteEventLog>(db);
    options.stores.fact_store = std::make_shared<cw::SqliteFactStore>(db);
    options.stores.episodic_store = std::make_shared<cw::SqliteEpisodicStore>(db);
    if (sqlite_artifacts) {
      options.stores.artifact_store = std::make_shared<cw::SqliteArtifactStore>(db);
    } else {
      options.stores.artifact_store = std::make_shared<cw::JsonFileArtifactStore>(dir / "artifacts");
    }
    cw::ContextManager persistent(options);
    const auto actual = run_session(persistent, items);
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(actual[i].prompt, expected[i].prompt) << "build " << i;
      EXPECT_EQ(actual[i].stats, expected[i].stats) << "build " << i;
      EXPECT_EQ(actual[i].to_dict(), expected[i].to_dict()) << "build " << i;
    }
    EXPECT_EQ(persistent.artifact_store().list_refs().size(), memory.artifact_store().list_refs().size());
  }
}
