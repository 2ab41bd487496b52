// The immutable catalog snapshot behind GatewayRuntime (private to src/mcp).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/mcp/gateway_runtime.hpp"
#include "contextweaver/mcp/schema_validator.hpp"
#include "contextweaver/routing/default_router.hpp"
#include "contextweaver/routing/graph.hpp"

namespace contextweaver {

struct GatewayCatalogEntry {
  SelectableItem item;
  std::string raw_name;  // what the upstream calls the tool
  std::string server;    // config server name, "" when unknown

  // The compiled input schema, built on first use (thread-safe); null with
  // `error` set when the upstream's schema is invalid.
  const JsonSchemaValidator* validator(std::string& error) const;

 private:
  mutable std::once_flag once_;
  mutable std::unique_ptr<JsonSchemaValidator> validator_;
  mutable std::string error_;
};

struct GatewayRuntime::Snapshot {
  std::map<std::string, std::shared_ptr<const GatewayCatalogEntry>> entries;  // by tool id
  std::shared_ptr<const DefaultRouter> ranker;
  std::shared_ptr<const ChoiceGraph> graph;  // null when the catalog is empty
  std::vector<std::string> problems;
  // The proxy's tools/list entries, built on first use (a listing is paged,
  // and each page asks for it again).
  mutable std::once_flag stripped_once;
  mutable Json stripped;
};

// The next snapshot from an upstream listing, reusing what `previous` already
// holds (entries, compiled schemas, the ranker's index) for unchanged tools.
// `changed` tells whether ids or items differ from `previous`.
std::shared_ptr<const GatewayRuntime::Snapshot> build_gateway_snapshot(const std::vector<Json>& tool_defs,
                                                                       const GatewayRuntime::Snapshot* previous,
                                                                       const GatewayRuntimeOptions& options,
                                                                       bool& changed);

}  // namespace contextweaver
