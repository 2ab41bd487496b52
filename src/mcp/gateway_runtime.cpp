#include "contextweaver/mcp/gateway_runtime.hpp"

#include <condition_variable>
#include <iostream>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/sha256.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/mcp/adapters.hpp"
#include "contextweaver/mcp/gateway_error.hpp"
#include "contextweaver/routing/path.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "gateway_snapshot.hpp"

namespace contextweaver {

namespace {

constexpr std::size_t kMaxEnvelopeFacts = 20;

Json error_result(GatewayErrorCode code, std::string message, std::string path = "", Json details = Json::object()) {
  return GatewayError{code, std::move(message), std::move(path), std::move(details)}.to_call_result();
}

// Validates meta-tool arguments against the meta-tool's own inputSchema
// (the Python SDK does so before dispatch); nullopt when they conform.
std::optional<Json> check_meta_args(const Json& arguments, const Json& tool_def) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<JsonSchemaValidator>> cache;
  std::shared_ptr<JsonSchemaValidator> validator;
  {
    std::lock_guard lock(mutex);
    auto& slot = cache[tool_def["name"].get<std::string>()];
    if (!slot) slot = std::make_shared<JsonSchemaValidator>(tool_def["inputSchema"]);
    validator = slot;
  }
  if (auto violation = validator->validate(arguments)) {
    return error_result(GatewayErrorCode::args_invalid, violation->message, "",
                        Json{{"path", violation->instance_path}});
  }
  return std::nullopt;
}

const Json& meta_tool(const Json& tools, std::string_view name) {
  for (const auto& tool : tools) {
    if (tool["name"] == name) return tool;
  }
  throw InternalError("no meta-tool " + std::string(name));  // the names are fixed
}

ChoiceCard node_card(const ChoiceGraph& graph, const std::string& id) {
  const ChoiceNode node = graph.get_node(id);
  ChoiceCard card;
  card.id = id;
  card.name = slice_code_points(node.label.empty() ? id : node.label, 0, 64);
  card.description = node.routing_hint.empty() ? "Cluster" : node.routing_hint;
  card.kind = "internal";
  const auto colon = id.find(':');
  card.namespace_ = colon == std::string::npos ? "" : id.substr(0, colon);
  return card;
}

Json cards_json(const std::vector<ChoiceCard>& cards) {
  Json out = Json::array();
  for (const auto& card : cards) out.push_back(card.to_dict());
  return out;
}

}  // namespace

struct GatewayRuntime::Watcher {
  std::mutex mutex;
  std::condition_variable_any wake;
  bool dirty = false;
  std::function<void()> changed;
  std::jthread thread;
};

GatewayRuntime::GatewayRuntime(std::shared_ptr<UpstreamCall> upstream, GatewayRuntimeOptions options)
    : upstream_(std::move(upstream)), options_(std::move(options)), recorder_(options_.recorder) {
  if (!recorder_) {
    recorder_ = std::make_shared<SessionRecorder>(std::make_shared<InMemoryEventLog>(),
                                                  std::make_shared<InMemoryArtifactStore>());
  }
  if (options_.top_k < 1) throw ConfigError("top_k must be >= 1, got " + std::to_string(options_.top_k));
  snapshot_ = std::make_shared<const Snapshot>();
}

GatewayRuntime::~GatewayRuntime() {
  if (watcher_) {
    watcher_->thread.request_stop();
    watcher_->wake.notify_all();
    if (watcher_->thread.joinable()) watcher_->thread.join();
  }
}

void GatewayRuntime::report(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << "contextweaver: " << line << '\n';
  }
}

std::shared_ptr<const GatewayRuntime::Snapshot> GatewayRuntime::snapshot() const {
  std::shared_lock lock(snapshot_mutex_);
  return snapshot_;
}

bool GatewayRuntime::refresh() {
  std::lock_guard serial(refresh_mutex_);
  const std::vector<Json> defs = upstream_->list_tools();
  const auto previous = snapshot();
  bool changed = false;
  auto next = build_gateway_snapshot(defs, previous.get(), options_, changed);
  for (const auto& problem : next->problems) report(problem);
  {
    std::unique_lock lock(snapshot_mutex_);
    snapshot_ = std::move(next);
  }
  return changed;
}

