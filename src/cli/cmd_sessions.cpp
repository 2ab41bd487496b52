// `contextweaver sessions`: the sessions of a workspace.
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/output.hpp"
#include "cli/session_stores.hpp"
#include "cli/workspace.hpp"

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
    const SessionLock lock(workspace, name, SessionLock::Mode::shared);
    SessionStores stores = SessionStores::open_existing(workspace, name);
    const SessionCounts counts = stores.counts();
    const fs::path dir = workspace.session_dir(name);
    sessions.push_back(Json{{"name", name},
                            {"path", dir.string()},
                            {"events", counts.events},
                            {"facts", counts.facts},
                            {"episodes", counts.episodes},
                            {"artifacts", counts.artifacts},
                            {"size_bytes", disk_usage(dir)},
                            {"modified", last_modified(dir)}});
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
  for (const auto& s : sessions) {
    rows.push_back({s["name"].get<std::string>(), std::to_string(s["events"].get<std::int64_t>()),
                    std::to_string(s["facts"].get<std::int64_t>()), std::to_string(s["episodes"].get<std::int64_t>()),
                    std::to_string(s["artifacts"].get<std::int64_t>()),
                    std::to_string(s["size_bytes"].get<std::int64_t>()), s["modified"].get<std::string>()});
  }
  std::cout << "Sessions in " << workspace.root().string() << ":\n" << format_table(rows);
}

const CommandRegistration kRegistration(60, [](CLI::App& app, GlobalOptions& globals) {
  CLI::App* cmd = add_command(app, "sessions", "List the sessions of the workspace.",
                              "  contextweaver sessions\n"
                              "  contextweaver sessions --workspace /data/agent --json\n");
  cmd->callback([&globals] { run_sessions(globals); });
});

}  // namespace

}  // namespace contextweaver::cli
