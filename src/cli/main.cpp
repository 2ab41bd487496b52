// The contextweaver command-line program.
//
// Exit codes (docs/cli.md): 0 success; 1 "Error: <message>" on stderr for any
// failure while running a command (every ContextWeaverError, and any other
// exception, so the program never dies with a trace); 2 usage errors and no
// arguments at all (help on stderr), as Click does. Output that could not be
// written (a closed stdout, a full disk) makes a command fail with exit 1.
// A command stopped by SIGINT, SIGTERM or SIGHUP (gateway, proxy, bench;
// docs/cli.md#signals) exits with 128 + the signal's number after its cleanup.
#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "command.hpp"
#include "output.hpp"
#include "stop_signals.hpp"
#include "contextweaver/core/errors.hpp"

namespace {

constexpr const char* kDescription = "Dynamic context management for tool-using AI agents.";

constexpr const char* kFooter = R"(
Sessions live in a workspace (./.contextweaver by default) that holds any number
of named sessions, each with its SQLite event log, facts, episodes and artifacts.

Examples:
  contextweaver demo
  contextweaver ingest --events session.jsonl --session support
  contextweaver replay --session support --phase answer
  contextweaver log --session support --tail 5
  contextweaver sessions --json
  contextweaver <command> --help)";

// The first word of the command line that is neither an option nor a global
// option's value, when it names no command (CLI11 would only say that a
// subcommand is required).
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") return std::nullopt;
    if (arg == "--workspace" || arg == "--session") {
      ++i;
      continue;
    }
    if (arg.substr(0, 1) == "-") continue;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
      if (command->check_name(std::string(arg))) return std::nullopt;
    }
    return std::string(arg);
  }
  return std::nullopt;
}

// The commands shown in help, comma-separated.
std::string command_names(CLI::App& app) {
  std::string names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App* c) { return !c->get_group().empty(); })) {
    names += (names.empty() ? "" : ", ") + command->get_name();
  }
  return names;
}

int run(int argc, char** argv) {
  using contextweaver::cli::GlobalOptions;
  GlobalOptions globals;
  CLI::App app(kDescription, "contextweaver");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.add_option("--workspace", globals.workspace, "Workspace folder holding the sessions")
      ->envname("CONTEXTWEAVER_WORKSPACE")
      ->capture_default_str();
  globals.session_option =
      app.add_option("--session", globals.session, "Session name in the workspace")->capture_default_str();
  app.add_flag("--json", globals.json, "Print one JSON document instead of text");
  app.add_flag("--init", globals.init,
               "Make the --workspace folder a workspace even though it holds other files (docs/sessions.md)");
  contextweaver::cli::install_commands(app, globals);

  if (argc <= 1) {
    std::cerr << app.help();
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors: the message and how to get help, on stderr, exit 2.
    if (const auto unknown = unknown_command(app, argc, argv)) {
      std::cerr << "Error: unknown command '" << *unknown << "'. Valid commands: " << command_names(app) << "\n";
    } else {
      std::cerr << "Error: " << e.what() << "\n";
    }
    std::cerr << "Run 'contextweaver --help' or 'contextweaver <command> --help' for usage.\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  contextweaver::cli::guard_stdout();
  try {
    const int code = run(argc, argv);
    // Output that did not reach its destination is a failure, whatever the command did (docs/cli.md#output).
    if (const std::string lost = contextweaver::cli::finish_stdout(); !lost.empty()) {
      std::cerr << "Error: " << lost << "\n";
      return 1;
    }
    return code;
  } catch (const contextweaver::cli::Interrupted& e) {
    // The command cleaned up and said what it stopped; the status tells the rest.
    std::cout.flush();
    return e.exit_status();
  } catch (const contextweaver::JsonDecodeError& e) {
    std::cerr << "Error: invalid JSON \u2014 " << e.what() << "\n";
  } catch (const std::bad_alloc&) {
    std::cerr << "Error: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "Error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "Error: unknown failure\n";
  }
  return 1;
}
