// `contextweaver export` / `import`: a workspace session as the reference's
// session JSON (docs/cli.md, export / import) and back.
//
// The format keeps artifact metadata but no bytes, so import restores events
// (with their artifact refs), facts and episodes; the artifacts' bytes are not
// in the file and are reported as not imported. An import is all or nothing:
// the whole file is checked first, then written in one transaction.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "fileio.hpp"
#include "json_input.hpp"
#include "output.hpp"
#include "session_json.hpp"
#include "session_import.hpp"
#include "session_options.hpp"
#include "session_write.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

namespace {

struct TransferOptions {
  std::optional<std::string> out;
  std::string in;
  bool skip_existing = false;
};

// Streamed (docs/cli.md#export--import): the events go from the log to the
// output one at a time, so memory does not grow with the session.
void run_export(const GlobalOptions& globals, const TransferOptions& options) {
  Session open = open_session(globals, SessionAccess::read);
  if (!options.out) {
    print_json_streamed([&](JsonStreamWriter& writer) { write_session_json(writer, open.stores()); });
    return;
  }
  std::int64_t events = 0;
  {
    AtomicFileWriter file(*options.out);
    JsonStreamWriter writer([&](std::string_view bytes) { file.write(bytes); }, kOutputJson);
    events = write_session_json(writer, open.stores());
    writer.finish();
    file.write("\n");
    file.commit();
  }
  if (globals.json) {
    print_json(Json{{"session", globals.session}, {"out", *options.out}, {"events", events}});
    return;
  }
  std::cout << "Exported session " << py_repr(globals.session) << " (" << events << " events) to " << *options.out
            << "\n";
}

// The artifacts the file lists that the session does not hold (the format keeps no bytes).
std::int64_t artifacts_without_bytes(const ImportFile& file, const ArtifactStore& artifacts) {
  std::int64_t missing = 0;
  for (const auto& handle : file.artifact_handles) {
    if (!artifacts.exists(handle)) ++missing;
  }
  return missing;
}

// Events, then facts and episodes, in one transaction (session_write.hpp).
void write_import(Session& session, const ImportPlan& plan, const std::string& path) {
  const UndoableArtifacts artifacts = undoable_artifacts(session.stores());
  write_all_or_nothing(session, artifacts, path, "imported", [&] {
    const SessionStores& stores = session.stores();
    stores.events().append_many(plan.events);  // a savepoint of the import's one transaction
    for (const auto& fact : plan.facts) stores.facts().put(fact);
    for (const auto& episode : plan.episodes) stores.episodes().add(episode);
  });
}

void run_import(const GlobalOptions& globals, const TransferOptions& options) {
  ImportFile file = read_import_file(options.in);  // plan_import moves its new events out
  Session open = open_session(globals, SessionAccess::write);
  const ImportPlan plan = plan_import(file, open.stores(), options.skip_existing, globals.session);
  write_import(open, plan, options.in);
  const std::int64_t missing_bytes = artifacts_without_bytes(file, open.stores().artifacts());
  if (globals.json) {
    print_json(Json{{"session", globals.session},
                    {"in", options.in},
                    {"imported_events", static_cast<std::int64_t>(plan.events.size())},
                    {"skipped_existing", plan.skipped_events},
                    {"facts", static_cast<std::int64_t>(plan.facts.size())},
                    {"episodes", static_cast<std::int64_t>(plan.episodes.size())},
                    {"artifacts_without_bytes", missing_bytes}});
    return;
  }
  std::cout << "Imported " << plan.events.size() << " events, " << plan.facts.size() << " facts and "
            << plan.episodes.size() << " episodes from " << options.in << " into session " << py_repr(globals.session)
            << "\n";
  if (missing_bytes > 0) {
    std::cout << missing_bytes << " artifacts are listed without their bytes (the session format keeps none)\n";
  }
}

const CommandRegistration kRegistration(100, [](CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<TransferOptions>();
  CLI::App* exp = add_command(app, "export", "Write a workspace session as the reference's session JSON.",
                              "  contextweaver export --session support --out support.json\n"
                              "  contextweaver export > session.json\n");
  exp->add_option("--out", options->out, "Output file (default: stdout)");
  exp->callback([&globals, options] { run_export(globals, *options); });

  CLI::App* imp = add_command(app, "import", "Add a session JSON file's events, facts and episodes to a session.",
                              "  contextweaver import --in support.json --session restored\n"
                              "  contextweaver import --in support.json --skip-existing --json\n");
  imp->add_option("--in", options->in, "The session JSON file")->required();
  imp->add_flag("--skip-existing", options->skip_existing, "Quietly skip events already in the session");
  imp->callback([&globals, options] { run_import(globals, *options); });
});

}  // namespace

}  // namespace contextweaver::cli
