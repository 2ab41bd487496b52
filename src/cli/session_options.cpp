#include "session_options.hpp"

#include <iostream>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

Workspace workspace_of(const GlobalOptions& globals) {
  Workspace workspace(WorkspaceLocation::parse(globals.workspace));
  if (globals.init) workspace.initialise();
  return workspace;
}

Session open_session(const GlobalOptions& globals, SessionAccess access) {
  const Workspace workspace = workspace_of(globals);
  return workspace.open(SessionName(globals.session), access, [](const SessionName& name) {
    std::cerr << "Waiting for another contextweaver process using session " << py_repr(name.str()) << "...\n";
  });
}

}  // namespace contextweaver::cli
