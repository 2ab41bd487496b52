// MCP adapters (surface.md §2.1–2.3): tool definitions to items with the
// reference's canonical tool id vectors, and results to envelopes with
// per-call artifact handles.
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/adapters.hpp"

namespace cw = contextweaver;
using cw::Json;

namespace {

Json tool(const std::string& name, Json extra = Json::object()) {
  Json def{{"name", name}, {"description", "Does " + name}};
  for (const auto& [k, v] : extra.items()) def[k] = v;
  return def;
}

}  // namespace

TEST(McpAdapters, InferNamespace) {
  EXPECT_EQ(cw::infer_namespace("github.create_issue"), "github");
  EXPECT_EQ(cw::infer_namespace("filesystem/read"), "filesystem");
  EXPECT_EQ(cw::infer_namespace("slack_send_message"), "slack");
  EXPECT_EQ(cw::infer_namespace("read_file"), "mcp");
  EXPECT_EQ(cw::infer_namespace(".hidden"), "mcp");
  EXPECT_EQ(cw::infer_namespace("_a_b"), "mcp");
  EXPECT_EQ(cw::infer_namespace("echo", "everything"), "everything");
}

TEST(McpAdapters, NamespaceFromServerName) {
  EXPECT_EQ(cw::namespace_from_server_name("Everything"), "everything");
  EXPECT_EQ(cw::namespace_from_server_name("my server.v2"), "my-server-v2");
  EXPECT_EQ(cw::namespace_from_server_name("1st_fs"), "st_fs");
  EXPECT_EQ(cw::namespace_from_server_name("123"), "");
  EXPECT_EQ(cw::namespace_from_server_name(std::string(100, 'a')).size(), 64u);
}

TEST(McpAdapters, ReferenceToolIdVectors) {
  EXPECT_EQ(cw::mcp_tool_to_selectable(tool("github.create_issue", {{"_meta", {{"version", "1.4.0"}}}})).id,
            "github:create_issue@1.4.0");
  const Json slack_schema{{"type", "object"},
                          {"properties", {{"channel", {{"type", "string"}}}, {"text", {{"type", "string"}}}}},
                          {"required", {"channel", "text"}}};
  EXPECT_EQ(cw::mcp_tool_to_selectable(tool("slack_send_message", {{"inputSchema", slack_schema}})).id,
            "slack:slack_send_message#283a5dcf");
  EXPECT_EQ(cw::mcp_tool_to_selectable(tool("read_file")).id, "mcp:read_file#559d82ea");
  const Json gh_schema{{"type", "object"},
                       {"properties", {{"title", {{"type", "string"}}}, {"body", {{"type", "string"}}}}},
                       {"required", {"title"}}};
  EXPECT_EQ(cw::mcp_tool_to_selectable(tool("github.create_issue", {{"inputSchema", gh_schema}})).id,
            "github:create_issue#6c5f877d");
}

TEST(McpAdapters, FallbackNamespaceFromServer) {
  const auto item = cw::mcp_tool_to_selectable(tool("read_file"), "files");
  EXPECT_EQ(item.namespace_, "files");
  EXPECT_EQ(item.id.substr(0, 16), "files:read_file#");
  // The hash depends on the upstream name and schema shape only.
  EXPECT_EQ(item.id.substr(item.id.size() - 8), "559d82ea");
}

TEST(McpAdapters, ItemFields) {
  const Json def = tool(
      "db.query",
      {{"inputSchema", {{"type", "object"}}},
       {"outputSchema", {{"type", "object"}}},
       {"annotations", {{"readOnlyHint", true}, {"destructiveHint", true}, {"costHint", 0.5}, {"title", "Query"}}}});
  const auto item = cw::mcp_tool_to_selectable(def);
  EXPECT_EQ(item.kind, "tool");
  EXPECT_EQ(item.name, "db.query");
  EXPECT_EQ(item.description, "Does db.query");
  EXPECT_EQ(item.tags, (std::vector<std::string>{"destructive", "mcp", "read-only"}));
  EXPECT_FALSE(item.side_effects);
  EXPECT_DOUBLE_EQ(item.cost_hint, 0.5);
  EXPECT_EQ(item.args_schema, (Json{{"type", "object"}}));
  ASSERT_TRUE(item.output_schema.has_value());
  EXPECT_EQ(item.metadata, (Json{{"readOnlyHint", true}, {"destructiveHint", true}, {"title", "Query"}}));
  const auto plain = cw::mcp_tool_to_selectable(tool("x.y"));
  EXPECT_TRUE(plain.side_effects);
  EXPECT_EQ(plain.tags, std::vector<std::string>{"mcp"});
  EXPECT_FALSE(plain.output_schema.has_value());
}

TEST(McpAdapters, BadDefinitions) {
  try {
    cw::mcp_tool_to_selectable(Json{{"name", ""}});
    FAIL();
  } catch (const cw::CatalogError& e) {
    EXPECT_STREQ(e.what(), "MCP tool definition missing required fields: ['name', 'description']");
  }
  EXPECT_THROW(cw::mcp_tool_to_selectable(tool("GitHub.create")), cw::CatalogError);
  EXPECT_THROW(cw::mcp_tool_to_selectable(tool("has space")), cw::CatalogError);
  EXPECT_THROW(cw::mcp_tool_to_selectable(tool("a.b", {{"annotations", {{"costHint", "cheap"}}}})), cw::CatalogError);
  EXPECT_THROW(cw::mcp_tool_to_selectable(Json::array()), cw::CatalogError);
}

