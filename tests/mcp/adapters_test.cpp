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
                      {{"type", "audio"}, {"data", "d29ybGQ="}}}}};
  const auto a = cw::mcp_result_to_envelope(result, "cam/snap", "call-1");
  const auto b = cw::mcp_result_to_envelope(result, "cam/snap", "call-2");
  ASSERT_EQ(a.envelope.artifacts.size(), 2u);
  EXPECT_EQ(a.envelope.artifacts[0].handle, "mcp:cam_snap:call-1:image:0");
  EXPECT_EQ(a.envelope.artifacts[1].handle, "mcp:cam_snap:call-1:audio:1");
  EXPECT_EQ(b.envelope.artifacts[0].handle, "mcp:cam_snap:call-2:image:0");
  EXPECT_EQ(a.binaries.at("mcp:cam_snap:call-1:image:0").bytes, "hello");
  EXPECT_EQ(a.binaries.at("mcp:cam_snap:call-1:image:0").media_type, "image/jpeg");
  EXPECT_EQ(a.binaries.at("mcp:cam_snap:call-1:audio:1").bytes, "world");
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

// The firewall (docs/gateway.md#upstream-content): media types and base64 are validated.
TEST(McpAdapters, MediaTypesFollowRfc6838) {
  for (const char* valid :
       {"image/png", "IMAGE/PNG", "audio/wav", "application/vnd.api+json", "text/plain; charset=utf-8",
        "text/plain;charset=\"utf-8\"", "application/x-foo;a=b; c=\"d;e\"", "image/svg+xml", "model/x.y-z_w$#&^!"}) {
    EXPECT_TRUE(cw::is_valid_media_type(valid)) << valid;
  }
  for (const char* invalid : {"",
                              "image",
                              "image/",
                              "/png",
                              "../../x",
                              "image/../../etc",
                              "image/png/x",
                              ".hidden/x",
                              "image/.png",
                              "a b/c",
                              "image/png\n",
                              "image/png\x1b]0;x\x07",
                              "text/plain; charset",
                              "text/plain; =x",
                              "text/plain;charset=\"x",
                              "text/plain; a=b c",
                              "image/p\xc3\xa9ng",
                              "image /png",
                              "image/png;",
                              "x/y\\z"}) {
    EXPECT_FALSE(cw::is_valid_media_type(invalid)) << invalid;
  }
  EXPECT_TRUE(cw::is_valid_media_type(std::string(127, 'a') + "/" + std::string(127, 'b')));
  EXPECT_FALSE(cw::is_valid_media_type(std::string(128, 'a') + "/b"));
}

TEST(McpAdapters, UpstreamBase64IsStrict) {
  std::string out;
  EXPECT_TRUE(cw::decode_upstream_base64("aGVsbG8=", out));
  EXPECT_EQ(out, "hello");
  EXPECT_TRUE(cw::decode_upstream_base64("aGVs\r\nbG8=\n", out));  // MIME line wrapping
  EXPECT_EQ(out, "hello");
  EXPECT_TRUE(cw::decode_upstream_base64("", out));
  EXPECT_EQ(out, "");
  for (const char* invalid : {"not base64!", "aGVsbG8", "aGVsbG8==", "aG=VsbG8",
                              "aGVs_G8=", "aGVs-G8=", "====", "aGVsbG8=\x1b", "aGVsbG8=aGVs"}) {
    EXPECT_FALSE(cw::decode_upstream_base64(invalid, out)) << invalid;
  }
}

TEST(McpAdapters, InvalidBase64IsNotStoredAsMedia) {
  const Json result{{"content",
                     {{{"type", "text"}, {"text", "before"}},
                      {{"type", "image"}, {"data", "not base64!"}, {"mimeType", "image/png"}},
                      {{"type", "audio"}, {"data", "aGVsbG8"}}}}};
  const auto conv = cw::mcp_result_to_envelope(result, "cam", "c1");
  EXPECT_TRUE(conv.envelope.artifacts.empty());
  EXPECT_TRUE(conv.binaries.empty());
  EXPECT_EQ(conv.full_text,
            "before\n[image part 1 dropped (invalid base64 data)]\n[audio part 2 dropped (invalid base64 data)]");
  EXPECT_TRUE(conv.envelope.facts.empty());
  EXPECT_EQ(conv.envelope.provenance["content_problems"],
            (Json::array({Json{{"part_index", 1}, {"problem", "invalid base64 data"}, {"value", "not base64!"}},
                          Json{{"part_index", 2}, {"problem", "invalid base64 data"}, {"value", "aGVsbG8"}}})));
}