void GatewayRuntime::watch_upstream(std::function<void()> changed) {
  if (!watcher_) {
    watcher_ = std::make_shared<Watcher>();
    watcher_->thread = std::jthread([this](std::stop_token stop) { refresh_loop(stop); });
  }
  {
    std::lock_guard lock(watcher_->mutex);
    watcher_->changed = std::move(changed);
  }
  // The listener only flags; the refresh runs on our thread (the listener
  // must not call back into the upstream synchronously).
  // A weak reference: the upstream may outlive us and signal late.
  std::weak_ptr<Watcher> weak = watcher_;
  upstream_->set_tools_changed_listener([weak] {
    const auto watcher = weak.lock();
    if (!watcher) return;
    {
      std::lock_guard lock(watcher->mutex);
      watcher->dirty = true;
    }
    watcher->wake.notify_all();
  });
}

void GatewayRuntime::refresh_loop(std::stop_token stop) {
  while (true) {
    std::function<void()> changed;
    {
      std::unique_lock lock(watcher_->mutex);
      if (!watcher_->wake.wait(lock, stop, [this] { return watcher_->dirty; })) return;
      watcher_->dirty = false;
      changed = watcher_->changed;
    }
    try {
      if (refresh() && changed) changed();
    } catch (const std::exception& e) {
      report(std::string("catalog refresh failed: ") + e.what());
    }
  }
}

std::vector<std::string> GatewayRuntime::tool_ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, entry] : snapshot()->entries) ids.push_back(id);
  return ids;
}

std::string GatewayRuntime::raw_name_of(const std::string& tool_id) const {
  const auto snap = snapshot();
  const auto it = snap->entries.find(tool_id);
  return it == snap->entries.end() ? "" : it->second->raw_name;
}

std::vector<std::string> GatewayRuntime::catalog_problems() const {
  return snapshot()->problems;
}

Json GatewayRuntime::browse(const Json& arguments) const {
  if (auto bad = check_meta_args(arguments, meta_tool(gateway_meta_tools(), "tool_browse"))) return *bad;
  const bool has_query = arguments.contains("query") && !arguments["query"].is_null();
  const bool has_path = arguments.contains("path") && !arguments["path"].is_null();
  if (has_query == has_path) {
    return error_result(GatewayErrorCode::args_invalid, "tool_browse requires exactly one of 'query' or 'path'.");
  }
  const auto snap = snapshot();
  std::int64_t top_k = options_.top_k;
  if (arguments.contains("top_k") && arguments["top_k"].is_number_integer()) {
    top_k = std::min<std::int64_t>(top_k, arguments["top_k"].get<std::int64_t>());
  }
  try {
    if (has_query) {
      if (snap->entries.empty()) return text_call_result("[]", false);
      RankOptions rank_options;
      rank_options.top_k = static_cast<std::size_t>(top_k);
      rank_options.explain = false;
      const RankResult ranked = snap->ranker->rank(arguments["query"].get<std::string>(), rank_options);
      std::vector<SelectableItem> items;
      std::map<std::string, double> scores;
      for (const auto& candidate : ranked.candidates) {
        const auto entry = snap->entries.find(candidate.id);
        if (entry == snap->entries.end()) {
          throw InternalError("tool_browse: ranked id " + candidate.id + " is not in the catalog snapshot");
        }
        items.push_back(entry->second->item);
        scores[candidate.id] = candidate.score;
      }
      auto cards = make_choice_cards(items, top_k, scores, options_.card_budget);
      return text_call_result(dumps(cards_json(bound_browse_response(cards, options_.card_budget))), false);
    }
    const std::string path = arguments["path"].get<std::string>();
    if (!snap->graph) return error_result(GatewayErrorCode::path_not_found, "No catalog registered.", path);
    std::vector<std::string> children;
    try {
      children = resolve_path(*snap->graph, parse_path(path));
    } catch (const PathInvalidError& e) {
      return error_result(GatewayErrorCode::path_invalid, e.what(), path);
    } catch (const PathNotFoundError& e) {
      return error_result(GatewayErrorCode::path_not_found, e.what(), path);
    }
    std::vector<ChoiceCard> cards;
    for (const auto& id : children) {
      const auto it = snap->entries.find(id);
      if (it != snap->entries.end()) {
        cards.push_back(item_to_card(it->second->item));
        continue;
      }
      ChoiceCard card = node_card(*snap->graph, id);
      try {
        enforce_card_budget(card, options_.card_budget);
      } catch (const CatalogError&) {
        // Tree node ids grow with depth and merged clusters ("a+b+…"); such
        // an id alone can exceed the card cap. The card then shows a prefix.
        card.id = slice_code_points(card.id, 0, 48) + "\u2026";
      }
      cards.push_back(std::move(card));
    }
    return text_call_result(dumps(cards_json(bound_browse_response(cards, options_.card_budget))), false);
  } catch (const ContextWeaverError& e) {
    // A card over the hard cap (an upstream tool id/description beyond any budget).
    return error_result(GatewayErrorCode::upstream_error, std::string("cannot render choice cards: ") + e.what());
  }
}

