// How the command files plug into the one CLI11 app.
//
// Each cmd_*.cpp registers itself with a static CommandRegistration, so main.cpp
// does not need to know which commands exist: a command lands when its file is
// added (the library it uses may still be in progress elsewhere).
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace contextweaver::cli {

// The options every command accepts (before or after the command name).
struct GlobalOptions {
  std::string workspace = ".contextweaver";  // --workspace / CONTEXTWEAVER_WORKSPACE
  std::string session = "default";           // --session
  bool json = false;                         // --json
  bool init = false;                         // --init: make the --workspace folder a workspace
  const CLI::Option* session_option = nullptr;

  // Whether --session appeared on the command line (the demo picks its own
  // session name otherwise).
  bool session_given() const { return session_option != nullptr && session_option->count() > 0; }
};

// Adds one command (or a group) to `app`. `order` fixes the position in --help.
using CommandInstaller = std::function<void(CLI::App& app, GlobalOptions& globals)>;

struct CommandRegistration {
  CommandRegistration(int order, CommandInstaller installer);
};

// Calls every registered installer, in `order`.
void install_commands(CLI::App& app, GlobalOptions& globals);

// Creates a subcommand with the shared conventions: global options accepted
// after the command name, help text, and an "Examples:" footer.
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& description,
                      const std::string& examples);

}  // namespace contextweaver::cli
