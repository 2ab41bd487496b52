// All-or-nothing writes of `ingest` and `import` (docs/cli.md#ingest): the
// events, facts and episodes in one transaction of the session's database,
// the artifact files written first and taken back when it rolls back.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "artifact_undo.hpp"
#include "contextweaver/session/session.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/event_log.hpp"

namespace contextweaver::cli {

// The session's artifact store with its folder layer behind an
// ArtifactUndoStore: `store` is what the command writes through (the same
// namespace as SessionStores::artifacts()); `undo` takes back the files.
// Rows of the database layer need no undo: they roll back with the
// transaction.
struct UndoableArtifacts {
  std::shared_ptr<ArtifactStore> store;
  std::shared_ptr<ArtifactUndoStore> undo;
};
UndoableArtifacts undoable_artifacts(const SessionStores& stores);

// Runs `body` inside one transaction of `session` (Session::write). When
// anything fails — a bad value, a full disk — the transaction rolls back,
// `artifacts.undo` restores the artifact files, and the error is rethrown
// with its type as "<source>: <message>; nothing was <verb>; the session is
// unchanged" (or how many artifacts could not be restored), so a re-run
// behaves as a first run.
void write_all_or_nothing(Session& session, const UndoableArtifacts& artifacts, std::string_view source,
                          std::string_view verb, const std::function<void()>& body);

// Whether the log holds an event with this id (ingest and import check every
// id before they write).
bool in_log(const EventLog& log, const std::string& id);

// Answers in_log for the `lookups` ids a command is about to check, without a
// failed lookup (an exception) per new id: an empty log is never asked, a log
// not much larger than the lookups is read once for its ids, and only a far
// larger one is asked id by id. The log must not change while it is in use.
class LogIds {
 public:
  LogIds(const EventLog& log, std::size_t lookups);
  bool contains(const std::string& id) const;

 private:
  const EventLog& log_;
  bool ask_log_ = false;                 // a large log: in_log per id
  std::unordered_set<std::string> ids_;  // otherwise every id the log holds
};

}  // namespace contextweaver::cli
