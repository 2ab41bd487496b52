// Canonical tool ids (port of test_tool_id.py).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/tool_id.hpp"

#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

using cwtest::error_of;

TEST(ToolId, FormatParseAndHash) {
  const std::vector<cw::ToolIdParts> good = {{"github", "create_issue", "1.4.0", std::nullopt},
                                             {"github", "create_issue", std::nullopt, "abcdef01"},
                                             {"a-b", "X.y-z", "v2", "0123abcd"},
                                             {"n", "_x", "1", std::nullopt},
                                             {"ns_1", "Name", std::nullopt, "00000000"}};
  for (const auto& parts : good) EXPECT_EQ(cw::parse_tool_id(cw::format_tool_id(parts)), parts);
  EXPECT_NE(error_of<cw::CatalogError>([] {
              cw::format_tool_id({"gh", "x", std::nullopt, std::nullopt});
            }).find("requires hash8"),
            std::string::npos);
  EXPECT_NE(error_of<cw::CatalogError>([] {
              cw::format_tool_id({"GH", "x", "1", std::nullopt});
            }).find("namespace"),
            std::string::npos);
  EXPECT_NE(error_of<cw::CatalogError>([] {
              cw::format_tool_id({"gh", "x", std::nullopt, "ABCDEF01"});
            }).find("hash8"),
            std::string::npos);
  EXPECT_NE(error_of<cw::CatalogError>([] {
              cw::format_tool_id({"gh", "x", "bad version!", std::nullopt});
            }).find("version"),
            std::string::npos);
  EXPECT_NE(error_of<cw::CatalogError>([] { cw::parse_tool_id("gh:" + std::string(300, 'x')); }).find("240"),
            std::string::npos);
  EXPECT_EQ(error_of<cw::CatalogError>([] { cw::parse_tool_id("nocolon"); }),
            "tool_id missing namespace separator ':' in 'nocolon'");

  const cw::Json schema = {{"properties", {{"b", {{"type", "string"}}}, {"a", {{"type", "int"}}}}},
                           {"required", {"a"}}};
  const cw::Json retyped = {{"properties", {{"a", {{"type", "string"}}}, {"b", {{"type", "bool"}}}}},
                            {"required", {"a"}}};
  const std::string h = cw::compute_hash8("create_issue", schema);
  EXPECT_EQ(h.size(), 8u);
  EXPECT_EQ(h, cw::compute_hash8("create_issue", retyped));  // property types do not count
  EXPECT_NE(h, cw::compute_hash8("create_issue", {{"properties", {{"a", 1}}}}));
  EXPECT_NE(h, cw::compute_hash8("open_issue", schema));
  EXPECT_EQ(cw::compute_hash8("x", nullptr), cw::compute_hash8("x", cw::Json::object()));
  EXPECT_EQ(cw::canonical_tool_id("gh", "x", "x", schema, "1.0"), "gh:x@1.0");
  EXPECT_EQ(cw::canonical_tool_id("gh", "x", "x", schema), "gh:x#" + cw::compute_hash8("x", schema));
}

}  // namespace
