// How the global options name a workspace session: --workspace is the
// workspace's location and --session the session's name (docs/cli.md). The
// session module (docs/sessions.md) does the rest.
#pragma once

#include "command.hpp"
#include "contextweaver/session/session.hpp"

namespace contextweaver::cli {

// The workspace --workspace (or CONTEXTWEAVER_WORKSPACE) names; ValueError for
// an unsupported location (WorkspaceLocation::parse). With --init the folder
// is made a workspace first (Workspace::initialise: created when missing,
// accepted although it holds other files, docs/sessions.md#workspace-folders).
Workspace workspace_of(const GlobalOptions& globals);

// The session --session names (validated here, once: ValueError for an
// invalid name), opened for `access` (Workspace::open); while another process
// makes it wait, "Waiting for another contextweaver process using session
// '…'..." on stderr.
Session open_session(const GlobalOptions& globals, SessionAccess access);

}  // namespace contextweaver::cli
