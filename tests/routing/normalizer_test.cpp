// The catalog normalizer (port of test_normalizer.py).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/normalizer.hpp"

#include "support/test_support.hpp"
#include "routing/routing_test_items.hpp"

namespace cw = contextweaver;
using cwtest::tool_item;

namespace {

using cwtest::error_of;

TEST(Normalizer, CleansAndReports) {
  auto a = tool_item("a", "  send   email ", "", {"Email", "email", " EMAIL ", "", "web"}, "billing.");
  auto b = tool_item("b", "b", "Has\t\tspaces  inside", {"z", "a"});
  auto c = tool_item("c", "c", "fine", {"a"});
  const std::vector<cw::SelectableItem> input = {a, b, c, tool_item("", "x", "y"), tool_item("a", "dup", "d")};
  const auto [out, report] = cw::CatalogNormalizer().normalize(input);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].tags, (std::vector<std::string>{"email", "web"}));
  EXPECT_EQ(out[0].name, "send email");
  EXPECT_EQ(out[0].description, "send email");
  EXPECT_EQ(out[0].namespace_, "billing");
  EXPECT_EQ(out[1].tags, (std::vector<std::string>{"a", "z"}));
  EXPECT_EQ(out[1].description, "Has spaces inside");
  EXPECT_EQ(report.items_processed, 5);
  EXPECT_EQ(report.tag_dedup_count, 2);
  EXPECT_EQ(report.description_filled_count, 1);
  EXPECT_EQ(report.whitespace_normalized_count, 2);
  EXPECT_EQ(report.invalid_ids, (std::vector<std::string>{"", "a"}));
  EXPECT_EQ(report.changed_count(), 5);
  EXPECT_EQ(report.to_dict()["invalid_ids"].size(), 2u);
  EXPECT_EQ(input[0].tags.size(), 5u);  // input untouched
  const auto keep_case =
      cw::CatalogNormalizer(false, false).normalize({tool_item("k", "k", "d", {"Email", "email", "WEB"})});
  EXPECT_EQ(keep_case.first[0].tags, (std::vector<std::string>{"Email", "WEB", "email"}));
  EXPECT_NE(error_of<cw::CatalogError>([&] {
              cw::CatalogNormalizer(true).normalize({tool_item(" ", "x", "y")});
            }).find("empty id"),
            std::string::npos);
  EXPECT_EQ(error_of<cw::CatalogError>([&] {
              cw::CatalogNormalizer(true).normalize({c, c});
            }),
            "Duplicate item id: 'c'");
}

}  // namespace
