#include "session_import.hpp"

#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "fileio.hpp"
#include "json_input.hpp"
#include "session_write.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/handle.hpp"

namespace contextweaver::cli {

namespace {

// data[key] when it is of the wanted kind, moved out of `data` (each section
// is read once: no copy of a large events list); an empty one when the key is
// missing.
Json take_section(Json& data, const char* key, bool want_list, const std::string& path) {
  const auto it = data.find(key);
  if (it == data.end()) return want_list ? Json::array() : Json::object();
  if (want_list ? !it->is_array() : !it->is_object()) {
    throw TypeError(
        fmt::format("{}: '{}' must be {}, got {}", path, key, want_list ? "a list" : "an object", py_type_name(*it)));
  }
  return std::move(*it);
}

// Runs `convert`, naming the file and the entry in any error it raises.
template <typename Fn>
auto converted(const std::string& path, const std::string& what, Fn&& convert) {
  try {
    return convert();
  } catch (const ContextWeaverError& e) {
    throw ValueError(fmt::format("{}: {}: {}", path, what, e.what()));
  }
}

}  // namespace

ImportFile read_import_file(const std::string& path) {
  return parse_import_file(read_text_file(path), path);
}

ImportFile parse_import_file(std::string_view text, const std::string& path) {
  Json session = load_json_document(text, path, LoadOptions{true});
  if (!session.is_object()) {
    throw TypeError(fmt::format("{}: a session file holds a JSON object, got {}", path, py_type_name(session)));
  }
  ImportFile file;
  std::int64_t index = 0;
  {
    Json events = take_section(session, "events", true, path);
    file.events.reserve(events.size());
    for (auto& raw : events) {
      ++index;
      file.events.push_back(
          converted(path, fmt::format("session event {}", index), [&] { return ContextItem::from_dict(raw); }));
      raw = nullptr;  // converted: its memory goes now, so the document and the items are not held twice
    }
  }
  const Json facts = take_section(session, "facts", false, path);
  for (const auto& entry : facts.items()) {  // no structured binding: a lambda captures it (clang 14)
    const std::string& key = entry.key();
    const Json& value = entry.value();
    file.facts.emplace_back(key, converted(path, "fact " + py_repr(key), [&] { return as_string(value, key); }));
  }
  index = 0;
  for (const auto& raw : take_section(session, "episodes", true, path)) {
    ++index;
    file.episodes.push_back(converted(path, fmt::format("episode {}", index), [&] {
      Episode episode;
      episode.episode_id = as_string(require_key(raw, "episode_id"), "episode_id");
      episode.summary = as_string(require_key(raw, "summary"), "summary");
      return episode;
    }));
  }
  const Json artifacts = take_section(session, "artifacts", false, path);
  for (const auto& entry : artifacts.items()) {
    const std::string& handle = entry.key();
    converted(path, "artifact " + py_repr(handle), [&] {
      validate_artifact_handle(handle);
      return 0;
    });
    file.artifact_handles.push_back(handle);
  }
  return file;
}

namespace {

// "2 of 5 events" for a non-empty part.
void add_part(std::vector<std::string>& parts, std::int64_t present, std::size_t total, const char* noun) {
  if (present > 0) parts.push_back(fmt::format("{} of {} {}", present, total, noun));
}

[[noreturn]] void throw_already_there(const ImportPlan& plan, const ImportFile& file, const std::string& session,
                                      const std::string& first) {
  std::vector<std::string> parts;
  add_part(parts, plan.skipped_events, file.events.size(), "events");
  add_part(parts, plan.skipped_facts, file.facts.size(), "facts");
  add_part(parts, plan.skipped_episodes, file.episodes.size(), "episodes");
  std::string listed;
  for (std::size_t i = 0; i < parts.size(); ++i)
    listed += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  throw DuplicateItemError(
      fmt::format("{} are already in session {} (first: {}); nothing was imported. Use --skip-existing to import only "
                  "the new ones.",
                  listed, py_repr(session), first));
}

}  // namespace

ImportPlan plan_import(ImportFile& file, const SessionStores& stores, bool skip_existing, const std::string& session) {
  ImportPlan plan;
  std::string first;  // the first one already there, for the message
  const LogIds logged(stores.events(), file.events.size());
  std::unordered_set<std::string> seen;
  seen.reserve(file.events.size());
  plan.events.reserve(file.events.size());
  for (auto& item : file.events) {
    if (seen.count(item.id) != 0 || logged.contains(item.id)) {
      if (plan.skipped_events++ == 0) first = py_repr(item.id);
      continue;
    }
    seen.insert(item.id);
    plan.events.push_back(std::move(item));  // not copied: a session file may hold a million events
  }
  const std::vector<Fact> existing = stores.facts().all();
  std::set<std::pair<std::string, std::string>> held;  // key, value
  std::set<std::string> taken;
  for (const auto& fact : existing) {
    held.emplace(fact.key, fact.value);
    taken.insert(fact.fact_id);
  }
  // The manager's numbering (fact:<key>:<n>, n = the number of facts so far), past ids already taken.
  std::size_t n = existing.size();
  for (const auto& [key, value] : file.facts) {
    if (held.count({key, value}) != 0) {
      if (plan.skipped_facts++ == 0 && first.empty()) first = "fact " + py_repr(key);
      continue;
    }
    Fact fact;
    do {
      fact.fact_id = fmt::format("fact:{}:{}", key, n++);
    } while (taken.count(fact.fact_id) != 0);
    taken.insert(fact.fact_id);
    fact.key = key;
    fact.value = value;
    plan.facts.push_back(std::move(fact));
  }
  for (const auto& episode : file.episodes) {
    if (stores.episodes().get(episode.episode_id)) {
      if (plan.skipped_episodes++ == 0 && first.empty()) first = "episode " + py_repr(episode.episode_id);
      continue;
    }
    plan.episodes.push_back(episode);
  }
  const bool any = plan.skipped_events + plan.skipped_facts + plan.skipped_episodes > 0;
  if (any && !skip_existing) throw_already_there(plan, file, session, first);
  return plan;
}

}  // namespace contextweaver::cli
