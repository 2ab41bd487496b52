#include "contextweaver/mcp/session_recorder.hpp"

#include <random>

#include <fmt/format.h>

namespace contextweaver {

namespace {

ContextManagerOptions manager_options(std::shared_ptr<EventLog> event_log, std::shared_ptr<ArtifactStore> store) {
  ContextManagerOptions options;
  options.event_log = std::move(event_log);
  options.artifact_store = std::move(store);
  return options;
}

std::string random_prefix() {
  std::random_device device;
  return fmt::format("mcp-{:08x}", static_cast<std::uint32_t>(device()));
}

}  // namespace

SessionRecorder::SessionRecorder(std::shared_ptr<EventLog> event_log, std::shared_ptr<ArtifactStore> artifact_store,
                                 SessionRecorderOptions options)
    : options_(std::move(options)), manager_(manager_options(std::move(event_log), std::move(artifact_store))) {
  if (options_.call_id_prefix.empty()) options_.call_id_prefix = random_prefix();
}

std::string SessionRecorder::new_call_id() {
  return fmt::format("{}-{}", options_.call_id_prefix, next_++);
}

void SessionRecorder::write(const std::function<void()>& body) {
  std::lock_guard lock(mutex_);
  if (options_.write_scope) {
    bool ran = false;
    options_.write_scope([&] {
      ran = true;
      body();
    });
    if (!ran) body();  // a scope that forgot to call us must not lose the record
  } else {
    body();
  }
}

void SessionRecorder::record_call(const std::string& call_id, const RecordedCall& call) {
  ContextItem item;
  item.id = call_id;
  item.kind = ItemKind::tool_call;
  item.text = call.tool_name + " " + dumps(call.arguments);
  item.token_estimate = manager_.estimator().estimate(item.text);
  item.metadata = Json{{"tool_name", call.tool_name}, {"tool_id", call.tool_id},     {"server", call.server},
                       {"mode", call.mode},           {"arguments", call.arguments}, {"protocol", "mcp"}};
  write([&] { manager_.ingest(item); });
}

ResultEnvelope SessionRecorder::record_result(const std::string& call_id, const McpConversion& converted,
                                              const std::string& tool_name) {
  ResultEnvelope envelope;
  write([&] {
    envelope = manager_.ingest_mcp_result(call_id, converted, tool_name, options_.firewall_threshold).second;
  });
  return envelope;
}

}  // namespace contextweaver
