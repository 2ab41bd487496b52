// The reference's session JSON (docs/cli.md, export / import): what `ingest --out` and
// `export` write, what `import` reads, and how `replay`/`stats` rebuild a
// ContextManager from it (or, for a workspace session, build one straight
// from the session's stores).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "command.hpp"
#include "contextweaver/session/session_stores.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/json_stream.hpp"
#include "contextweaver/session/session.hpp"

namespace contextweaver::cli {

// {"event_count", "events", "artifacts" {handle: {media_type, size_bytes,
// label}}, "facts" {key: value}, "episodes" [{episode_id, summary}]}, from
// the stores' contents. `event_count` is the number of events unless given.
Json session_to_json(EventLog& events, ArtifactStore& artifacts, FactStore& facts, EpisodicStore& episodes,
                     std::optional<std::int64_t> event_count = std::nullopt);
Json session_to_json(const SessionStores& stores);

// session_to_json(stores) written through `writer` without building it
// (docs/cli.md#export--import): the events are read with EventLog::scan and
// written one at a time, so memory does not grow with the log; artifacts,
// facts and episodes are written as session_to_json builds them. The bytes
// are those of dumps(session_to_json(stores)) with the writer's options.
// Returns the number of events. `event_count` is the log's count() read first
// (the caller holds the session's lock, so no writer runs meanwhile);
// StorageError when the scan then finds another number.
std::int64_t write_session_json(JsonStreamWriter& writer, const SessionStores& stores);

// The reference's restore: a fresh in-memory manager whose four phase budgets
// are `budget`, with every event re-ingested, then facts (add_fact) and
// episodes. ValueError "<source>: session event <i>: <detail>" for a bad
// event; KeyError/TypeError for a malformed section.
std::unique_ptr<ContextManager> restore_manager(const Json& session, const std::string& source, std::int64_t budget);

// What replay and stats build from (docs/cli.md#replay).
struct ReplaySource {
  std::optional<Session> session;  // the workspace session, held open (shared lock) while the manager lives
  std::unique_ptr<ContextManager> manager;
  Json artifacts;  // the session JSON's "artifacts": {handle: {media_type, size_bytes, label}}
  Json facts;      // the session JSON's "facts": {key: value}
};

// The session --session names, ready to build with the four phase budgets
// `budget`. A session file (the value contains a path separator or ends in
// ".json", which no session name does) is read and restored (restore_manager).
// A workspace session is opened for reading and not copied: the manager's
// event log is the session's own, read-only (ReadOnlyEventLog), its artifact
// store a fresh in-memory one (the build's firewall writes there, never into
// the session), and its fact and episodic stores are filled as
// restore_manager fills them from the session JSON (facts by key, last value
// kept, metadata dropped; episodes in order). Either way the builds are the
// same.
ReplaySource open_replay_source(const GlobalOptions& globals, std::int64_t budget);

}  // namespace contextweaver::cli
