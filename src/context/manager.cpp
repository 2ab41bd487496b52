// ContextManager: construction, ingestion, memory and drill-down.
#include "contextweaver/context/manager.hpp"

#include "contextweaver/context/firewall.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_episodic_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "contextweaver/store/in_memory_fact_store.hpp"
#include "contextweaver/summarize/extract.hpp"
#include "contextweaver/core/py_str.hpp"

namespace contextweaver {

namespace {

void require_utf8(std::string_view text, const std::string& what) {
  if (!is_valid_utf8(text)) throw ValueError(what + " is not valid UTF-8");
}

// The state of one artifact handle before an ingest wrote it, to undo the
// write when the event-log append fails.
struct ArtifactBackup {
  std::string handle;
  bool existed = false;
  std::string bytes;
  ArtifactRef ref;
};

ArtifactBackup backup(const ArtifactStore& store, const std::string& handle) {
  ArtifactBackup b{handle, store.exists(handle), {}, {}};
  if (b.existed) {
    b.bytes = store.get(handle);
    b.ref = store.ref(handle);
  }
  return b;
}

void restore(ArtifactStore& store, const std::vector<ArtifactBackup>& backups) noexcept {
  for (auto it = backups.rbegin(); it != backups.rend(); ++it) {
    try {
      if (it->existed) {
        store.put(it->handle, it->bytes, it->ref.media_type, it->ref.label);
      } else if (store.exists(it->handle)) {
        store.delete_(it->handle);
      }
    } catch (...) {  // best effort: the original error is the one to report
    }
  }
}

void append_or_restore(EventLog& log, ArtifactStore& store, const ContextItem& item,
                       const std::vector<ArtifactBackup>& backups) {
  try {
    log.append(item);
  } catch (...) {
    restore(store, backups);
    throw;
  }
}

}  // namespace

ContextManager::ContextManager(ContextManagerOptions options) {
  event_log_ = options.event_log ? options.event_log : options.stores.event_log;
  if (!event_log_) event_log_ = std::make_shared<InMemoryEventLog>();
  artifact_store_ = options.artifact_store ? options.artifact_store : options.stores.artifact_store;
  if (!artifact_store_) artifact_store_ = std::make_shared<InMemoryArtifactStore>();
  episodic_store_ =
      options.stores.episodic_store ? options.stores.episodic_store : std::make_shared<InMemoryEpisodicStore>();
  fact_store_ = options.stores.fact_store ? options.stores.fact_store : std::make_shared<InMemoryFactStore>();
  if (options.profile) {
    if (!options.budget) options.budget = options.profile->budget;
    if (!options.policy) options.policy = options.profile->policy;
    if (!options.scoring_config) options.scoring_config = options.profile->scoring;
    mode_ = options.profile->mode;
  }
  budget_ = options.budget.value_or(ContextBudget{});
  policy_ = options.policy.value_or(ContextPolicy{});
  scoring_ = options.scoring_config.value_or(ScoringConfig{});
  estimator_ = options.estimator ? options.estimator : std::make_shared<CharDivFourEstimator>();
  hook_ = options.hook ? options.hook : std::make_shared<NoOpHook>();
  summarizer_ = std::move(options.summarizer);
  extractor_ = std::move(options.extractor);
  profile_ = std::move(options.profile);
  metrics_ = std::move(options.metrics);
}

void ContextManager::set_hook(std::shared_ptr<EventHook> hook) {
  hook_ = hook ? std::move(hook) : std::make_shared<NoOpHook>();
}

void ContextManager::require_new_id(const std::string& id) const {
  try {
    event_log_->get(id);
  } catch (const ItemNotFoundError&) {
    return;
  }
  throw DuplicateItemError("Duplicate item id: " + py_repr(id));
}

void ContextManager::ingest(const ContextItem& item) {
  require_utf8(item.text, "text of item " + py_repr(item.id));
  event_log_->append(item);
}

std::pair<ContextItem, ResultEnvelope> ContextManager::ingest_tool_result(const std::string& tool_call_id,
                                                                          const std::string& raw_output,
                                                                          const std::string& tool_name,
                                                                          const std::string& media_type,
                                                                          std::int64_t firewall_threshold) {
  require_utf8(raw_output, "raw output of tool call " + py_repr(tool_call_id));
  ContextItem item;
  item.id = "result:" + tool_call_id;
  item.kind = ItemKind::tool_result;
  item.text = raw_output;
  item.token_estimate = estimator_->estimate(raw_output);
  item.metadata = Json{{"tool_name", tool_name}, {"media_type", media_type}};
  item.parent_id = tool_call_id;
  require_new_id(item.id);

  const std::string handle = "artifact:" + item.id;
  std::vector<ArtifactBackup> backups{backup(*artifact_store_, handle)};
  if (static_cast<std::int64_t>(code_point_count(raw_output)) > firewall_threshold) {
    FirewallOptions fw{hook_.get(), &view_registry_, summarizer_.get(), extractor_.get(), estimator_.get()};
    auto [processed, envelope] = apply_firewall(item, *artifact_store_, fw);
    append_or_restore(*event_log_, *artifact_store_, processed, backups);
    return {std::move(processed), std::move(*envelope)};  // a tool_result without hash always fires
  }

  ResultEnvelope envelope;
  try {
    envelope.facts =
        extractor_ ? extractor_->extract(raw_output, item.metadata) : extract_facts(raw_output, item.metadata);
  } catch (const std::exception&) {
    envelope.facts.clear();
    envelope.status = "partial";
  }
  ArtifactRef ref = artifact_store_->put(handle, raw_output, media_type, "raw tool result for " + item.id);
  envelope.views = generate_views(ref, raw_output, &view_registry_);
  envelope.summary = raw_output;
  envelope.artifacts = {ref};
  envelope.provenance = Json{{"source_item_id", item.id}, {"tool_name", tool_name}};
  item.artifact_ref = ref;
  append_or_restore(*event_log_, *artifact_store_, item, backups);
  return {std::move(item), std::move(envelope)};
}

std::pair<ContextItem, ResultEnvelope> ContextManager::ingest_mcp_result(const std::string& tool_call_id,
                                                                         const McpConversion& converted,
                                                                         const std::string& tool_name,
                                                                         std::int64_t firewall_threshold) {
  require_utf8(converted.full_text, "text of MCP result " + py_repr(tool_call_id));
  ContextItem item;
  item.id = "result:" + tool_call_id;
  item.kind = ItemKind::tool_result;
  item.text = converted.full_text;
  item.token_estimate = estimator_->estimate(converted.full_text);
  item.metadata = Json{{"tool_name", tool_name}, {"protocol", "mcp"}};
  item.parent_id = tool_call_id;
  require_new_id(item.id);

  std::vector<ArtifactBackup> backups;
  for (const auto& [handle, part] : converted.binaries) backups.push_back(backup(*artifact_store_, handle));
  const bool firewall = static_cast<std::int64_t>(code_point_count(item.text)) > firewall_threshold;
  if (firewall) backups.push_back(backup(*artifact_store_, "artifact:" + item.id));

  ResultEnvelope envelope = converted.envelope;
  try {
    std::map<std::string, ArtifactRef> stored;
    for (const auto& [handle, part] : converted.binaries) {
      stored[handle] = artifact_store_->put(handle, part.bytes, part.media_type, part.label);
    }
    for (auto& a : envelope.artifacts) {
      if (auto it = stored.find(a.handle); it != stored.end()) a = it->second;
    }
    if (firewall) {
      FirewallOptions fw{hook_.get(), nullptr, summarizer_.get(), extractor_.get(), estimator_.get()};
      auto [processed, fw_env] = apply_firewall(item, *artifact_store_, fw);
      ResultEnvelope merged;
      merged.status = envelope.status;
      merged.summary = fw_env->summary;
      merged.facts = fw_env->facts;
      merged.facts.insert(merged.facts.end(), envelope.facts.begin(), envelope.facts.end());
      merged.artifacts = envelope.artifacts;
      merged.artifacts.insert(merged.artifacts.end(), fw_env->artifacts.begin(), fw_env->artifacts.end());
      merged.provenance = envelope.provenance;
      merged.views = envelope.views;
      merged.views.insert(merged.views.end(), fw_env->views.begin(), fw_env->views.end());
      envelope = std::move(merged);
      item = std::move(processed);
    }
  } catch (...) {
    restore(*artifact_store_, backups);
    throw;
  }
  append_or_restore(*event_log_, *artifact_store_, item, backups);
  return {std::move(item), std::move(envelope)};
}

void ContextManager::add_fact(const std::string& key, const std::string& value, const Json& metadata) {
  Fact fact;
  fact.fact_id = "fact:" + key + ":" + std::to_string(fact_store_->all().size());
  fact.key = key;
  fact.value = value;
  fact.metadata = metadata.is_null() ? Json::object() : metadata;
  fact_store_->put(fact);
}

void ContextManager::add_episode(const std::string& episode_id, const std::string& summary, const Json& metadata) {
  Episode episode;
  episode.episode_id = episode_id;
  episode.summary = summary;
  episode.metadata = metadata.is_null() ? Json::object() : metadata;
  episodic_store_->add(episode);
}

std::string ContextManager::drilldown(const std::string& handle, const Json& selector, bool inject,
                                      const std::optional<std::string>& parent_id) {
  std::string result = artifact_store_->drilldown(handle, selector);
  if (inject) {
    std::string type = "unknown";
    if (selector.is_object()) {
      if (auto it = selector.find("type"); it != selector.end()) type = py_str(*it);
    }
    ContextItem item;
    item.id = "drilldown:" + handle + ":" + type + ":" + std::to_string(event_log_->count());
    item.kind = ItemKind::tool_result;
    item.text = result;
    item.token_estimate = estimator_->estimate(result);
    item.metadata = Json{{"drilldown_handle", handle}, {"selector", selector}};
    item.parent_id = parent_id;
    event_log_->append(item);
  }
  return result;
}

}  // namespace contextweaver
