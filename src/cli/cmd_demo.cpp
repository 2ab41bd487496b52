// `contextweaver demo`: writes the demo conversation into a workspace session
// (SQLite event log, facts, episodes, artifact folder), reads it back through
// fresh stores, and drills into the stored tool output.
//
// The demo uses the session "demo" unless --session is given, and empties it
// on every run, so it can be re-run from any folder; it refuses to touch a
// session that it did not create.
#include <iostream>
#include <string>

#include "cli/command.hpp"
#include "cli/demo_session.hpp"
#include "cli/output.hpp"
#include "cli/session_stores.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

namespace {

const std::string kRule(60, '=');

void print_persistence(const std::string& session, const DemoPersistence& p) {
  std::cout << "Persistent session " << py_repr(session) << ":\n"
            << "      Event log: " << p.database << "\n"
            << "      Artifacts: " << p.artifacts_dir << "\n"
            << "      Read back " << p.event_ids_read.size() << " events: " << repr_str_list(p.event_ids_read) << "\n"
            << "      Children of 'tc1': " << repr_str_list(p.children_of_tc1) << "\n"
            << "      Facts: " << repr_str_list(p.facts_read) << "\n"
            << "      Episodes: " << repr_str_list(p.episodes_read) << "\n"
            << "      Drill-down into " << py_repr(p.artifact_handle) << " (" << p.artifact_size << " bytes), selector "
            << dumps(p.selector) << ":\n";
  for (std::string_view line : splitlines(p.drilldown)) std::cout << "        " << line << "\n";
}

void run_demo(const GlobalOptions& globals) {
  const std::string session = globals.session_given() ? globals.session : "demo";
  const Workspace workspace(globals.workspace);
  DemoPersistence persistence;
  {
    const SessionLock lock(workspace, session, SessionLock::Mode::exclusive);
    reset_demo_session(workspace, session);
    std::string handle;
    {
      SessionStores stores = SessionStores::open_or_create(workspace, session);
      handle = write_demo_session(stores);
    }
    persistence = read_demo_session(workspace, session, handle);
  }
  if (globals.json) {
    print_json(
        Json{{"workspace", workspace.root().string()}, {"session", session}, {"persistence", persistence.to_json()}});
    return;
  }
  std::cout << kRule << "\ncontextweaver demo \u2014 end-to-end demonstration\n" << kRule << "\n\n";
  print_persistence(session, persistence);
  std::cout << "\n" << kRule << "\nDemo complete.\n";
}

const CommandRegistration kRegistration(10, [](CLI::App& app, GlobalOptions& globals) {
  CLI::App* cmd = add_command(app, "demo",
                              "Run a built-in demonstration: a persistent session written, read back and drilled into.",
                              "  contextweaver demo\n"
                              "  contextweaver demo --workspace /tmp/cw --json\n");
  cmd->callback([&globals] { run_demo(globals); });
});

}  // namespace

}  // namespace contextweaver::cli
