#include "contextweaver/mcp/session_recording.hpp"

#include "contextweaver/core/errors.hpp"

namespace contextweaver {

std::shared_ptr<SessionRecorder> make_session_recorder(std::shared_ptr<Session> session,
                                                       SessionRecorderOptions options) {
  if (!session) throw ConfigError("make_session_recorder: no session");
  if (session->access() == SessionAccess::read) {
    throw ConfigError("make_session_recorder: the session was opened for reading");
  }
  options.write_scope = [session](const std::function<void()>& write) { session->write(write); };
  return std::make_shared<SessionRecorder>(session->stores().event_log_ptr(),
                                           session->stores().recording_artifact_store_ptr(), std::move(options));
}

}  // namespace contextweaver
