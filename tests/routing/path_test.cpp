// tool_browse paths (port of test_path.py).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/path.hpp"

#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

using cwtest::error_of;

TEST(Path, Parse) {
  EXPECT_TRUE(cw::parse_path("/").empty());
  EXPECT_EQ(cw::parse_path("/github/issues/*"), (std::vector<std::string>{"github", "issues", "*"}));
  EXPECT_EQ(cw::parse_path("/a/b-c/0_d"), (std::vector<std::string>{"a", "b-c", "0_d"}));
  const std::pair<const char*, const char*> bad[] = {{"", "must not be empty"},
                                                     {"github", "must start with '/'"},
                                                     {"/github/", "must not end with '/'"},
                                                     {"//foo", "empty segment at index 0"},
                                                     {"/GitHub", "root segment 'GitHub'"},
                                                     {"/0digit", "must start with [a-z]"},
                                                     {"/a/*/b", "wildcard '*' may only appear"},
                                                     {"/a/b!c", "segment 'b!c' not matching"},
                                                     {"/a\n", "root segment"}};
  for (const auto& [path, message] : bad) {
    const std::string e = error_of<cw::PathInvalidError>([&] { cw::parse_path(path); });
    EXPECT_NE(e.find(message), std::string::npos) << path << " -> " << e;
  }
}

TEST(Path, Resolve) {
  cw::ChoiceGraph g;
  g.add_node("root");
  for (const char* ns : {"root/github", "root/jira", "root/slack"}) g.add_edge("root", ns);
  g.add_item("github:create_issue@1.0");
  g.add_item("github:list_issues#abcdef01");
  g.add_edge("root/github", "github:list_issues#abcdef01");
  g.add_edge("root/github", "github:create_issue@1.0");
  EXPECT_EQ(cw::resolve_path(g, {}), (std::vector<std::string>{"root/github", "root/jira", "root/slack"}));
  EXPECT_EQ(cw::resolve_path(g, {"github"}),
            (std::vector<std::string>{"github:create_issue@1.0", "github:list_issues#abcdef01"}));
  EXPECT_EQ(cw::resolve_path(g, {"github", "*"}), cw::resolve_path(g, {"github"}));
  EXPECT_EQ(cw::resolve_path(g, {"github", "create_issue"}), std::vector<std::string>{"github:create_issue@1.0"});
  EXPECT_EQ(error_of<cw::PathNotFoundError>([&] { cw::resolve_path(g, {"gitlab"}); }),
            "path /gitlab does not resolve in the catalog");
  EXPECT_EQ(error_of<cw::CatalogError>([&] {
              cw::resolve_path(g, {"github", "nope"});
            }),
            "path /github/nope does not resolve in the catalog");
}

}  // namespace
