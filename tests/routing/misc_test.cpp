// Paths, canonical tool ids, the normalizer, the labeler, clustering and the
// scorers (ports of test_path.py, test_tool_id.py, test_normalizer.py,
// test_labeler.py, test_registry.py clustering cases, test_utils.py scorers).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/clustering.hpp"
#include "contextweaver/routing/labeler.hpp"
#include "contextweaver/routing/normalizer.hpp"
#include "contextweaver/routing/path.hpp"
#include "contextweaver/routing/retriever.hpp"
#include "contextweaver/routing/reference_scorers.hpp"
#include "contextweaver/routing/tool_id.hpp"

#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

using cwtest::error_of;

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

TEST(Normalizer, CleansAndReports) {
  auto a = item("a", "  send   email ", "", {"Email", "email", " EMAIL ", "", "web"}, "billing.");
  auto b = item("b", "b", "Has\t\tspaces  inside", {"z", "a"});
  auto c = item("c", "c", "fine", {"a"});
  const std::vector<cw::SelectableItem> input = {a, b, c, item("", "x", "y"), item("a", "dup", "d")};
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
      cw::CatalogNormalizer(false, false).normalize({item("k", "k", "d", {"Email", "email", "WEB"})});
  EXPECT_EQ(keep_case.first[0].tags, (std::vector<std::string>{"Email", "WEB", "email"}));
  EXPECT_NE(error_of<cw::CatalogError>([&] {
              cw::CatalogNormalizer(true).normalize({item(" ", "x", "y")});
            }).find("empty id"),
            std::string::npos);
  EXPECT_EQ(error_of<cw::CatalogError>([&] {
              cw::CatalogNormalizer(true).normalize({c, c});
            }),
            "Duplicate item id: 'c'");
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

TEST(Clustering, JaccardEngine) {
  const cw::JaccardClusteringEngine engine;
  const auto a = item("a", "red apple", "red fruit");
  const auto b = item("b", "red cherry", "red fruit");
  const auto c = item("c", "blue whale", "ocean animal");
  const auto d = item("d", "blue shark", "ocean animal");
  const std::vector<const cw::SelectableItem*> items = {&d, &c, &b, &a};
  const auto clusters = engine.cluster(items, 2);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[0].first, "cluster_000");
  std::size_t total = 0;
  for (const auto& [label, members] : clusters) total += members.size();
  EXPECT_EQ(total, 4u);
  EXPECT_TRUE(engine.cluster({}, 3).empty());
  EXPECT_EQ(engine.cluster(items, 1).size(), 1u);
}

TEST(Scorers, TfIdfBm25FuzzyBasics) {
  const std::vector<std::string> corpus = {"red apple fruit", "green leaf", "blue ocean", "red red wine"};
  cw::TfIdfRetriever tfidf;
  tfidf.fit(corpus);
  const auto top = tfidf.search("red", 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].first, 3u);  // "red red wine": fewer distinct tokens
  EXPECT_EQ(top[1].first, 0u);
  EXPECT_EQ(tfidf.score_one("red", 99), 0.0);
  EXPECT_TRUE(cw::TfIdfRetriever().search("red", 5).empty());
  EXPECT_TRUE(tfidf.search("red", -1).empty());

  cw::BM25Scorer bm25;
  bm25.fit({"red apple fruit", "green leaf", "blue ocean", "red red wine", "yellow sun", "black night"});
  EXPECT_GT(bm25.score("red", 3), bm25.score("red", 0));  // term frequency counts
  EXPECT_EQ(bm25.score("", 0), 0.0);
  EXPECT_THROW(bm25.score("red", 6), cw::KeyError);
  cw::BM25Scorer empty;
  empty.fit({});
  EXPECT_THROW(empty.score("x", 0), cw::KeyError);

  EXPECT_EQ(cw::token_set_ratio("send email", "send email now"), 100.0);  // subset: 100
  EXPECT_EQ(cw::token_set_ratio("", "x"), 0.0);
  EXPECT_EQ(cw::token_set_ratio("abc", "abc"), 100.0);
  EXPECT_NEAR(cw::token_set_ratio("emal", "email"), 100.0 - 100.0 * 1 / 9, 1e-12);
  EXPECT_LT(cw::token_set_ratio("Email", "email"), 100.0);  // case-sensitive
  cw::FuzzyScorer fuzzy;
  fuzzy.fit(corpus);
  EXPECT_EQ(fuzzy.score("", 0), 0.0);
  EXPECT_EQ(fuzzy.score("red apple", 0), 1.0);
  EXPECT_THROW(fuzzy.score("x", 9), cw::KeyError);
  EXPECT_THROW(cw::make_retriever("bogus"), cw::ConfigError);
}

}  // namespace
