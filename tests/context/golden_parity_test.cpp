// Parity with the reference: for every benchmark scenario, phase and budget
// variant, the prompt (byte for byte), BuildStats, envelopes and artifacts of
// ../shared/data/golden/context_*.json (made with DECISIONS C1-C3 applied).
#include <gtest/gtest.h>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/scenario.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

struct Case {
  const char* scenario_dir;
  const char* golden_dir;
  const char* name;
};

void check_scenario(const std::filesystem::path& shared, const Case& c) {
  const auto golden =
      cw::loads(cwtest::read_file(shared / c.golden_dir / ("context_" + std::string(c.name) + ".json")));
  const auto items = cw::load_scenario_jsonl(shared / c.scenario_dir / (std::string(c.name) + ".jsonl"));
  ASSERT_EQ(static_cast<std::int64_t>(items.size()), golden["event_count"].get<std::int64_t>());
  const std::string query = cw::scenario_query(items);
  ASSERT_EQ(query, golden["query"].get<std::string>());

  for (const char* variant : {"phases", "phases_library_default_budget"}) {
    const cw::ContextBudget budget = cw::ContextBudget::from_dict(
        golden[std::string(variant) == "phases" ? "budget_benchmark" : "budget_library_default"]);
    for (const auto& [phase_name, expected] : golden[variant].items()) {
      SCOPED_TRACE(std::string(c.name) + " " + variant + " " + phase_name);
      auto log = std::make_shared<cw::InMemoryEventLog>();
      for (const auto& item : items) log->append(item);
      auto artifacts = std::make_shared<cw::InMemoryArtifactStore>();
      cw::ContextManagerOptions options;
      options.event_log = log;
      options.artifact_store = artifacts;
      options.budget = budget;
      cw::ContextManager manager(options);
      cw::BuildRequest request;
      request.phase = cw::parse_phase(phase_name);
      request.query = query;
      const cw::ContextPack pack = manager.build(request);

      EXPECT_EQ(pack.prompt, expected["prompt"].get<std::string>());
      EXPECT_EQ(pack.stats.to_dict(), expected["stats"]);
      EXPECT_EQ(pack.stats.prompt_tokens(), expected["stats_prompt_tokens_property"].get<std::int64_t>());
      EXPECT_EQ(static_cast<std::int64_t>(manager.estimator().estimate(pack.prompt)),
                expected["prompt_tokens_len_div_4"].get<std::int64_t>());
      cw::Json envelopes = cw::Json::array();
      for (const auto& e : pack.envelopes) envelopes.push_back(e.to_dict());
      EXPECT_EQ(envelopes, expected["envelopes"]);
      cw::Json refs = cw::Json::array();
      for (const auto& r : artifacts->list_refs()) refs.push_back(r.to_dict());
      EXPECT_EQ(refs, expected["artifact_refs"]);
      EXPECT_EQ(static_cast<std::int64_t>(refs.size()), expected["artifacts_created"].get<std::int64_t>());

      // A second build on the same manager gives the same prompt and stats.
      const cw::ContextPack again = manager.build(request);
      EXPECT_EQ(again.prompt, pack.prompt);
      EXPECT_EQ(again.stats, pack.stats);
    }
  }
}

TEST(GoldenParity, ShortConversation) {
  CW_REQUIRE_SHARED(shared);
  check_scenario(shared / "data", {"reference/benchmarks/scenarios", "golden", "short_conversation"});
}
TEST(GoldenParity, LongConversation) {
  CW_REQUIRE_SHARED(shared);
  check_scenario(shared / "data", {"reference/benchmarks/scenarios", "golden", "long_conversation"});
}
TEST(GoldenParity, LargeCatalog) {
  CW_REQUIRE_SHARED(shared);
  check_scenario(shared / "data", {"reference/benchmarks/scenarios", "golden", "large_catalog"});
}
TEST(GoldenParity, StressConversation) {
  CW_REQUIRE_SHARED(shared);
  check_scenario(shared / "data", {"reference/benchmarks/scenarios", "golden", "stress_conversation"});
}
TEST(GoldenParity, LaterMixedPayload) {
  CW_REQUIRE_SHARED(shared);
  check_scenario(shared / "data", {"reference/benchmarks/scenarios_later", "golden/later", "mixed_payload"});
}
TEST(GoldenParity, LaterTinyPayload) {
  CW_REQUIRE_SHARED(shared);
  check_scenario(shared / "data", {"reference/benchmarks/scenarios_later", "golden/later", "tiny_payload"});
}
TEST(GoldenParity, LaterSmokeConversation) {
  CW_REQUIRE_SHARED(shared);
  check_scenario(shared / "data", {"reference/benchmarks/scenarios_later", "golden/later", "smoke_conversation"});
}

}  // namespace
