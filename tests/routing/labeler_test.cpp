// The keyword labeler (port of test_labeler.py).
#include <gtest/gtest.h>

#include "contextweaver/routing/labeler.hpp"
#include "routing/routing_test_items.hpp"

namespace cw = contextweaver;
using cwtest::tool_item;

namespace {

TEST(Labeler, CategoriesAndGroups) {
  const cw::KeywordLabeler labeler;
  EXPECT_EQ(labeler.label(tool_item("x", "db_read", "Read data from the database", {"data"})).first, "data");
  EXPECT_EQ(labeler.label(tool_item("x", "finder", "Search and find documents")).first, "search");
  EXPECT_EQ(labeler.label(tool_item("x", "mailer", "Send email message")).first, "communication");
  EXPECT_EQ(labeler.label(tool_item("x", "zzz", "qqq")), (std::pair<std::string, std::string>{"general", "none"}));
  EXPECT_EQ(labeler.label(tool_item("x", "", "")), (std::pair<std::string, std::string>{"general", "none"}));
  const auto conf = labeler.label(tool_item("x", "search", "search find lookup")).second;
  EXPECT_TRUE(conf == "high" || conf == "medium" || conf == "low");
  EXPECT_EQ(labeler.label_group(std::vector<cw::SelectableItem>{}),
            (std::pair<std::string, std::string>{"general", "Tools related to general"}));
  const std::vector<cw::SelectableItem> billing = {tool_item("1", "a", "invoice pay", {}, "billing"),
                                                   tool_item("2", "b", "invoice refund", {}, "billing"),
                                                   tool_item("3", "c", "invoice list", {}, "billing")};
  const auto [label, hint] = labeler.label_group(billing);
  EXPECT_EQ(label.rfind("billing: invoice", 0), 0u);
  EXPECT_EQ(hint, "Tools related to " + label);
  const std::vector<cw::SelectableItem> mixed = {tool_item("1", "a", "invoice", {}, "billing"),
                                                 tool_item("2", "b", "invoice", {}, "billing"),
                                                 tool_item("3", "c", "invoice", {}, "crm")};
  EXPECT_EQ(cw::KeywordLabeler(3, 0.8).label_group(mixed).first.find(':'), std::string::npos);
  EXPECT_EQ(cw::KeywordLabeler(2).label_group(mixed).first, "billing: invoice");
}

}  // namespace
