// `contextweaver sessions`: the sessions of a workspace.
#include <ctime>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "command.hpp"
#include "output.hpp"
#include "session_options.hpp"
#include "contextweaver/core/errors.hpp"

namespace contextweaver::cli {

namespace {

// When the session's database was last written, as ISO 8601 UTC.
std::string iso_utc(std::time_t time) {
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void run_sessions(const GlobalOptions& globals) {
  const Workspace workspace = workspace_of(globals);
  Json sessions = Json::array();
  for (const SessionName& name : workspace.list()) {
    Json entry = {{"name", name.str()}, {"path", workspace.session_dir(name).string()}};
    // One unreadable session (e.g. a corrupt database) is reported, not fatal to the listing.
    try {
      const Session session = workspace.open(name, SessionAccess::read);
      const SessionCounts counts = session.stores().counts();
      entry["events"] = counts.events;
      entry["facts"] = counts.facts;
      entry["episodes"] = counts.episodes;
      entry["artifacts"] = counts.artifacts;
      entry["error"] = nullptr;
    } catch (const ContextWeaverError& e) {
      for (const char* key : {"events", "facts", "episodes", "artifacts"}) entry[key] = nullptr;
      entry["error"] = e.what();
    }
    const SessionFootprint footprint = workspace.footprint(name);
    entry["size_bytes"] = footprint.size_bytes;
    entry["modified"] = iso_utc(footprint.modified);
    sessions.push_back(std::move(entry));
  }
  if (globals.json) {
    print_json(Json{{"workspace", workspace.root().string()}, {"sessions", sessions}});
    return;
  }
  if (sessions.empty()) {
    std::cout << "No sessions in " << workspace.root().string() << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "EVENTS", "FACTS", "EPISODES", "ARTIFACTS", "SIZE", "MODIFIED"}};
  const auto count = [](const Json& value) { return value.is_null() ? std::string("?") : value.dump(); };
  for (const auto& s : sessions) {
    rows.push_back({terminal_text(s["name"].get<std::string>()), count(s["events"]), count(s["facts"]),
                    count(s["episodes"]), count(s["artifacts"]), std::to_string(s["size_bytes"].get<std::int64_t>()),
                    s["modified"].get<std::string>()});
  }
  std::cout << "Sessions in " << workspace.root().string() << ":\n" << format_table(rows);
  for (const auto& s : sessions) {
    if (!s["error"].is_null())
      std::cout << terminal_text(s["name"].get<std::string>()) << ": " << terminal_text(s["error"].get<std::string>())
                << "\n";
  }
}

const CommandRegistration kRegistration(60, [](CLI::App& app, GlobalOptions& globals) {
  CLI::App* cmd = add_command(app, "sessions", "List the sessions of the workspace.",
                              "  contextweaver sessions\n"
                              "  contextweaver sessions --workspace /data/agent --json\n");
  cmd->callback([&globals] { run_sessions(globals); });
});

}  // namespace

}  // namespace contextweaver::cli
