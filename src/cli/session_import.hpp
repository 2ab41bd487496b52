// What `import` writes (docs/cli.md#export--import): a session file read and
// checked whole, then matched against the session, before anything is written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"
#include "contextweaver/session/session_stores.hpp"

namespace contextweaver::cli {

// A session file's contents, every value converted.
struct ImportFile {
  std::vector<ContextItem> events;
  std::vector<std::pair<std::string, std::string>> facts;  // key, value, in file order
  std::vector<Episode> episodes;
  std::vector<std::string> artifact_handles;  // listed in the file; their bytes are not
};

// Reads and checks the whole session file at `path`: JSON (lone surrogates and
// NaN/Infinity refused), an object whose "events" and "episodes" are lists,
// "facts" and "artifacts" objects (each may be missing; null is an error),
// every event a ContextItem, every fact value a string, every episode an
// episode_id and a summary, every artifact handle valid. Errors name the file:
// ValueError/TypeError/KeyError "<path>: …".
ImportFile read_import_file(const std::string& path);

// The same checks on a session file's text; `path` names it in errors.
ImportFile parse_import_file(std::string_view text, const std::string& path);

// What import adds to the session.
struct ImportPlan {
  std::vector<ContextItem> events;  // new events, file order
  std::vector<Fact> facts;          // new facts, with the manager's ids
  std::vector<Episode> episodes;    // new episodes
  std::int64_t skipped_events = 0;
  std::int64_t skipped_facts = 0;
  std::int64_t skipped_episodes = 0;
};

// Matches `file` against the session: an event whose id is in the log (or
// earlier in the file), a fact whose key already holds that value and an
// episode whose id is in the session are already there — skipped with
// `skip_existing`, otherwise a DuplicateItemError naming them ("… are already
// in session '<name>' …; nothing was imported"). New facts get the manager's
// ids, fact:<key>:<n>, with n moved past ids already taken so that an import
// never replaces a fact. The new events are moved from `file.events` into the
// plan (their entries stay, emptied), so a large file is not held twice.
ImportPlan plan_import(ImportFile& file, const SessionStores& stores, bool skip_existing, const std::string& session);

}  // namespace contextweaver::cli