Json GatewayRuntime::hydrate(const Json& arguments) const {
  if (!arguments.is_object() || !arguments.contains("tool_id") || !arguments["tool_id"].is_string()) {
    return error_result(GatewayErrorCode::args_invalid, "tool_hydrate requires a string 'tool_id'.");
  }
  if (auto bad = check_meta_args(arguments, meta_tool(proxy_meta_tools(), "tool_hydrate"))) return *bad;
  const std::string tool_id = arguments["tool_id"].get<std::string>();
  const auto snap = snapshot();
  const auto it = snap->entries.find(tool_id);
  if (it == snap->entries.end()) {
    return error_result(GatewayErrorCode::hydrate_failed, "Item not found: " + py_repr(tool_id), tool_id);
  }
  const SelectableItem& item = it->second->item;
  Json examples = Json::array();
  for (const auto& e : item.examples) examples.push_back(e);
  const Json payload{{"tool_id", tool_id},
                     {"args_schema", item.args_schema},
                     {"examples", examples},
                     {"constraints", item.constraints}};
  return text_call_result(dumps(payload), false);
}

Json GatewayRuntime::execute(const Json& arguments, std::stop_token cancel) {
  if (!arguments.is_object() || !arguments.contains("tool_id") || !arguments["tool_id"].is_string() ||
      !arguments.contains("args") || !arguments["args"].is_object()) {
    return error_result(GatewayErrorCode::args_invalid, "tool_execute requires string 'tool_id' and object 'args'.");
  }
  if (auto bad = check_meta_args(arguments, meta_tool(gateway_meta_tools(), "tool_execute"))) return *bad;
  const std::string tool_id = arguments["tool_id"].get<std::string>();
  const Json& args = arguments["args"];
  const auto snap = snapshot();
  const auto found = snap->entries.find(tool_id);
  if (found == snap->entries.end()) {
    return error_result(GatewayErrorCode::hydrate_failed, "Item not found: " + py_repr(tool_id), tool_id);
  }
  const GatewayCatalogEntry& entry = *found->second;
  std::string schema_error;
  const JsonSchemaValidator* validator = entry.validator(schema_error);
  if (validator == nullptr) {
    return error_result(GatewayErrorCode::hydrate_failed,
                        "the upstream's input schema for " + py_repr(tool_id) + " is unusable: " + schema_error,
                        tool_id);
  }
  if (auto violation = validator->validate(args)) {
    return error_result(GatewayErrorCode::args_invalid, violation->message, tool_id,
                        Json{{"path", violation->instance_path}});
  }

  const std::string call_id = recorder_->new_call_id();
  const std::string mode = options_.mode == ExposureMode::gateway ? "gateway" : "proxy";
  try {
    recorder_->record_call(call_id, RecordedCall{tool_id, entry.raw_name, entry.server, mode, args});
  } catch (const std::exception& e) {
    // Nothing was sent upstream: refuse rather than run an unrecorded call.
    return error_result(GatewayErrorCode::upstream_error, std::string("session recording failed: ") + e.what(),
                        tool_id);
  }

  CallOptions call_options;
  if (options_.timeout_of) call_options.timeout = options_.timeout_of(entry.raw_name);
  call_options.cancel = cancel;
  Json raw;
  std::optional<std::string> failure;
  try {
    raw = upstream_->call_tool(entry.raw_name, args, call_options);
  } catch (const std::exception& e) {
    failure = std::string("upstream call failed: ") + e.what();
    raw = text_call_result(*failure, true);  // recorded as the call's result
  }

  McpConversion converted = mcp_result_to_envelope(raw, entry.raw_name, call_id);
  const bool firewalled =
      static_cast<std::int64_t>(code_point_count(converted.full_text)) > recorder_->firewall_threshold();
  if (!firewalled && (converted.envelope.artifacts.empty() || converted.envelope.summary != converted.full_text)) {
    // The whole text stays drillable, and its handle reaches the agent (the
    // reference persisted it without listing it).
    const std::string handle = "text:" + tool_id + ":" + sha256_hex(converted.full_text).substr(0, 16);
    const std::string label = "text result from " + tool_id;
    ArtifactRef ref{handle, "text/plain", static_cast<std::int64_t>(converted.full_text.size()), label, ""};
    converted.envelope.artifacts.push_back(ref);
    converted.binaries[handle] = McpBinary{converted.full_text, "text/plain", label};
  }
  ResultEnvelope envelope;
  try {
    envelope = recorder_->record_result(call_id, converted, entry.raw_name);
  } catch (const std::exception& e) {
    report("result of " + call_id + " (" + tool_id + ") could not be recorded: " + e.what());
    envelope = converted.envelope;
    envelope.provenance["recorded"] = false;
  }
  if (failure) return error_result(GatewayErrorCode::upstream_error, *failure, tool_id);
  // The agent-facing envelope keeps the adapter's bound (the firewall's facts
  // of a huge result would otherwise flood the answer; all are in the artifact).
  if (envelope.facts.size() > kMaxEnvelopeFacts) envelope.facts.resize(kMaxEnvelopeFacts);
  if (!envelope.provenance.contains("tool_id")) envelope.provenance["tool_id"] = tool_id;
  envelope.provenance["call_id"] = call_id;
  return text_call_result(dumps(envelope.to_dict()), envelope.status == "error");
}

