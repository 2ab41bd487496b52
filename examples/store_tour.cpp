// A tour of the persistent store layer, built against an installed
// contextweaver (find_package(contextweaver)).
//
// It records one user turn, a tool call and its large result in a SQLite event
// log, keeps the raw result out of the prompt in a JSON-file artifact store,
// and drills back into it.
#include <filesystem>
#include <iostream>

#include <contextweaver/core/errors.hpp>
#include <contextweaver/store/json_file_artifact_store.hpp>
#include <contextweaver/store/sqlite_event_log.hpp>

namespace cw = contextweaver;

int main() {
  const auto dir = std::filesystem::temp_directory_path() / "contextweaver-store-tour";
  std::filesystem::remove_all(dir);
  try {
    cw::SqliteEventLog log((dir / "session.db").string());
    cw::JsonFileArtifactStore artifacts(dir / "artifacts");

    cw::ContextItem ask{"u1", cw::ItemKind::user_turn, "Which invoices are unpaid?"};
    cw::ContextItem call{"tc1", cw::ItemKind::tool_call, "billing.invoices.search(status=unpaid)"};
    call.parent_id = "u1";
    std::string raw = "invoice,customer,amount\n";
    for (int i = 0; i < 500; ++i) raw += "INV-" + std::to_string(1000 + i) + ",acme," + std::to_string(10 * i) + "\n";
    const cw::ArtifactRef ref = artifacts.put("artifact:tr1", raw, "text/csv", "unpaid invoices");
    cw::ContextItem result{"tr1", cw::ItemKind::tool_result, "500 unpaid invoices (see artifact)"};
    result.parent_id = "tc1";
    result.artifact_ref = ref;
    log.append_many(std::vector<cw::ContextItem>{ask, call, result});

    std::cout << "log holds " << log.count() << " items; children of tc1: " << log.children("tc1").size() << "\n";
    std::cout << "first rows:\n"
              << artifacts.drilldown("artifact:tr1", cw::Json{{"type", "rows"}, {"start", 0}, {"end", 3}}) << "\n";
    log.append(ask);  // a second append of the same id is refused
  } catch (const cw::DuplicateItemError& e) {
    std::cout << "refused as expected: " << e.what() << "\n";
  } catch (const cw::ContextWeaverError& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
