#include "session_json.hpp"

#include <fmt/format.h>

#include "fileio.hpp"
#include "json_input.hpp"
#include "output.hpp"
#include "read_only_event_log.hpp"
#include "session_options.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"

namespace contextweaver::cli {

namespace {

// The sections after "events", as session_to_json builds them (small: no bytes, no item texts).
Json artifact_map_of(const ArtifactStore& artifacts) {
  Json artifact_map = Json::object();
  for (const auto& ref : artifacts.list_refs()) {
    artifact_map[ref.handle] =
        Json{{"media_type", ref.media_type}, {"size_bytes", ref.size_bytes}, {"label", ref.label}};
  }
  return artifact_map;
}

// {key: value}: a later fact with the same key replaces the value and keeps the first position.
Json fact_map_of(const FactStore& facts) {
  Json fact_map = Json::object();
  for (const auto& fact : facts.all()) fact_map[fact.key] = fact.value;
  return fact_map;
}

Json episode_array_of(const EpisodicStore& episodes) {
  Json episode_array = Json::array();
  for (const auto& episode : episodes.all()) {
    episode_array.push_back(Json{{"episode_id", episode.episode_id}, {"summary", episode.summary}});
  }
  return episode_array;
}

}  // namespace

Json session_to_json(EventLog& events, ArtifactStore& artifacts, FactStore& facts, EpisodicStore& episodes,
                     std::optional<std::int64_t> event_count) {
  Json event_array = Json::array();
  for (const auto& item : events.all()) event_array.push_back(item.to_dict());
  Json artifact_map = artifact_map_of(artifacts);
  Json fact_map = fact_map_of(facts);
  Json episode_array = episode_array_of(episodes);
  const auto count = event_count.value_or(static_cast<std::int64_t>(event_array.size()));
  return Json{{"event_count", count},
              {"events", std::move(event_array)},
              {"artifacts", std::move(artifact_map)},
              {"facts", std::move(fact_map)},
              {"episodes", std::move(episode_array)}};
}

Json session_to_json(const SessionStores& stores) {
  return session_to_json(stores.events(), stores.artifacts(), stores.facts(), stores.episodes());
}

std::int64_t write_session_json(JsonStreamWriter& writer, const SessionStores& stores) {
  const auto count = static_cast<std::int64_t>(stores.events().count());
  writer.begin_object();
  writer.key("event_count");
  writer.integer(count);
  writer.key("events");
  writer.begin_array();
  const std::size_t written = stores.events().scan(0, [&](ContextItem&& item) { write_item_json(writer, item); });
  writer.end_array();
  if (static_cast<std::int64_t>(written) != count) {
    throw StorageError(
        fmt::format("the event log changed while it was read: {} events counted, {} read", count, written));
  }
  writer.key("artifacts");
  writer.value(artifact_map_of(stores.artifacts()));
  writer.key("facts");
  writer.value(fact_map_of(stores.facts()));
  writer.key("episodes");
  writer.value(episode_array_of(stores.episodes()));
  writer.end_object();
  return count;
}

namespace {

// Whether --session names a session JSON file rather than a workspace session.
bool looks_like_session_file(std::string_view value) {
  const bool ends_in_json = value.size() >= 5 && value.substr(value.size() - 5) == ".json";
  return value.find('/') != std::string_view::npos || value.find('\\') != std::string_view::npos || ends_in_json;
}

}  // namespace

std::unique_ptr<ContextManager> restore_manager(const Json& session, const std::string& source, std::int64_t budget) {
  ContextManagerOptions options;
  options.budget = ContextBudget{budget, budget, budget, budget};
  auto manager = std::make_unique<ContextManager>(std::move(options));
  const auto section = [&](const char* key, Json fallback) -> Json {
    return session.contains(key) ? session.at(key) : fallback;
  };
  const Json events = section("events", Json::array());
  if (!events.is_array()) throw TypeError(fmt::format("{}: 'events' must be a list", source));
  std::int64_t index = 0;
  for (const auto& raw : events) {
    ++index;
    ContextItem item;
    try {
      item = ContextItem::from_dict(raw);
    } catch (const ContextWeaverError& e) {
      throw ValueError(fmt::format("{}: session event {}: {}", source, index, e.what()));
    }
    manager->ingest(item);
  }
  const Json facts = section("facts", Json::object());
  if (!facts.is_object()) throw TypeError(fmt::format("{}: 'facts' must be an object", source));
  for (const auto& [key, value] : facts.items()) manager->add_fact(key, as_string(value, "facts." + key));
  const Json episodes = section("episodes", Json::array());
  if (!episodes.is_array()) throw TypeError(fmt::format("{}: 'episodes' must be a list", source));
  for (const auto& episode : episodes) {
    manager->add_episode(as_string(require_key(episode, "episode_id"), "episode_id"),
                         as_string(require_key(episode, "summary"), "summary"));
  }
  return manager;
}

namespace {

// A session file's artifacts/facts section, or an empty object when absent.
Json section_or_empty(const Json& session, const char* key) {
  return session.value(key, Json::object());
}

}  // namespace

ReplaySource open_replay_source(const GlobalOptions& globals, std::int64_t budget) {
  ReplaySource source;
  if (looks_like_session_file(globals.session)) {
    const std::string& path = globals.session;
    Json session = load_json_document(read_text_file(path), path);
    if (!session.is_object()) {
      throw TypeError(fmt::format("{}: a session file holds a JSON object, got {}", path, py_type_name(session)));
    }
    source.manager = restore_manager(session, path, budget);
    source.artifacts = section_or_empty(session, "artifacts");
    source.facts = section_or_empty(session, "facts");
    return source;
  }
  source.session.emplace(open_session(globals, SessionAccess::read));
  const SessionStores& stores = source.session->stores();
  ContextManagerOptions options;
  options.budget = ContextBudget{budget, budget, budget, budget};
  options.event_log = std::make_shared<ReadOnlyEventLog>(stores.event_log_ptr());
  source.manager = std::make_unique<ContextManager>(std::move(options));
  source.artifacts = artifact_map_of(stores.artifacts());
  source.facts = fact_map_of(stores.facts());
  // As restore_manager adds them from the session JSON.
  for (const auto& [key, value] : source.facts.items()) source.manager->add_fact(key, value.get<std::string>());
  for (const auto& episode : stores.episodes().all()) source.manager->add_episode(episode.episode_id, episode.summary);
  return source;
}

}  // namespace contextweaver::cli
