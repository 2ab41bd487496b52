// `contextweaver export` / `import`: a workspace session as the reference's
// session JSON (docs/cli.md, export / import) and back.
//
// The format keeps artifact metadata but no bytes, so import restores events
// (with their artifact refs), facts and episodes; the artifacts' bytes are not
// in the file and are reported as not imported.
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "fileio.hpp"
#include "output.hpp"
#include "session_json.hpp"
#include "session_stores.hpp"
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

void run_export(const GlobalOptions& globals, const TransferOptions& options) {
  Json session;
  {
    OpenSession open(globals, OpenSession::Access::read);
    session = session_to_json(open.stores);
  }
  const std::string text = to_json_file_text(session);
  if (!options.out) {
    std::cout << text;  // the session JSON itself, with or without --json
    return;
  }
  write_file_atomic(*options.out, text);
  if (globals.json) {
    print_json(Json{{"session", globals.session}, {"out", *options.out}, {"events", session["events"].size()}});
    return;
  }
  std::cout << "Exported session " << py_repr(globals.session) << " (" << session["events"].size() << " events) to "
            << *options.out << "\n";
}

void run_import(const GlobalOptions& globals, const TransferOptions& options) {
  const Json session = loads(read_text_file(options.in));
  if (!session.is_object()) throw TypeError(fmt::format("{}: a session file holds a JSON object", options.in));
  // Everything is parsed before anything is written.
  std::vector<ContextItem> items;
  std::int64_t index = 0;
  for (const auto& raw : session.value("events", Json::array())) {
    ++index;
    try {
      items.push_back(ContextItem::from_dict(raw));
    } catch (const ContextWeaverError& e) {
      throw ValueError(fmt::format("{}: session event {}: {}", options.in, index, e.what()));
    }
  }
  const Json facts = session.value("facts", Json::object());
  const Json episodes = session.value("episodes", Json::array());
  if (!facts.is_object() || !episodes.is_array()) {
    throw TypeError(fmt::format("{}: 'facts' must be an object and 'episodes' a list", options.in));
  }
  std::vector<Episode> episode_list;
  for (const auto& raw : episodes) {
    Episode episode;
    episode.episode_id = as_string(require_key(raw, "episode_id"), "episode_id");
    episode.summary = as_string(require_key(raw, "summary"), "summary");
    episode_list.push_back(std::move(episode));
  }

  OpenSession open(globals, OpenSession::Access::write);
  std::vector<ContextItem> fresh;
  std::vector<std::string> duplicates;
  std::set<std::string> seen;
  for (const auto& item : items) {
    bool present = seen.count(item.id) != 0;
    if (!present) {
      try {
        open.stores.events().get(item.id);
        present = true;
      } catch (const ItemNotFoundError&) {
      }
    }
    if (present) {
      duplicates.push_back(item.id);
    } else {
      seen.insert(item.id);
      fresh.push_back(item);
    }
  }
  if (!duplicates.empty() && !options.skip_existing) {
    throw DuplicateItemError(fmt::format(
        "{} of {} events are already in session {} (first: {}); nothing was imported. Use --skip-existing to import "
        "only the new ones.",
        duplicates.size(), items.size(), py_repr(globals.session), py_repr(duplicates.front())));
  }
  open.stores.events().append_many(fresh);
  // Facts get the manager's ids (fact:<key>:<n>), as the reference's replay re-adds them.
  std::int64_t fact_count = static_cast<std::int64_t>(open.stores.facts().all().size());
  for (const auto& [key, value] : facts.items()) {
    Fact fact;
    fact.fact_id = fmt::format("fact:{}:{}", key, fact_count++);
    fact.key = key;
    fact.value = as_string(value, "facts." + key);
    open.stores.facts().put(fact);
  }
  for (const auto& episode : episode_list) open.stores.episodes().add(episode);
  std::int64_t missing_bytes = 0;
  const Json artifacts = session.value("artifacts", Json::object());
  for (const auto& [handle, meta] : artifacts.items()) {
    if (!open.stores.artifacts().exists(handle)) ++missing_bytes;
  }
  if (globals.json) {
    print_json(Json{{"session", globals.session},
                    {"in", options.in},
                    {"imported_events", static_cast<std::int64_t>(fresh.size())},
                    {"skipped_existing", static_cast<std::int64_t>(duplicates.size())},
                    {"facts", static_cast<std::int64_t>(facts.size())},
                    {"episodes", static_cast<std::int64_t>(episode_list.size())},
                    {"artifacts_without_bytes", missing_bytes}});
    return;
  }
  std::cout << "Imported " << fresh.size() << " events, " << facts.size() << " facts and " << episode_list.size()
            << " episodes from " << options.in << " into session " << py_repr(globals.session) << "\n";
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
