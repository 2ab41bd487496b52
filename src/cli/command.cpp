#include "command.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace contextweaver::cli {

namespace {

struct Entry {
  int order;
  CommandInstaller installer;
};

// A function-local static: registrations run during static initialization of
// other translation units, in an unspecified order.
std::vector<Entry>& registry() {
  static std::vector<Entry> entries;
  return entries;
}

}  // namespace

CommandRegistration::CommandRegistration(int order, CommandInstaller installer) {
  registry().push_back(Entry{order, std::move(installer)});
}

void install_commands(CLI::App& app, GlobalOptions& globals) {
  auto entries = registry();
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });
  for (const auto& entry : entries) entry.installer(app, globals);
}

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description,
                      const std::string& examples) {
  CLI::App* sub = app.add_subcommand(name, description);
  // Unknown options fall through to the parent, so --json, --workspace and
  // --session work after the command name too.
  sub->fallthrough();
  if (!examples.empty()) sub->footer("\nExamples:\n" + examples);
  return sub;
}

}  // namespace contextweaver::cli
