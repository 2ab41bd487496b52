#include "gateway_snapshot.hpp"

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/adapters.hpp"
#include "contextweaver/routing/tree_builder.hpp"

namespace contextweaver {

const JsonSchemaValidator* GatewayCatalogEntry::validator(std::string& error) const {
  std::call_once(once_, [this] {
    try {
      validator_ = std::make_unique<JsonSchemaValidator>(item.args_schema);
    } catch (const ContextWeaverError& e) {
      error_ = e.what();
    }
  });
  error = error_;
  return validator_.get();
}

namespace {

// MCP makes description optional; the reference's adapter requires one.
Json with_description(const Json& def) {
  if (!def.is_object()) return def;
  const auto it = def.find("description");
  if (it != def.end() && it->is_string() && !it->get<std::string>().empty()) return def;
  Json patched = def;
  std::string fallback;
  if (def.contains("annotations") && def["annotations"].is_object() && def["annotations"].contains("title") &&
      def["annotations"]["title"].is_string()) {
    fallback = def["annotations"]["title"].get<std::string>();
  }
  if (fallback.empty() && def.contains("title") && def["title"].is_string()) fallback = def["title"].get<std::string>();
  if (fallback.empty() && def.contains("name") && def["name"].is_string()) fallback = def["name"].get<std::string>();
  patched["description"] = fallback;
  return patched;
}

std::string from_server(const std::string& server) {
  return server.empty() ? "" : " from server '" + server + "'";
}

// The entry of `item`: `previous`'s when it is the same tool from the same
// server (so its compiled schema is kept), else a fresh one.
std::shared_ptr<const GatewayCatalogEntry> entry_for(SelectableItem item, const std::string& raw_name,
                                                     const std::string& server,
                                                     const GatewayRuntime::Snapshot* previous) {
  if (previous != nullptr) {
    const auto old = previous->entries.find(item.id);
    if (old != previous->entries.end() && old->second->item == item && old->second->raw_name == raw_name &&
        old->second->server == server) {
      return old->second;
    }
  }
  auto fresh = std::make_shared<GatewayCatalogEntry>();
  fresh->item = std::move(item);
  fresh->raw_name = raw_name;
  fresh->server = server;
  return fresh;
}

// One entry per convertible tool definition, first come first served per
// tool id; every tool left out is a line in next.problems.
void add_entries(GatewayRuntime::Snapshot& next, const std::vector<Json>& tool_defs,
                 const GatewayRuntime::Snapshot* previous, const GatewayRuntimeOptions& options) {
  for (const Json& def : tool_defs) {
    const std::string raw_name =
        def.is_object() && def.contains("name") && def["name"].is_string() ? def["name"].get<std::string>() : "";
    const std::string server = options.server_of && !raw_name.empty() ? options.server_of(raw_name) : "";
    std::string fallback = namespace_from_server_name(server);
    if (fallback.empty()) fallback = "mcp";
    SelectableItem item;
    try {
      item = mcp_tool_to_selectable(with_description(def), fallback);
    } catch (const ContextWeaverError& e) {
      next.problems.push_back(fmt::format("tool '{}'{} skipped: {}", raw_name, from_server(server), e.what()));
      continue;
    }
    if (const auto it = next.entries.find(item.id); it != next.entries.end()) {
      next.problems.push_back(fmt::format("tool id '{}' is offered by '{}'{} and '{}'{}; the second is hidden", item.id,
                                          it->second->raw_name, from_server(it->second->server), raw_name,
                                          from_server(server)));
      continue;
    }
    auto entry = entry_for(std::move(item), raw_name, server, previous);
    next.entries.emplace(entry->item.id, std::move(entry));
  }
}

// What changed from `previous` to `next`, by id: an entry replaced counts as
// removed and added.
struct CatalogDiff {
  std::vector<std::string> removed;
  std::vector<const SelectableItem*> added;
  bool empty() const { return removed.empty() && added.empty(); }
};

CatalogDiff diff_entries(const GatewayRuntime::Snapshot& previous, const GatewayRuntime::Snapshot& next) {
  CatalogDiff diff;
  for (const auto& [id, entry] : previous.entries) {
    const auto now = next.entries.find(id);
    if (now == next.entries.end() || now->second != entry) diff.removed.push_back(id);
  }
  for (const auto& [id, entry] : next.entries) {
    const auto before = previous.entries.find(id);
    if (before == previous.entries.end() || before->second != entry) diff.added.push_back(&entry->item);
  }
  return diff;
}

// The ranker (incremental from `previous`'s when there is one: the analyzed
// index of unchanged tools is kept) and the browse tree of next's entries.
void index_catalog(GatewayRuntime::Snapshot& next, const GatewayRuntime::Snapshot* previous, const CatalogDiff& diff,
                   const GatewayRuntimeOptions& options) {
  std::vector<SelectableItem> items;
  items.reserve(next.entries.size());
  for (const auto& [id, entry] : next.entries) items.push_back(entry->item);
  if (previous != nullptr && previous->ranker) {
    auto ranker = std::make_shared<DefaultRouter>(*previous->ranker);
    for (const auto& id : diff.removed) ranker->remove(id);
    for (const SelectableItem* item : diff.added) ranker->add(*item);
    next.ranker = std::move(ranker);
  } else {
    next.ranker = std::make_shared<const DefaultRouter>(items);
  }
  if (!items.empty()) {
    try {
      next.graph = std::make_shared<const ChoiceGraph>(TreeBuilder(options.max_children).build(items, false));
    } catch (const ContextWeaverError& e) {
      next.problems.push_back(std::string("browse tree not built: ") + e.what());
    }
  }
}

}  // namespace

std::shared_ptr<const GatewayRuntime::Snapshot> build_gateway_snapshot(const std::vector<Json>& tool_defs,
                                                                       const GatewayRuntime::Snapshot* previous,
                                                                       const GatewayRuntimeOptions& options,
                                                                       bool& changed) {
  auto next = std::make_shared<GatewayRuntime::Snapshot>();
  add_entries(*next, tool_defs, previous, options);
  if (options.upstream_problems) {
    for (auto& line : options.upstream_problems()) next->problems.push_back(std::move(line));
  }
  CatalogDiff diff;
  if (previous != nullptr) {
    diff = diff_entries(*previous, *next);
    changed = !diff.empty();
    if (!changed) {
      next->ranker = previous->ranker;
      next->graph = previous->graph;
      return next;
    }
  } else {
    changed = true;
  }
  index_catalog(*next, previous, diff, options);
  return next;
}

}  // namespace contextweaver
