// gateway_meta_tools() and proxy_meta_tools() of gateway_runtime.hpp: the
// meta-tool definitions, with the reference's exact descriptions
// (double spaces after periods included).
#include "contextweaver/mcp/gateway_runtime.hpp"

namespace contextweaver {

namespace {

Json execute_tool(const char* description) {
  return Json{{"name", "tool_execute"},
              {"description", description},
              {"inputSchema",
               {{"type", "object"},
                {"properties", {{"tool_id", {{"type", "string"}}}, {"args", {{"type", "object"}}}}},
                {"required", {"tool_id", "args"}},
                {"additionalProperties", false}}}};
}

}  // namespace

Json gateway_meta_tools() {
  static const Json tools = Json::array({
      Json{{"name", "tool_browse"},
           {"description",
            "Browse the upstream tool catalog.  Pass exactly one of 'query' (free-text) or 'path' (e.g. "
            "'/github/issues') and receive a bounded list of ChoiceCards."},
           {"inputSchema",
            {{"type", "object"},
             {"properties",
              {{"query", {{"type", "string"}}},
               {"path", {{"type", "string"}}},
               {"top_k", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}}}}},
             {"additionalProperties", false}}}},
      execute_tool("Invoke an upstream tool by canonical tool_id.  Arguments are validated against the hydrated input "
                   "schema before dispatch and the response is compacted via the context firewall."),
      Json{{"name", "tool_view"},
           {"description",
            "Drill into a previously stored artifact handle and return a slice (head / lines / json_keys / rows) per "
            "the ArtifactStore.drilldown contract."},
           {"inputSchema",
            {{"type", "object"},
             {"properties", {{"handle", {{"type", "string"}}}, {"selector", {{"type", "object"}}}}},
             {"required", {"handle", "selector"}},
             {"additionalProperties", false}}}},
  });
  return tools;
}

Json proxy_meta_tools() {
  static const Json tools = Json::array({
      Json{{"name", "tool_hydrate"},
           {"description",
            "Retrieve the full input schema for a tool by its canonical tool_id.  Use this before tool_execute to "
            "inspect the schema you must supply."},
           {"inputSchema",
            {{"type", "object"},
             {"properties", {{"tool_id", {{"type", "string"}}}}},
             {"required", {"tool_id"}},
             {"additionalProperties", false}}}},
      execute_tool("Invoke an upstream tool by canonical tool_id.  Arguments are validated against the hydrated input "
                   "schema before dispatch."),
  });
  return tools;
}

}  // namespace contextweaver
