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
#include "json_input.hpp"
#include "output.hpp"
#include "session_json.hpp"
#include "session_options.hpp"
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
    Session open = open_session(globals, SessionAccess::read);
    session = session_to_json(open.stores());
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

// A session file's contents, parsed before anything is written.
struct ImportFile {
  std::vector<ContextItem> events;
  Json facts;  // {key: value}; the values are read as strings while they are written
  std::vector<Episode> episodes;
  Json artifacts;  // {handle: meta}: listed in the file, their bytes are not
};

ImportFile read_import_file(const std::string& path) {
  const Json session = load_json_document(read_text_file(path), path);
  if (!session.is_object()) throw TypeError(fmt::format("{}: a session file holds a JSON object", path));
  ImportFile file;
  std::int64_t index = 0;
  for (const auto& raw : session.value("events", Json::array())) {
    ++index;
    try {
      file.events.push_back(ContextItem::from_dict(raw));
    } catch (const ContextWeaverError& e) {
      throw ValueError(fmt::format("{}: session event {}: {}", path, index, e.what()));
    }
  }
  file.facts = session.value("facts", Json::object());
  const Json episodes = session.value("episodes", Json::array());
  if (!file.facts.is_object() || !episodes.is_array()) {
    throw TypeError(fmt::format("{}: 'facts' must be an object and 'episodes' a list", path));
  }
  for (const auto& raw : episodes) {
    Episode episode;
    episode.episode_id = as_string(require_key(raw, "episode_id"), "episode_id");
    episode.summary = as_string(require_key(raw, "summary"), "summary");
    file.episodes.push_back(std::move(episode));
  }
  file.artifacts = session.value("artifacts", Json::object());
  return file;
}

// The file's events that are neither in the log nor repeated in the file;
// `duplicates` receives the ids of the others, in file order.
std::vector<ContextItem> new_events(const std::vector<ContextItem>& items, const EventLog& log,
                                    std::vector<std::string>& duplicates) {
  std::vector<ContextItem> fresh;
  std::set<std::string> seen;
  for (const auto& item : items) {
    bool present = seen.count(item.id) != 0;
    if (!present) {
      try {
        log.get(item.id);
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
  return fresh;
}

// Appends the new events, then the facts and episodes.
void write_import(const SessionStores& stores, const ImportFile& file, const std::vector<ContextItem>& fresh) {
  stores.events().append_many(fresh);
  // Facts get the manager's ids (fact:<key>:<n>), as the reference's replay re-adds them.
  std::int64_t fact_count = static_cast<std::int64_t>(stores.facts().all().size());
  for (const auto& [key, value] : file.facts.items()) {
    Fact fact;
    fact.fact_id = fmt::format("fact:{}:{}", key, fact_count++);
    fact.key = key;
    fact.value = as_string(value, "facts." + key);
    stores.facts().put(fact);
  }
  for (const auto& episode : file.episodes) stores.episodes().add(episode);
}

// The artifacts the file lists that the session does not hold (the format keeps no bytes).
std::int64_t artifacts_without_bytes(const ImportFile& file, const ArtifactStore& artifacts) {
  std::int64_t missing = 0;
  for (const auto& [handle, meta] : file.artifacts.items()) {
    if (!artifacts.exists(handle)) ++missing;
  }
  return missing;
}

void run_import(const GlobalOptions& globals, const TransferOptions& options) {
  const ImportFile file = read_import_file(options.in);
  const Session open = open_session(globals, SessionAccess::write);
  std::vector<std::string> duplicates;
  const std::vector<ContextItem> fresh = new_events(file.events, open.stores().events(), duplicates);
  if (!duplicates.empty() && !options.skip_existing) {
    throw DuplicateItemError(fmt::format(
        "{} of {} events are already in session {} (first: {}); nothing was imported. Use --skip-existing to import "
        "only the new ones.",
        duplicates.size(), file.events.size(), py_repr(globals.session), py_repr(duplicates.front())));
  }
  write_import(open.stores(), file, fresh);
  const std::int64_t missing_bytes = artifacts_without_bytes(file, open.stores().artifacts());
  if (globals.json) {
    print_json(Json{{"session", globals.session},
                    {"in", options.in},
                    {"imported_events", static_cast<std::int64_t>(fresh.size())},
                    {"skipped_existing", static_cast<std::int64_t>(duplicates.size())},
                    {"facts", static_cast<std::int64_t>(file.facts.size())},
                    {"episodes", static_cast<std::int64_t>(file.episodes.size())},
                    {"artifacts_without_bytes", missing_bytes}});
    return;
  }
  std::cout << "Imported " << fresh.size() << " events, " << file.facts.size() << " facts and " << file.episodes.size()
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
