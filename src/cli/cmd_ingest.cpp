// `contextweaver ingest`: append a JSONL session to a workspace session.
//
// The reference's semantics per line (docs/cli.md, ingest): a tool_result longer
// than 2000 characters goes through the firewall (event "result:<call id>",
// raw output kept as artifact "artifact:result:<call id>", extracted facts
// stored as "<id>:fact:<i>"); every other line is appended verbatim.
// The session's exclusive lock serializes concurrent ingests. The file is
// streamed (a line longer than --max-line-bytes is an error), every line is
// parsed and every id and artifact handle checked before anything is written;
// a re-ingested event is an error naming the duplicates (nothing is written)
// unless --skip-existing, which quietly ingests only the new ones. The write
// is all or nothing: one transaction, artifact files taken back on failure
// (session_write.hpp). --no-firewall appends every line verbatim, as the
// reference's benchmark loads scenarios.
#include <climits>
#include <limits>
#include <iostream>
#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "fileio.hpp"
#include "jsonl_events.hpp"
#include "output.hpp"
#include "session_json.hpp"
#include "session_options.hpp"
#include "session_write.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/handle.hpp"

namespace contextweaver::cli {

namespace {

constexpr std::size_t kFirewallChars = 2000;

struct IngestOptions {
  std::string events;
  std::optional<std::string> out;
  bool skip_existing = false;
  bool no_firewall = false;
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
};

// Set once from --no-firewall before any line is looked at.
bool g_firewall_enabled = true;

bool goes_through_firewall(const JsonlEvent& item) {
  // A text of at most kFirewallChars bytes has at most as many characters: no count needed.
  return g_firewall_enabled && item.kind == ItemKind::tool_result && item.text.size() > kFirewallChars &&
         code_point_count(item.text) > kFirewallChars;
}

// The id an input line is logged under.
std::string logged_id(const JsonlEvent& item) {
  return goes_through_firewall(item) ? "result:" + item.parent_id.value_or(item.id) : item.id;
}

// Keeps in `items` the lines to ingest, in order: all of them, or
// (skip_existing) those whose id is new; returns how many were skipped.
// Throws DuplicateItemError otherwise: naming the file and both lines for an
// id repeated in the file, or the ids already in the session. Item i is line
// i + 1 of `source` (every line of a JSONL file is an event).
std::int64_t keep_new_items(std::vector<JsonlEvent>& items, const EventLog& log, bool skip_existing,
                            const std::string& session, const std::string& source) {
  const LogIds logged(log, items.size());
  std::vector<std::string> duplicates;
  std::unordered_map<std::string, std::size_t> first_line;  // id -> the line it first appears on
  first_line.reserve(items.size());
  std::size_t kept = 0;  // items[0, kept) are the new ones so far (moved down in place)
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string id = logged_id(items[i]);
    if (const auto [it, inserted] = first_line.try_emplace(id, i + 1); !inserted) {
      if (!skip_existing) {
        throw DuplicateItemError(
            fmt::format("{}: id {} is repeated in the file (lines {} and {}); nothing was ingested", source,
                        py_repr(id), it->second, i + 1));
      }
      duplicates.push_back(std::move(id));
      continue;
    }
    if (logged.contains(id)) {
      duplicates.push_back(std::move(id));
      continue;
    }
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  if (!duplicates.empty() && !skip_existing) {
    std::string listed;
    for (std::size_t i = 0; i < duplicates.size() && i < 10; ++i) {
      listed += (i > 0 ? ", " : "") + py_repr(duplicates[i]);
    }
    if (duplicates.size() > 10) listed += fmt::format(", and {} more", duplicates.size() - 10);
    throw DuplicateItemError(fmt::format(
        "{} of {} events are already in session {} ({}); nothing was ingested. Use --skip-existing to ingest only "
        "the new ones.",
        duplicates.size(), items.size(), py_repr(session), listed));
  }
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(kept), items.end());
  return static_cast<std::int64_t>(duplicates.size());
}

// The firewall keeps a line's raw output under this handle.
std::string artifact_handle(const JsonlEvent& item) {
  return "artifact:result:" + item.parent_id.value_or(item.id);
}

// Checks, before anything is written, that every firewalled line's artifact
// handle can name its files: ValueError "<file>:<line>: …" otherwise.
void check_artifact_handles(const std::vector<JsonlEvent>& items, const std::string& source) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!goes_through_firewall(items[i])) continue;
    const std::string handle = artifact_handle(items[i]);
    try {
      validate_artifact_handle(handle);
    } catch (const ContextWeaverError& e) {
      throw ValueError(fmt::format("{}:{}: the tool_result's parent_id makes an invalid artifact handle: {}", source,
                                   i + 1, e.what()));
    }
    // The files are <handle>.data and <handle>.json (docs/artifact-files.md).
    if (handle.size() + 5 > NAME_MAX) {
      throw ValueError(fmt::format(
          "{}:{}: the tool_result's parent_id makes an artifact handle of {} bytes; at most {} fit in a file name",
          source, i + 1, handle.size(), NAME_MAX - 5));
    }
  }
}

std::string tool_name_of(const JsonlEvent& item) {
  if (!item.metadata.is_object() || !item.metadata.contains("tool_name")) return "";
  const Json& name = item.metadata["tool_name"];
  return name.is_string() ? name.get<std::string>() : py_repr_json(name);
}

struct IngestTally {
  OrderedCounts kind_counts;
  std::int64_t firewall_count = 0;
};

