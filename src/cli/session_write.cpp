#include "session_write.hpp"

#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/layered_artifact_store.hpp"

namespace contextweaver::cli {

namespace {

// Throws a copy of `error` with `message`, keeping its type (and so its code
// and the exit it leads to).
template <typename First, typename... Rest>
[[noreturn]] void rethrow_as(const ContextWeaverError& error, const std::string& message) {
  if (dynamic_cast<const First*>(&error) != nullptr) throw First(message);
  if constexpr (sizeof...(Rest) > 0) {
    rethrow_as<Rest...>(error, message);
  } else {
    throw ContextWeaverError(message);
  }
}

[[noreturn]] void rethrow_with_message(const ContextWeaverError& error, const std::string& message) {
  // Subclasses before their bases.
  rethrow_as<JsonDecodeError, ValueError, TypeError, KeyError, StorageError, DatabaseError, DuplicateItemError,
             ItemNotFoundError, ArtifactNotFoundError, StoreClosedError, InternalError>(error, message);
}

}  // namespace

UndoableArtifacts undoable_artifacts(const SessionStores& stores) {
  const std::shared_ptr<ArtifactStore> all = stores.artifact_store_ptr();
  if (const auto* layered = dynamic_cast<const LayeredArtifactStore*>(all.get())) {
    // Only the first layer (the artifact files) is wrapped; the others are database rows.
    std::vector<std::shared_ptr<ArtifactStore>> layers = layered->layers();
    auto undo = std::make_shared<ArtifactUndoStore>(layers.front());
    layers.front() = undo;
    return {std::make_shared<LayeredArtifactStore>(std::move(layers)), undo};
  }
  auto undo = std::make_shared<ArtifactUndoStore>(all);
  return {undo, undo};
}

void write_all_or_nothing(Session& session, const UndoableArtifacts& artifacts, std::string_view source,
                          std::string_view verb, const std::function<void()>& body) {
  try {
    session.write(body);
  } catch (const std::bad_alloc&) {
    artifacts.undo->undo();
    throw;
  } catch (const std::exception& error) {
    const std::size_t not_restored = artifacts.undo->undo();
    const std::string outcome =
        not_restored == 0
            ? fmt::format("; nothing was {}; the session is unchanged", verb)
            : fmt::format("; nothing was {} into the database, but {} artifact file(s) could not be restored", verb,
                          not_restored);
    if (const auto* typed = dynamic_cast<const ContextWeaverError*>(&error)) {
      rethrow_with_message(*typed, fmt::format("{}: {}{}", source, typed->what(), outcome));
    }
    throw ContextWeaverError(fmt::format("{}: {}{}", source, error.what(), outcome));
  }
}

bool in_log(const EventLog& log, const std::string& id) {
  try {
    log.get(id);
    return true;
  } catch (const ItemNotFoundError&) {
    return false;
  }
}

namespace {

// A log holding at most this many ids per lookup is read whole (one pass,
// a hash set) rather than asked once per id.
constexpr std::size_t kReadWholeRatio = 4;

}  // namespace

LogIds::LogIds(const EventLog& log, std::size_t lookups) : log_(log) {
  const std::size_t held = log.count();
  if (held == 0 || lookups == 0) return;
  if (held / kReadWholeRatio > lookups) {
    ask_log_ = true;
    return;
  }
  ids_.reserve(held);
  log.scan(0, [this](ContextItem&& item) { ids_.insert(std::move(item.id)); });
}

bool LogIds::contains(const std::string& id) const {
  return ask_log_ ? in_log(log_, id) : ids_.count(id) != 0;
}

}  // namespace contextweaver::cli
