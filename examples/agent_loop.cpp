// One turn of a tool-using agent, on persistent stores:
//   1. the user asks something;
//   2. the default router picks a tool out of the catalog;
//   3. the (here simulated) tool returns a large result, which the firewall
//      keeps out of the prompt as an artifact with a short summary;
//   4. the answer-phase prompt is built within its token budget;
//   5. the agent drills back into the raw result when it needs a detail.
#include <filesystem>
#include <iostream>
#include <memory>

#include <contextweaver/context/manager.hpp>
#include <contextweaver/core/errors.hpp>
#include <contextweaver/routing/default_router.hpp>
#include <contextweaver/routing/sample_catalog.hpp>
#include <contextweaver/store/json_file_artifact_store.hpp>
#include <contextweaver/store/sqlite_event_log.hpp>
#include <contextweaver/store/sqlite_fact_store.hpp>

namespace cw = contextweaver;

int main() {
  const auto dir = std::filesystem::temp_directory_path() / "contextweaver-agent-loop";
  std::filesystem::remove_all(dir);
  try {
    cw::ContextManagerOptions options;
    options.event_log = std::make_shared<cw::SqliteEventLog>((dir / "session.db").string());
    options.artifact_store = std::make_shared<cw::JsonFileArtifactStore>(dir / "artifacts");
    options.stores.fact_store = std::make_shared<cw::SqliteFactStore>((dir / "session.db").string());
    cw::ContextManager manager(options);

    // 1. The user's turn.
    const std::string question = "book a flight to Berlin for the team offsite";
    manager.ingest(cw::ContextItem{"u1", cw::ItemKind::user_turn, question});

    // 2. Route: rank every tool of the catalog for the request.
    const cw::DefaultRouter router(cw::sample_catalog());
    const cw::RankResult ranked = router.rank(question);
    if (ranked.refused || ranked.candidates.empty()) {
      std::cout << "no suitable tool: " << ranked.refusal_reason << "\n";
      return 0;
    }
    const std::string tool = ranked.candidates.front().id;
    std::cout << "router chose " << tool << " (confidence " << ranked.confidence << ")\n";

    // 3. Call it (simulated) and ingest the result through the firewall.
    cw::ContextItem call{"tc1", cw::ItemKind::tool_call, tool + "(destination=BER, passengers=6)"};
    call.parent_id = "u1";
    manager.ingest(call);
    std::string raw = "Found 40 flights to Berlin.\n\n";
    for (int i = 0; i < 40; ++i)
      raw += "option " + std::to_string(i) + ": LH" + std::to_string(900 + i) + " dep 0" + std::to_string(i % 10) +
             ":15, 6 seats\n";
    const auto [item, envelope] = manager.ingest_tool_result("tc1", raw, tool, "text/plain", 200);
    std::cout << "tool result stored as " << (item.artifact_ref ? item.artifact_ref->handle : "(inline)")
              << "; prompt keeps: " << envelope.summary << "\n";
    manager.add_fact("traveller_count", "6");

    // 4. Build the answer prompt within the budget.
    cw::BuildRequest request;
    request.phase = cw::Phase::answer;
    request.query = question;
    const cw::ContextPack pack = manager.build(request);
    std::cout << "prompt: " << pack.stats.included_count << " items, " << pack.stats.prompt_tokens() << " tokens\n---\n"
              << pack.prompt << "\n---\n";

    // 5. Drill into the raw result for one detail.
    if (item.artifact_ref) {
      std::cout << "lines 3-4 of the raw result:\n"
                << manager.drilldown(item.artifact_ref->handle, cw::Json{{"type", "lines"}, {"start", 3}, {"end", 5}})
                << "\n";
    }
  } catch (const cw::ContextWeaverError& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
