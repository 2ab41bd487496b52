// The reference's session JSON (docs/cli.md, export / import): what `ingest --out` and
// `export` write, what `import` reads, and how `replay`/`stats` rebuild a
// ContextManager from it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "command.hpp"
#include "contextweaver/session/session_stores.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/json.hpp"

namespace contextweaver::cli {

// {"event_count", "events", "artifacts" {handle: {media_type, size_bytes,
// label}}, "facts" {key: value}, "episodes" [{episode_id, summary}]}, from
// the stores' contents. `event_count` is the number of events unless given.
Json session_to_json(EventLog& events, ArtifactStore& artifacts, FactStore& facts, EpisodicStore& episodes,
                     std::optional<std::int64_t> event_count = std::nullopt);
Json session_to_json(const SessionStores& stores);

// The session JSON named by --session: a session file when the value looks
// like one (it contains a path separator or ends in ".json", which no session
// name does), otherwise the workspace session, read under its shared lock.
// `source` receives what was read, for messages.
Json load_session_json(const GlobalOptions& globals, std::string& source);

// The reference's restore: a fresh in-memory manager whose four phase budgets
// are `budget`, with every event re-ingested, then facts (add_fact) and
// episodes. ValueError "<source>: session event <i>: <detail>" for a bad
// event; KeyError/TypeError for a malformed section.
std::unique_ptr<ContextManager> restore_manager(const Json& session, const std::string& source, std::int64_t budget);

}  // namespace contextweaver::cli
