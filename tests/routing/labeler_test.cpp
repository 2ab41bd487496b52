// The keyword labeler (port of test_labeler.py).
#include <gtest/gtest.h>

#include "contextweaver/routing/labeler.hpp"

namespace cw = contextweaver;

namespace {

cw::SelectableItem item(const std::string& id, const std::string& name, const std::string& desc,
                        std::vector<std::string> tags = {}, const std::string& ns = "") {
  cw::SelectableItem it;
  it.id = id;
  it.kind = "tool";
  it.name = name;
  it.description = desc;
  it.tags = std::move(tags);
  it.namespace_ = ns;
  return it;
}

TEST(Labeler, CategoriesAndGroups) {
  const cw::KeywordLabeler labeler;
  EXPECT_EQ(labeler.label(item("x", "db_read", "Read data from the database", {"data"})).first, "data");
  EXPECT_EQ(labeler.label(item("x", "finder", "Search and find documents")).first, "search");
  EXPECT_EQ(labeler.label(item("x", "mailer", "Send email message")).first, "communication");
  EXPECT_EQ(labeler.label(item("x", "zzz", "qqq")), (std::pair<std::string, std::string>{"general", "none"}));
  EXPECT_EQ(labeler.label(item("x", "", "")), (std::pair<std::string, std::string>{"general", "none"}));
  const auto conf = labeler.label(item("x", "search", "search find lookup")).second;
  EXPECT_TRUE(conf == "high" || conf == "medium" || conf == "low");
  EXPECT_EQ(labeler.label_group(std::vector<cw::SelectableItem>{}),
            (std::pair<std::string, std::string>{"general", "Tools related to general"}));
  const std::vector<cw::SelectableItem> billing = {item("1", "a", "invoice pay", {}, "billing"),
                                                   item("2", "b", "invoice refund", {}, "billing"),
                                                   item("3", "c", "invoice list", {}, "billing")};
  const auto [label, hint] = labeler.label_group(billing);
  EXPECT_EQ(label.rfind("billing: invoice", 0), 0u);
  EXPECT_EQ(hint, "Tools related to " + label);
  const std::vector<cw::SelectableItem> mixed = {item("1", "a", "invoice", {}, "billing"),
                                                 item("2", "b", "invoice", {}, "billing"),
                                                 item("3", "c", "invoice", {}, "crm")};
  EXPECT_EQ(cw::KeywordLabeler(3, 0.8).label_group(mixed).first.find(':'), std::string::npos);
  EXPECT_EQ(cw::KeywordLabeler(2).label_group(mixed).first, "billing: invoice");
}

}  // namespace
