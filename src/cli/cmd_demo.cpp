// `contextweaver demo`: the reference's five demo steps (catalog, routing
// graph, routed query with choice cards, answer-phase context, prompt
// preview), with the conversation kept in a persistent workspace session
// (SQLite event log, facts, episodes, artifact folder) that is then read back
// through fresh stores and drilled into.
//
// The catalog is the project's own sample catalog (docs/cli.md, demo), so the
// numbers differ from the reference's. The demo uses the session "demo" unless
// --session is given and empties it on every run, so it can be re-run from
// any folder; it refuses to touch a session that it did not create.
#include <iostream>
#include <string>

#include "command.hpp"
#include "demo_routing.hpp"
#include "demo_session.hpp"
#include "output.hpp"
#include "session_options.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

namespace {

const std::string kRule(60, '=');

// The reference demo's conversation, ingested into the persistent session,
// and its answer-phase build (whose firewall stores the tool output there).
ContextPack build_demo_context(const SessionStores& stores) {
  ContextManagerOptions options;
  options.event_log = stores.event_log_ptr();
  options.artifact_store = stores.artifact_store_ptr();
  options.stores.fact_store = stores.fact_store_ptr();
  options.stores.episodic_store = stores.episodic_store_ptr();
  ContextManager manager(std::move(options));
  for (const auto& item : demo_events()) manager.ingest(item);
  manager.add_fact(kDemoFactKey, kDemoFactValue);
  manager.add_episode(kDemoEpisodeId, kDemoEpisodeSummary);
  BuildRequest request;
  request.phase = Phase::answer;
  request.query = "open invoices";
  return manager.build_sync(request);
}

std::string repr_counts(const OrderedCounts& counts) {
  Json object = Json::object();
  for (const auto& [key, n] : counts) object[key] = n;
  return py_repr_json(object);
}

void print_text(const DemoRouting& r, const ContextPack& pack, const std::string& session, const DemoPersistence& p) {
  std::cout << kRule << "\ncontextweaver demo \u2014 end-to-end demonstration\n" << kRule << "\n";
  std::cout << "\n[1/5] Loaded catalog: " << r.items << " items across " << r.namespaces << " namespaces\n"
            << "[2/5] Built routing graph: " << r.graph_stats["total_nodes"].get<std::int64_t>()
            << " nodes, depth=" << r.graph_stats["max_depth"].get<std::int64_t>() << "\n"
            << "[3/5] Routed query: " << py_repr(r.query) << "\n"
            << "      Top candidates: " << repr_str_list(r.candidate_ids) << "\n"
            << "      Choice cards (" << r.cards.size() << "):\n"
            << r.cards_text << "\n";
  const BuildStats& s = pack.stats;
  std::cout << "\n[4/5] Built context pack: phase=" << to_string(pack.phase) << "\n"
            << "      Candidates: " << s.total_candidates << ", Included: " << s.included_count << "\n"
            << "      Dedup removed: " << s.dedup_removed << ", Closures: " << s.dependency_closures << "\n"
            << "      Token breakdown: " << repr_counts(s.tokens_per_section) << "\n";
  const std::size_t length = code_point_count(pack.prompt);
  std::cout << "\n[5/5] Prompt preview (" << length << " chars total):\n"
            << slice_code_points(pack.prompt, 0, 400) << "\n";
  if (length > 400) std::cout << "      ...\n";

  std::cout << "\nPersistent session " << py_repr(session) << ":\n"
            << "      Event log: " << p.database << "\n"
            << "      Artifacts: " << p.artifacts_dir << "\n"
            << "      Read back " << p.event_ids_read.size() << " events: " << repr_str_list(p.event_ids_read) << "\n"
            << "      Children of 'tc1': " << repr_str_list(p.children_of_tc1) << "\n"
            << "      Facts: " << repr_str_list(p.facts_read) << "\n"
            << "      Episodes: " << repr_str_list(p.episodes_read) << "\n"
            << "      Drill-down into " << py_repr(p.artifact_handle) << " (" << p.artifact_size << " bytes), selector "
            << dumps(p.selector) << ":\n";
  for (std::string_view line : splitlines(p.drilldown)) std::cout << "        " << line << "\n";
  std::cout << "\n" << kRule << "\nDemo complete.\n";
}

void run_demo(const GlobalOptions& globals) {
  const SessionName session(globals.session_given() ? globals.session : "demo");
  const Workspace workspace = workspace_of(globals);
  const DemoRouting routing = run_demo_routing();
  ContextPack pack;
  DemoPersistence persistence;
  {
    // One exclusive lock over the reset, the writes and the read-back.
    const SessionLock lock = workspace.lock(session, SessionLock::Mode::exclusive);
    reset_demo_session(workspace, session);
    pack = build_demo_context(workspace.open_stores(session, SessionAccess::write));
    persistence = read_demo_session(workspace, session);
  }
  if (!globals.json) {
    print_text(routing, pack, session.str(), persistence);
    return;
  }
  print_json(Json{
      {"workspace", workspace.root().string()},
      {"session", session.str()},
      {"catalog", Json{{"items", routing.items}, {"namespaces", routing.namespaces}}},
      {"graph", routing.graph_stats},
      {"route", Json{{"query", routing.query},
                     {"candidate_ids", routing.candidate_ids},
                     {"scores", routing.scores},
                     {"cards", routing.cards}}},
      {"context", Json{{"phase", to_string(pack.phase)}, {"stats", pack.stats.to_dict()}, {"prompt", pack.prompt}}},
      {"persistence", persistence.to_json()}});
}

const CommandRegistration kRegistration(10, [](CLI::App& app, GlobalOptions& globals) {
  CLI::App* cmd = add_command(app, "demo",
                              "Run a built-in demonstration of both engines on a persistent session "
                              "(./.contextweaver, session 'demo', reset on every run).",
                              "  contextweaver demo\n"
                              "  contextweaver demo --workspace /tmp/cw --json\n");
  cmd->callback([&globals] { run_demo(globals); });
});

}  // namespace

}  // namespace contextweaver::cli
