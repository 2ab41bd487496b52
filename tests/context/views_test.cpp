// Port of test_views.py.
#include <gtest/gtest.h>

#include "contextweaver/context/views.hpp"

namespace cw = contextweaver;

namespace {

cw::ArtifactRef ref(const std::string& media) {
  return cw::ArtifactRef{"h", media, 0, "", ""};
}

std::string lines(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "line " + std::to_string(i) + "\n";
  return out;
}

}  // namespace

TEST(Views, JsonDict) {
  auto views = cw::json_views(ref("application/json"), R"({"b": 1, "a": 2, "c": 3})");
  ASSERT_EQ(views.size(), 4u);
  EXPECT_EQ(views[0].view_id, "h:json_keys");
  EXPECT_EQ(views[0].label, "JSON keys: a, b, c");
  EXPECT_EQ(views[0].selector, (cw::Json{{"type", "json_keys"}, {"keys", {"a", "b", "c"}}}));
  EXPECT_EQ(views[1].view_id, "h:key:a");
  EXPECT_EQ(views[1].label, "JSON key 'a'");
  EXPECT_EQ(views[3].selector, (cw::Json{{"type", "json_keys"}, {"keys", {"c"}}}));
  EXPECT_EQ(views[0].artifact_ref, ref("application/json"));
}

TEST(Views, JsonLongDictAddsHeadAndEllipsis) {
  std::string obj = "{";
  for (int i = 0; i < 12; ++i)
    obj += (i ? ", " : "") + std::string("\"key") + std::to_string(10 + i) + "\": \"" + std::string(10, 'v') + "\"";
  obj += "}";
  auto views = cw::json_views(ref("application/json"), obj);
  ASSERT_EQ(views.size(), 1u + 10u + 1u);
  EXPECT_EQ(views[0].label, "JSON keys: key10, key11, key12, key13, key14\u2026");
  EXPECT_EQ(views.back().view_id, "h:head");
  EXPECT_EQ(views.back().label, "Head (500 chars)");
  EXPECT_EQ(views.back().selector, (cw::Json{{"type", "head"}, {"chars", 500}}));
}

TEST(Views, JsonArrayEmptyAndInvalid) {
  auto views = cw::json_views(ref("application/json"), "[1, 2, 3, 4, 5, 6, 7]");
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].view_id, "h:array_head");
  EXPECT_EQ(views[0].label, "Array head (5 of 7 items)");
  EXPECT_TRUE(cw::json_views(ref("application/json"), "{}").empty());
  EXPECT_TRUE(cw::json_views(ref("application/json"), "{not json").empty());
}

TEST(Views, Csv) {
  std::string csv = "a,b\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(i) + ",x\n";
  auto views = cw::csv_views(ref("text/csv"), csv);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].label, "Head rows (first 10 of 21)");
  EXPECT_EQ(views[0].selector, (cw::Json{{"type", "rows"}, {"start", 0}, {"end", 10}}));
  EXPECT_EQ(views[1].view_id, "h:tail_rows");
  EXPECT_EQ(views[1].label, "Tail rows (last 10 of 21)");
  EXPECT_EQ(views[1].selector, (cw::Json{{"type", "rows"}, {"start", 11}, {"end", 21}}));
  EXPECT_EQ(cw::csv_views(ref("text/csv"), "a,b\n1,2\n3,4").size(), 1u);
  EXPECT_TRUE(cw::csv_views(ref("text/csv"), "").empty());
}

TEST(Views, Text) {
  auto three = cw::text_views(ref("text/plain"), lines(3));
  ASSERT_EQ(three.size(), 1u);
  EXPECT_EQ(three[0].label, "Head (3 lines)");
  EXPECT_EQ(three[0].selector, (cw::Json{{"type", "lines"}, {"start", 0}, {"end", 3}}));
  auto fifty = cw::text_views(ref("text/plain"), lines(50));
  ASSERT_EQ(fifty.size(), 2u);
  EXPECT_EQ(fifty[0].selector, (cw::Json{{"type", "lines"}, {"start", 0}, {"end", 20}}));
  EXPECT_EQ(fifty[1].label, "Tail (20 lines)");
  EXPECT_EQ(fifty[1].selector, (cw::Json{{"type", "lines"}, {"start", 30}, {"end", 50}}));
  EXPECT_TRUE(cw::text_views(ref("text/plain"), "").empty());
}

TEST(Views, Binary) {
  auto views = cw::generate_views(ref("image/png"), std::string("\x89PNG\r\n", 6));
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].view_id, "h:meta");
  EXPECT_EQ(views[0].label, "Header (128 bytes, image/png)");
  EXPECT_EQ(views[0].selector, (cw::Json{{"type", "head"}, {"chars", 128}}));
}

