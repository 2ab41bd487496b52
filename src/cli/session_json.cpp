#include "session_json.hpp"

#include <fmt/format.h>

#include "fileio.hpp"
#include "json_input.hpp"
#include "session_options.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"

namespace contextweaver::cli {

Json session_to_json(EventLog& events, ArtifactStore& artifacts, FactStore& facts, EpisodicStore& episodes,
                     std::optional<std::int64_t> event_count) {
  Json event_array = Json::array();
  for (const auto& item : events.all()) event_array.push_back(item.to_dict());
  Json artifact_map = Json::object();
  for (const auto& ref : artifacts.list_refs()) {
    artifact_map[ref.handle] =
        Json{{"media_type", ref.media_type}, {"size_bytes", ref.size_bytes}, {"label", ref.label}};
  }
  Json fact_map = Json::object();
  for (const auto& fact : facts.all()) fact_map[fact.key] = fact.value;
  Json episode_array = Json::array();
  for (const auto& episode : episodes.all()) {
    episode_array.push_back(Json{{"episode_id", episode.episode_id}, {"summary", episode.summary}});
  }
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

namespace {

// Whether --session names a session JSON file rather than a workspace session.
bool looks_like_session_file(std::string_view value) {
  const bool ends_in_json = value.size() >= 5 && value.substr(value.size() - 5) == ".json";
  return value.find('/') != std::string_view::npos || value.find('\\') != std::string_view::npos || ends_in_json;
}

}  // namespace

Json load_session_json(const GlobalOptions& globals, std::string& source) {
  if (looks_like_session_file(globals.session)) {
    source = globals.session;
    Json session = load_json_document(read_text_file(globals.session), source);
    if (!session.is_object()) {
      throw TypeError(fmt::format("{}: a session file holds a JSON object, got {}", source, py_type_name(session)));
    }
    return session;
  }
  const Session session = open_session(globals, SessionAccess::read);
  source = fmt::format("session '{}'", session.name().str());
  return session_to_json(session.stores());
}

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

}  // namespace contextweaver::cli
