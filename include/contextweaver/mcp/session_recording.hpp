// A SessionRecorder that records into a workspace session (docs/gateway.md,
// docs/sessions.md): what the gateway, under any front end, records into.
#pragma once

#include <memory>

#include "contextweaver/mcp/session_recorder.hpp"
#include "contextweaver/session/session.hpp"

namespace contextweaver {

// A recorder on `session`'s event log and its artifacts (new ones as rows of
// the session database, SessionStores::recording_artifact_store_ptr), each
// recording write going through Session::write: under the session's lock
// (for SessionAccess::record, only for that write) and in one transaction.
// `options.write_scope` is replaced. The recorder keeps the session open and
// is thread-safe as SessionRecorder is (its writes are serialized).
// ConfigError when `session` is null or opened for reading.
std::shared_ptr<SessionRecorder> make_session_recorder(std::shared_ptr<Session> session,
                                                       SessionRecorderOptions options = {});

}  // namespace contextweaver