// Writes `fresh` in file order through a manager on the session's stores
// (artifacts through `artifacts`). Runs inside the ingest's one transaction.
IngestTally write_items(const Session& session, const std::shared_ptr<ArtifactStore>& artifacts,
                        std::vector<JsonlEvent>& fresh, bool show_progress) {
  ContextManagerOptions manager_options;
  manager_options.event_log = session.stores().event_log_ptr();
  manager_options.artifact_store = artifacts;
  manager_options.stores.fact_store = session.stores().fact_store_ptr();
  manager_options.stores.episodic_store = session.stores().episodic_store_ptr();
  ContextManager manager(std::move(manager_options));

  IngestTally tally;
  Progress progress("Ingesting", static_cast<std::int64_t>(fresh.size()), show_progress);
  // Plain lines are appended in batches (each a savepoint of the ingest's one
  // transaction), made into items only then, their fields moved; a firewalled
  // line flushes the batch first, so the log keeps the file's order.
  constexpr std::size_t kBatch = 512;
  std::size_t batch_begin = 0;
  std::vector<ContextItem> batch;
  batch.reserve(kBatch);
  const auto flush = [&](std::size_t end) {
    for (std::size_t j = batch_begin; j < end; ++j) batch.push_back(fresh[j].take_item());
    if (!batch.empty()) manager.event_log().append_many(batch);
    batch.clear();
    batch_begin = end;
  };
  std::int64_t done = 0;
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    const JsonlEvent& item = fresh[i];
    add_count(tally.kind_counts, std::string(to_string(item.kind)));
    if (goes_through_firewall(item)) {
      flush(i);
      const auto [logged, envelope] =
          manager.ingest_tool_result(item.parent_id.value_or(item.id), item.text, tool_name_of(item));
      for (std::size_t f = 0; f < envelope.facts.size(); ++f) {
        manager.add_fact(fmt::format("{}:fact:{}", item.id, f), envelope.facts[f]);
      }
      ++tally.firewall_count;
      batch_begin = i + 1;
    } else if (i + 1 - batch_begin >= kBatch) {
      flush(i + 1);
    }
    progress.update(++done);
  }
  flush(fresh.size());
  progress.finish();
  return tally;
}

void run_ingest(const GlobalOptions& globals, const IngestOptions& options) {
  g_firewall_enabled = !options.no_firewall;
  // A failed --out must not follow committed events: the destination is checked before anything is written.
  if (options.out) check_output_destination(*options.out);
  std::vector<JsonlEvent> items = load_jsonl_event_lines(options.events, options.max_line_bytes);
  check_artifact_handles(items, options.events);
  Session session = open_session(globals, SessionAccess::write);
  const auto lines = static_cast<std::int64_t>(items.size());
  const std::int64_t skipped =
      keep_new_items(items, session.stores().events(), options.skip_existing, globals.session, options.events);
  std::vector<JsonlEvent>& fresh = items;

  const UndoableArtifacts artifact_writes = undoable_artifacts(session.stores());
  IngestTally tally;
  write_all_or_nothing(session, artifact_writes, options.events, "ingested", [&] {
    tally = write_items(session, artifact_writes.store, fresh, stdout_is_tty() && !globals.json);
  });
  const OrderedCounts& kind_counts = tally.kind_counts;
  const std::int64_t firewall_count = tally.firewall_count;

  const std::int64_t artifacts = static_cast<std::int64_t>(session.stores().artifacts().list_refs().size());
  const std::int64_t total = static_cast<std::int64_t>(session.stores().events().count());
  if (options.out) write_file_atomic(*options.out, to_json_file_text(session_to_json(session.stores())));

  Json counts = Json::object();
  for (const auto& [kind, n] : kind_counts) counts[kind] = n;
  if (globals.json) {
    print_json(Json{{"workspace", session.workspace().root().string()},
                    {"session", globals.session},
                    {"events_file", options.events},
                    {"lines", lines},
                    {"ingested", static_cast<std::int64_t>(fresh.size())},
                    {"skipped_existing", skipped},
                    {"event_counts", counts},
                    {"firewall_triggers", firewall_count},
                    {"artifacts_stored", artifacts},
                    {"total_events", total},
                    {"out", options.out ? Json(*options.out) : Json(nullptr)}});
    return;
  }
  std::cout << "Ingested " << fresh.size() << " events from " << options.events << "\n"
            << "Event counts: " << dumps(counts) << "\n"
            << "Firewall triggers: " << firewall_count << "\n"
            << "Artifacts stored: " << artifacts << "\n"
            << "Session " << py_repr(globals.session) << " in " << session.workspace().root().string() << " now holds "
            << total << " events\n";
  if (options.out) std::cout << "Session saved to " << *options.out << "\n";
}

const CommandRegistration kRegistration(40, [](CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<IngestOptions>();
  CLI::App* cmd = add_command(app, "ingest", "Ingest a JSONL session into a workspace session.",
                              "  contextweaver ingest --events session.jsonl\n"
                              "  contextweaver ingest --events more.jsonl --session support --skip-existing\n"
                              "  contextweaver ingest --events session.jsonl --out session.json --json\n");
  cmd->add_option("--events", options->events, "Path to the JSONL session file")->required();
  cmd->add_option("--out", options->out, "Also write the whole session as the reference's session JSON");
  cmd->add_flag("--skip-existing", options->skip_existing, "Quietly skip events already in the session");
  cmd->add_option("--max-line-bytes", options->max_line_bytes,
                  "Refuse a line longer than this many bytes (default 64 MiB), so memory stays bounded")
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  cmd->add_flag("--no-firewall", options->no_firewall,
                "Append large tool results verbatim (the build's firewall summarises them later, as in the benchmark)");
  cmd->callback([&globals, options] { run_ingest(globals, *options); });
});

}  // namespace

}  // namespace contextweaver::cli