TEST(Views, Detection) {
  EXPECT_EQ(cw::detect_content_type(R"( {"a": 1} )", "application/octet-stream"), "application/json");
  EXPECT_EQ(cw::detect_content_type("a,b\n1,2\n3,4", "application/octet-stream"), "text/csv");
  EXPECT_EQ(cw::detect_content_type("just some prose", "application/octet-stream"), "text/plain");
  EXPECT_EQ(cw::detect_content_type("{not json", "application/octet-stream"), "text/plain");
  EXPECT_EQ(cw::detect_content_type("a,b\n1,2", "image/png"), "image/png");
  EXPECT_EQ(cw::detect_content_type("plain", "application/json"), "application/json");
  EXPECT_EQ(cw::detect_content_type(std::string("\xff\xfe\x00", 3), "application/octet-stream"),
            "application/octet-stream");
}

TEST(Views, LooksLikeCsv) {
  EXPECT_TRUE(cw::looks_like_csv("name,age\nalice,30\nbob,25"));
  EXPECT_FALSE(cw::looks_like_csv("name,age"));
  EXPECT_FALSE(cw::looks_like_csv("abc\ndef"));
  EXPECT_FALSE(cw::looks_like_csv("x\ny"));
  EXPECT_TRUE(cw::looks_like_csv("hello world\nfoo bar"));  // CPython's sniffer agrees: a space delimiter
  EXPECT_TRUE(cw::looks_like_csv("x; \"hi\";\nok"));        // the quote pass finds ';'
  EXPECT_TRUE(cw::looks_like_csv("\"a\" and\nb"));          // a quote opening a line, then ' '
  EXPECT_FALSE(cw::looks_like_csv("say \"hi\";\nok"));      // CPython: "Could not determine delimiter"
  EXPECT_TRUE(cw::looks_like_csv("a\tb\tc\nd\te\tf"));
}

TEST(Views, Registry) {
  cw::ViewRegistry registry;
  EXPECT_TRUE(registry.has("application/json"));
  EXPECT_TRUE(registry.has("text/csv"));
  EXPECT_TRUE(registry.has("text/plain"));
  registry.register_("application/x-custom", [](const cw::ArtifactRef& r, std::string_view) {
    return std::vector<cw::ViewSpec>{{r.handle + ":custom", "Custom", cw::Json{{"type", "head"}, {"chars", 1}}, r}};
  });
  EXPECT_EQ(registry.generate_views(ref("application/x-custom"), "x")[0].view_id, "h:custom");
  registry.register_("text/plain", [](const cw::ArtifactRef& r, std::string_view) {
    return std::vector<cw::ViewSpec>{{r.handle + ":mine", "Mine", cw::Json::object(), r}};
  });
  EXPECT_EQ(registry.generate_views(ref("text/plain"), "x")[0].view_id, "h:mine");
  EXPECT_EQ(registry.generate_views(ref("text/markdown"), "x")[0].view_id, "h:mine");
  EXPECT_EQ(registry.generate_views(ref("application/zip"), "x")[0].view_id, "h:meta");
  cw::ViewRegistry fresh;
  EXPECT_EQ(cw::generate_views(ref("text/markdown"), "a\nb", &fresh)[0].selector["type"], "lines");
  EXPECT_EQ(cw::generate_views(ref("text/markdown"), "a\nb")[0].label, "Head (2 lines)");
  EXPECT_EQ(cw::generate_views(ref("application/x-custom"), "x", &registry)[0].view_id, "h:custom");
}

TEST(Views, ViewSpecRoundTrip) {
  cw::ViewSpec v{"h:head", "Head", cw::Json{{"type", "head"}, {"chars", 5}}, ref("text/plain")};
  EXPECT_EQ(cw::ViewSpec::from_dict(v.to_dict()), v);
}

TEST(Views, DrilldownToolSpec) {
  auto spec = cw::drilldown_tool_spec();
  EXPECT_EQ(spec.id, "contextweaver:drilldown");
  EXPECT_EQ(spec.kind, "internal");
  EXPECT_EQ(spec.name, "drilldown");
  EXPECT_EQ(spec.tags, (std::vector<std::string>{"progressive-disclosure", "drilldown", "artifact"}));
  EXPECT_EQ(spec.args_schema["required"], (cw::Json{"handle", "selector"}));
  EXPECT_EQ(spec.args_schema["properties"]["selector"]["properties"]["type"]["enum"],
            (cw::Json{"head", "lines", "json_keys", "rows"}));
  EXPECT_EQ(spec.metadata, (cw::Json{{"builtin", true}, {"phase", "interpret"}}));
  EXPECT_EQ(cw::drilldown_tool_spec(), spec);
}