TEST(McpAdapters, InvalidMediaTypesAreReplaced) {
  const Json result{
      {"content",
       {{{"type", "image"}, {"data", "aGVsbG8="}, {"mimeType", "../../x"}},
        {{"type", "resource"}, {"resource", {{"uri", "file:///a"}, {"mimeType", "text/\x1b[2J"}, {"text", "t"}}}},
        {{"type", "resource_link"}, {"uri", "file:///b"}, {"mimeType", "a/b/../../c"}},
        {{"type", "audio"}, {"data", "aGVsbG8="}, {"mimeType", "audio/ogg; codecs=opus"}}}}};
  const auto conv = cw::mcp_result_to_envelope(result, "../../tool\\x", "c2");
  ASSERT_EQ(conv.envelope.artifacts.size(), 4u);
  EXPECT_EQ(conv.envelope.artifacts[0].media_type, "application/octet-stream");
  EXPECT_EQ(conv.binaries.at(conv.envelope.artifacts[0].handle).media_type, "application/octet-stream");
  EXPECT_EQ(conv.binaries.at(conv.envelope.artifacts[0].handle).bytes, "hello");  // the bytes are kept
  EXPECT_EQ(conv.envelope.artifacts[1].media_type, "application/octet-stream");
  EXPECT_EQ(conv.envelope.artifacts[2].media_type, "application/octet-stream");
  EXPECT_EQ(conv.binaries.at(conv.envelope.artifacts[2].handle).media_type, "text/uri-list");
  EXPECT_EQ(conv.envelope.artifacts[3].media_type, "audio/ogg; codecs=opus");
  const Json& problems = conv.envelope.provenance["content_problems"];
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0], (Json{{"part_index", 0}, {"problem", "invalid media type"}, {"value", "../../x"}}));
  EXPECT_EQ(problems[1]["value"], "text/\x1b[2J");
  EXPECT_EQ(problems[2]["part_index"], 2);
  // No part of a media type or tool name makes a handle that leaves the artifact folder.
  for (const auto& ref : conv.envelope.artifacts) {
    EXPECT_EQ(ref.handle.find_first_of(std::string("/\\\0", 3)), std::string::npos) << ref.handle;
    EXPECT_EQ(ref.handle.rfind("mcp:", 0), 0u) << ref.handle;
  }
}

TEST(McpAdapters, BlobResourcesAreDecoded) {
  const Json result{{"content",
                     {{{"type", "resource"},
                       {"resource", {{"uri", "file:///a.bin"}, {"mimeType", "application/pdf"}, {"blob", "JVBERg=="}}}},
                      {{"type", "resource"}, {"resource", {{"uri", "file:///b.bin"}, {"blob", "%PDF"}}}}}}};
  const auto conv = cw::mcp_result_to_envelope(result, "fs", "c3");
  ASSERT_EQ(conv.envelope.artifacts.size(), 1u);
  EXPECT_EQ(conv.binaries.at("mcp:fs:c3:resource:0").bytes, "%PDF");
  EXPECT_EQ(conv.full_text, "[resource part 1 dropped (invalid base64 data)]");
}

TEST(McpAdapters, LongProblemValuesAreCut) {
  const std::string data = std::string(300, '!');
  const auto conv = cw::mcp_result_to_envelope(Json{{"content", {{{"type", "image"}, {"data", data}}}}}, "t", "c");
  EXPECT_EQ(conv.envelope.provenance["content_problems"][0]["value"], std::string(200, '!') + "\u2026");
}