TEST(McpAdapters, TextResult) {
  const Json result{{"content", {{{"type", "text"}, {"text", "status: ok\nplain line\n  count: 3  "}}}}};
  const auto conv = cw::mcp_result_to_envelope(result, "db.query", "c1");
  EXPECT_EQ(conv.full_text, "status: ok\nplain line\n  count: 3  ");
  EXPECT_EQ(conv.envelope.status, "ok");
  EXPECT_EQ(conv.envelope.summary, conv.full_text);
  EXPECT_EQ(conv.envelope.facts, (std::vector<std::string>{"status: ok", "count: 3"}));
  EXPECT_TRUE(conv.envelope.artifacts.empty());
  EXPECT_TRUE(conv.binaries.empty());
  EXPECT_EQ(conv.envelope.provenance, (Json{{"tool", "db.query"}, {"protocol", "mcp"}}));
}

TEST(McpAdapters, EmptyAndErrorResult) {
  const auto conv = cw::mcp_result_to_envelope(Json{{"content", Json::array()}, {"isError", true}}, "t", "c");
  EXPECT_EQ(conv.full_text, "(no content)");
  EXPECT_EQ(conv.envelope.status, "error");
  EXPECT_EQ(cw::mcp_result_to_envelope(Json("junk"), "t").full_text, "(no content)");
}

TEST(McpAdapters, SummaryAndFactBounds) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "k" + std::to_string(i) + ": v\n";
  text += std::string(600, 'x');
  const auto conv = cw::mcp_result_to_envelope(Json{{"content", {{{"type", "text"}, {"text", text}}}}}, "t", "c");
  EXPECT_EQ(conv.envelope.summary.size(), 500u);
  EXPECT_EQ(conv.envelope.facts.size(), 20u);
}

TEST(McpAdapters, BinaryHandlesAreUniquePerCall) {
  const Json result{{"content",
                     {{{"type", "image"}, {"data", "aGVsbG8="}, {"mimeType", "image/jpeg"}},
                      {{"type", "audio"}, {"data", "not base64!"}}}}};
  const auto a = cw::mcp_result_to_envelope(result, "cam/snap", "call-1");
  const auto b = cw::mcp_result_to_envelope(result, "cam/snap", "call-2");
  ASSERT_EQ(a.envelope.artifacts.size(), 2u);
  EXPECT_EQ(a.envelope.artifacts[0].handle, "mcp:cam_snap:call-1:image:0");
  EXPECT_EQ(a.envelope.artifacts[1].handle, "mcp:cam_snap:call-1:audio:1");
  EXPECT_EQ(b.envelope.artifacts[0].handle, "mcp:cam_snap:call-2:image:0");
  EXPECT_EQ(a.binaries.at("mcp:cam_snap:call-1:image:0").bytes, "hello");
  EXPECT_EQ(a.binaries.at("mcp:cam_snap:call-1:image:0").media_type, "image/jpeg");
  EXPECT_EQ(a.binaries.at("mcp:cam_snap:call-1:audio:1").bytes, "not base64!");  // raw UTF-8 fallback
  EXPECT_EQ(a.binaries.at("mcp:cam_snap:call-1:audio:1").media_type, "audio/wav");
  EXPECT_EQ(a.envelope.artifacts[0].label, "image from cam/snap");
  EXPECT_EQ(a.envelope.artifacts[0].size_bytes, 5);
  // Without a call id: the reference's handles (parity only).
  EXPECT_EQ(cw::mcp_result_to_envelope(result, "snap").envelope.artifacts[0].handle, "mcp:snap:image:0");
}

TEST(McpAdapters, ResourcesAndStructuredContent) {
  const Json result{
      {"content",
       {{{"type", "resource"},
         {"resource", {{"uri", "file:///a.txt"}, {"mimeType", "text/plain"}, {"text", "alpha: 1"}}},
         {"annotations", {{"audience", {"user"}}, {"priority", 0.5}}}},
        {{"type", "resource_link"}, {"uri", "file:///b.bin"}, {"name", "b"}, {"mimeType", "application/pdf"}},
        {{"type", "unknown_kind"}}}},
      {"structuredContent", {{"total", 3}, {"items", {1, 2}}}}};
  const auto conv = cw::mcp_result_to_envelope(result, "fs", "c9");
  ASSERT_EQ(conv.envelope.artifacts.size(), 3u);
  EXPECT_EQ(conv.envelope.artifacts[0].handle, "mcp:fs:c9:resource:0");
  EXPECT_EQ(conv.envelope.artifacts[0].label, "file:///a.txt");
  EXPECT_EQ(conv.envelope.artifacts[1].handle, "mcp:fs:c9:resource_link:1");
  EXPECT_EQ(conv.envelope.artifacts[1].media_type, "application/pdf");
  EXPECT_EQ(conv.binaries.at("mcp:fs:c9:resource_link:1").media_type, "text/uri-list");
  EXPECT_EQ(conv.binaries.at("mcp:fs:c9:resource_link:1").bytes, "file:///b.bin");
  EXPECT_EQ(conv.envelope.artifacts[2].handle, "mcp:fs:c9:structured_content");
  EXPECT_EQ(conv.binaries.at("mcp:fs:c9:structured_content").bytes, "{\"items\": [1, 2], \"total\": 3}");
  EXPECT_EQ(conv.full_text, "alpha: 1\ntotal: 3\nitems: [1, 2]");
  EXPECT_EQ(conv.envelope.provenance["content_annotations"],
            (Json::array({Json{{"part_index", 0}, {"audience", {"user"}}, {"priority", 0.5}}})));
}
