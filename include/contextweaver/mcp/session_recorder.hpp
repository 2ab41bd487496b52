// Records the gateway's upstream traffic in a session (event log + artifact
// store), so `contextweaver log`, `replay` and `build` work on it afterwards.
//
// Each upstream tools/call becomes two events: the tool_call "<call-id>"
// (written before the upstream is called, so a call that never returns is
// still on record) and the tool_result "result:<call-id>" (parent the call)
// written through ContextManager::ingest_mcp_result: its binaries and, above
// the firewall threshold, the raw text (artifact "artifact:result:<call-id>")
// go to the artifact store, and the item keeps only the firewall summary.
// Both writes complete before the gateway answers, so killing the process
// after an answer loses nothing. Writes are serialized; each runs inside the
// optional `write_scope` (make_session_recorder, session_recording.hpp, takes
// the workspace session's exclusive lock there, only for the write).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/event_log.hpp"

namespace contextweaver {

struct SessionRecorderOptions {
  std::int64_t firewall_threshold = 2000;  // code points; longer results are firewalled
  // Runs `write` (the recorder's writes); it must call it exactly once. Empty: called directly.
  std::function<void(const std::function<void()>& write)> write_scope;
  // Prefix of call ids; default: "mcp-<8 random hex digits>", so ids from
  // another gateway run on the same session do not collide.
  std::string call_id_prefix;
};

// What the gateway knows about one upstream call.
struct RecordedCall {
  std::string tool_id;    // canonical id
  std::string tool_name;  // the upstream's raw name
  std::string server;     // config server name ("" when unknown)
  std::string mode;       // "gateway" or "proxy"
  Json arguments = Json::object();
};

// Thread-safe: writes are serialized by a mutex, call ids come from an atomic
// counter.
class SessionRecorder {
 public:
  // Null stores become in-memory ones (a recorder that keeps nothing on disk).
  SessionRecorder(std::shared_ptr<EventLog> event_log, std::shared_ptr<ArtifactStore> artifact_store,
                  SessionRecorderOptions options = {});

  // A fresh call id "<prefix>-<n>" (thread-safe).
  std::string new_call_id();

  // Appends the tool_call event "<call_id>": text "<tool_name> <args as JSON>",
  // metadata {"tool_name","tool_id","server","mode","arguments","protocol":"mcp"}.
  // Throws what the store throws (DuplicateItemError, StorageError, …).
  void record_call(const std::string& call_id, const RecordedCall& call);

  // Ingests the converted result as "result:<call_id>" (see above) and returns
  // the envelope the agent gets (firewall summary and artifacts merged in).
  ResultEnvelope record_result(const std::string& call_id, const McpConversion& converted,
                               const std::string& tool_name);

  std::int64_t firewall_threshold() const { return options_.firewall_threshold; }
  ArtifactStore& artifact_store() const { return manager_.artifact_store(); }
  EventLog& event_log() const { return manager_.event_log(); }

 private:
  void write(const std::function<void()>& body);

  SessionRecorderOptions options_;
  mutable ContextManager manager_;
  std::mutex mutex_;
  std::atomic<std::uint64_t> next_{1};
};

}  // namespace contextweaver
