// ContextManager: the context engine's entry point (context/manager.py,
// ingest.py, call_prompt.py). It owns the stores (any backend), ingests items
// and tool results behind the firewall, and builds phase-specific prompts.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/context/config.hpp"
#include "contextweaver/context/envelope.hpp"
#include "contextweaver/context/hooks.hpp"
#include "contextweaver/context/metrics.hpp"
#include "contextweaver/context/profiles.hpp"
#include "contextweaver/context/route_prompt.hpp"
#include "contextweaver/context/views.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/bundle.hpp"
#include "contextweaver/store/episodic_store.hpp"
#include "contextweaver/store/event_log.hpp"
#include "contextweaver/store/fact_store.hpp"
#include "contextweaver/summarize/protocols.hpp"
#include "contextweaver/tokens/estimator.hpp"

namespace contextweaver {

namespace context_detail {
class BuildCache;
// Owns a manager's warm build state (docs/context.md#warm-builds). A copied
// manager starts cold (the state belongs to one manager); a move takes it along.
class BuildCacheHolder {
 public:
  BuildCacheHolder();
  ~BuildCacheHolder();
  BuildCacheHolder(const BuildCacheHolder&);
  BuildCacheHolder& operator=(const BuildCacheHolder&);
  BuildCacheHolder(BuildCacheHolder&&) noexcept;
  BuildCacheHolder& operator=(BuildCacheHolder&&) noexcept;
  std::unique_ptr<BuildCache> cache;
};
}  // namespace context_detail

struct ContextManagerOptions {
  std::shared_ptr<EventLog> event_log;            // wins over stores.event_log
  std::shared_ptr<ArtifactStore> artifact_store;  // wins over stores.artifact_store
  std::optional<ContextBudget> budget;            // else profile's, else defaults
  std::optional<ContextPolicy> policy;
  std::optional<ScoringConfig> scoring_config;
  std::shared_ptr<const TokenEstimator> estimator;  // default CharDivFourEstimator
  std::shared_ptr<EventHook> hook;                  // default NoOpHook
  StoreBundle stores;                               // store/bundle.hpp; a null member gets a fresh in-memory store
  std::shared_ptr<const Summarizer> summarizer;     // null: the firewall's first-paragraph summary
  std::shared_ptr<const Extractor> extractor;       // null: extract_facts
  std::optional<ProfileConfig> profile;
  // Receives route figures from build_route_prompt (metrics=; pair it with a
  // MetricsHook sharing the same collector for the build figures).
  std::shared_ptr<MetricsCollector> metrics;
};

// One build's inputs (build(phase, query, query_tags, header, footer, budget_tokens, hints)).
struct BuildRequest {
  Phase phase = Phase::answer;
  std::string query;
  std::vector<std::string> query_tags;
  std::string header;
  std::string footer;
  std::optional<std::int64_t> budget_tokens;  // overrides the phase's budget for this build
  std::vector<std::string> hints;             // merged with query_tags
  bool chronological = false;                 // render in log order instead of score order
};

// An MCP tool result already converted by the adapter (mcp_result_to_envelope):
// the envelope, the binary parts by handle, and the full text.
struct McpBinary {
  std::string bytes;
  std::string media_type;
  std::string label;
};
struct McpConversion {
  ResultEnvelope envelope;
  std::map<std::string, McpBinary> binaries;  // handle -> part, stored in handle order
  std::string full_text;
};

// Not thread-safe: call one manager from one thread at a time (build writes
// artifacts and calls hooks; the setters change plain members). Managers on
// different threads may share stores, which are internally synchronized, and
// an estimator, which is immutable.
class ContextManager {
 public:
  // Null stores become fresh in-memory ones (null checks, docs/compat.md C4: an
  // empty store passed in is kept). A profile fills budget/policy/scoring
  // that are not given; explicit values win.
  explicit ContextManager(ContextManagerOptions options = {});

  EventLog& event_log() const { return *event_log_; }
  ArtifactStore& artifact_store() const { return *artifact_store_; }
  EpisodicStore& episodic_store() const { return *episodic_store_; }
  FactStore& fact_store() const { return *fact_store_; }
  ViewRegistry& view_registry() { return view_registry_; }
  const std::optional<ProfileConfig>& profile() const { return profile_; }
  Mode mode() const { return mode_; }

  const ContextBudget& budget() const { return budget_; }
  void set_budget(const ContextBudget& budget) { budget_ = budget; }
  const ContextPolicy& policy() const { return policy_; }
  void set_policy(const ContextPolicy& policy) { policy_ = policy; }
  const ScoringConfig& scoring_config() const { return scoring_; }
  void set_scoring_config(const ScoringConfig& scoring) { scoring_ = scoring; }
  const TokenEstimator& estimator() const { return *estimator_; }
  EventHook& hook() const { return *hook_; }
  void set_hook(std::shared_ptr<EventHook> hook);
  // The collector given as options.metrics, or null.
  const std::shared_ptr<MetricsCollector>& metrics() const { return metrics_; }

  // Appends the item to the event log unchanged. DuplicateItemError on a
  // repeated id; ValueError when its text is not valid UTF-8.
  void ingest(const ContextItem& item);
  void ingest_sync(const ContextItem& item) { ingest(item); }

