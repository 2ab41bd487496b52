// `contextweaver sessions`: the sessions of a workspace.
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "command.hpp"
#include "output.hpp"
#include "session_stores.hpp"
#include "workspace.hpp"
#include "contextweaver/core/errors.hpp"

namespace fs = std::filesystem;

namespace contextweaver::cli {

namespace {

// Bytes on disk under `dir` (database, its WAL, artifacts).
std::int64_t disk_usage(const fs::path& dir) {
  std::int64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) total += static_cast<std::int64_t>(size);
    }
  }
  return total;
}

// The newest modification time of the database files, as ISO 8601 UTC.
std::string last_modified(const fs::path& dir) {
  std::time_t newest = 0;
  for (const char* name : {"session.db", "session.db-wal"}) {
    struct stat info {};
    if (::stat((dir / name).c_str(), &info) == 0 && info.st_mtime > newest) newest = info.st_mtime;
  }
  std::tm utc{};
  ::gmtime_r(&newest, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void run_sessions(const GlobalOptions& globals) {
  const Workspace workspace(globals.workspace);
  Json sessions = Json::array();
  for (const std::string& name : workspace.list_sessions()) {
    const fs::path dir = workspace.session_dir(name);
    Json entry = {{"name", name}, {"path", dir.string()}};
    // One unreadable session (e.g. a corrupt database) is reported, not fatal to the listing.
    try {
      const SessionLock lock(workspace, name, SessionLock::Mode::shared);
      SessionStores stores = SessionStores::open_existing(workspace, name);
      const SessionCounts counts = stores.counts();
      entry["events"] = counts.events;
      entry["facts"] = counts.facts;
      entry["episodes"] = counts.episodes;
      entry["artifacts"] = counts.artifacts;
      entry["error"] = nullptr;
    } catch (const ContextWeaverError& e) {
      for (const char* key : {"events", "facts", "episodes", "artifacts"}) entry[key] = nullptr;
      entry["error"] = e.what();
    }
    entry["size_bytes"] = disk_usage(dir);
    entry["modified"] = last_modified(dir);
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
    rows.push_back({s["name"].get<std::string>(), count(s["events"]), count(s["facts"]), count(s["episodes"]),
                    count(s["artifacts"]), std::to_string(s["size_bytes"].get<std::int64_t>()),
                    s["modified"].get<std::string>()});
  }
  std::cout << "Sessions in " << workspace.root().string() << ":\n" << format_table(rows);
  for (const auto& s : sessions) {
    if (!s["error"].is_null())
      std::cout << s["name"].get<std::string>() << ": " << s["error"].get<std::string>() << "\n";
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