Json GatewayRuntime::view(const Json& arguments) const {
  if (!arguments.is_object() || !arguments.contains("handle") || !arguments["handle"].is_string() ||
      !arguments.contains("selector") || !arguments["selector"].is_object()) {
    return error_result(GatewayErrorCode::args_invalid, "tool_view requires string 'handle' and object 'selector'.");
  }
  if (auto bad = check_meta_args(arguments, meta_tool(gateway_meta_tools(), "tool_view"))) return *bad;
  const std::string handle = arguments["handle"].get<std::string>();
  try {
    return text_call_result(recorder_->artifact_store().drilldown(handle, arguments["selector"]), false);
  } catch (const ContextWeaverError& e) {
    return error_result(GatewayErrorCode::view_failed, e.what(), handle);
  }
}

Json GatewayRuntime::stripped_tools() const {
  const auto snap = snapshot();
  std::call_once(snap->stripped_once, [&] {
    snap->stripped = Json::array();
    for (const auto& [id, entry] : snap->entries) {
      snap->stripped.push_back(
          Json{{"name", id},
               {"description", truncate_description_to_tokens(entry->item.description, kProxyDescriptionTokens,
                                                              options_.card_budget.estimator)},
               {"inputSchema", Json{{"type", "object"}}}});
    }
  });
  return snap->stripped;
}

}  // namespace contextweaver