  // Ingest-time firewall. The item "result:<tool_call_id>" (parent
  // tool_call_id) is firewalled when the output is longer than
  // `firewall_threshold` code points; otherwise its raw bytes are stored at
  // "artifact:result:<id>" and it keeps its text, with an envelope whose
  // summary is the whole output. DuplicateItemError is raised before anything
  // is written; if the append fails, the artifact write is rolled back.
  std::pair<ContextItem, ResultEnvelope> ingest_tool_result(const std::string& tool_call_id,
                                                            const std::string& raw_output,
                                                            const std::string& tool_name = "",
                                                            const std::string& media_type = "text/plain",
                                                            std::int64_t firewall_threshold = 2000);

  // An MCP result: binaries stored by handle, item text = full_text,
  // metadata {"tool_name", "protocol":"mcp"}, firewalled above the threshold
  // (envelopes merged: firewall summary, firewall facts then MCP facts, MCP
  // artifacts then the firewall's). Same duplicate/rollback guarantees.
  std::pair<ContextItem, ResultEnvelope> ingest_mcp_result(const std::string& tool_call_id,
                                                           const McpConversion& converted, const std::string& tool_name,
                                                           std::int64_t firewall_threshold = 2000);

  // Stores Fact("fact:<key>:<count of facts>", key, value).
  void add_fact(const std::string& key, const std::string& value, const Json& metadata = Json::object());
  void add_episode(const std::string& episode_id, const std::string& summary, const Json& metadata = Json::object());

  // A slice of an artifact through a selector (ArtifactNotFoundError,
  // "Unknown drilldown selector type: 'x'"). With `inject`, the slice is also
  // appended as the tool_result "drilldown:<handle>:<type>:<log count>".
  std::string drilldown(const std::string& handle, const Json& selector, bool inject = false,
                        const std::optional<std::string>& parent_id = std::nullopt);

  // The eight-stage pipeline (docs/context.md). ConfigError for a negative
  // budget or a bad sensitivity policy; BudgetExceededError when the header
  // and footer alone exceed the budget. Writes only to the artifact store.
  // The manager keeps what each log item contributes between builds, so a
  // build reads only the items appended since the last one; the result is
  // the same as a fresh manager's over the same stores (docs/context.md#warm-builds).
  ContextPack build(const BuildRequest& request = {});
  ContextPack build_sync(const BuildRequest& request = {}) { return build(request); }

  // The route-phase prompt (build_route_prompt): header "[GOAL]\n<goal>",
  // footer "[AVAILABLE TOOLS]\n<routed.cards_text>" (none when the text is
  // empty), no query tags; then hook.on_route_completed(candidate_ids) and,
  // with a metrics collector, metrics.record_route(routed). The routing
  // itself happens on the caller's side (route_prompt.hpp explains why).
  // Errors as build(); on an error neither the hook nor the metrics hear of it.
  ContextPack build_route_prompt(const std::string& goal, const std::string& query, const RouteOutcome& routed,
                                 std::optional<std::int64_t> budget_tokens = std::nullopt);
  ContextPack build_route_prompt_sync(const std::string& goal, const std::string& query, const RouteOutcome& routed,
                                      std::optional<std::int64_t> budget_tokens = std::nullopt) {
    return build_route_prompt(goal, query, routed, budget_tokens);
  }

  // The call-phase prompt for a chosen tool: a [TOOL SCHEMA] header
  // (overrides apply when given; an empty override drops the section).
  ContextPack build_call_prompt(const SelectableItem& tool, const std::string& query,
                                const std::optional<Json>& schema = std::nullopt,
                                const std::optional<std::vector<std::string>>& examples = std::nullopt,
                                const std::optional<Json>& constraints = std::nullopt,
                                std::optional<std::int64_t> budget_tokens = std::nullopt);
  // The same, looking `tool_id` up in `catalog` (ItemNotFoundError when absent).
  ContextPack build_call_prompt(const std::string& tool_id, const std::string& query,
                                std::span<const SelectableItem> catalog,
                                const std::optional<Json>& schema = std::nullopt,
                                const std::optional<std::vector<std::string>>& examples = std::nullopt,
                                const std::optional<Json>& constraints = std::nullopt,
                                std::optional<std::int64_t> budget_tokens = std::nullopt);

  // The facts/episodes header of a build (sensitivity floor applied, docs/compat.md C6).
  std::string memory_header() const;

 private:
  void require_new_id(const std::string& id) const;

  std::shared_ptr<EventLog> event_log_;
  std::shared_ptr<ArtifactStore> artifact_store_;
  std::shared_ptr<EpisodicStore> episodic_store_;
  std::shared_ptr<FactStore> fact_store_;
  ContextBudget budget_;
  ContextPolicy policy_;
  ScoringConfig scoring_;
  std::shared_ptr<const TokenEstimator> estimator_;
  std::shared_ptr<EventHook> hook_;
  ViewRegistry view_registry_;
  std::shared_ptr<const Summarizer> summarizer_;
  std::shared_ptr<const Extractor> extractor_;
  std::optional<ProfileConfig> profile_;
  std::shared_ptr<MetricsCollector> metrics_;
  Mode mode_ = Mode::strict;
  context_detail::BuildCacheHolder build_cache_;
};

// The [TOOL SCHEMA] header of a call prompt (call_prompt.py).
std::string build_schema_header(const SelectableItem& item, const std::optional<Json>& schema = std::nullopt,
                                const std::optional<std::vector<std::string>>& examples = std::nullopt,
                                const std::optional<Json>& constraints = std::nullopt);

}  // namespace contextweaver
