#include <gtest/gtest.h>

#include <algorithm>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/default_router.hpp"

namespace cw = contextweaver;

namespace {

cw::SelectableItem tool(std::string id, std::string name, std::string description, std::vector<std::string> tags = {},
                        std::vector<std::string> params = {}) {
  cw::SelectableItem item;
  item.id = std::move(id);
  item.kind = "tool";
  item.name = std::move(name);
  item.description = std::move(description);
  item.tags = std::move(tags);
  item.namespace_ = item.id.substr(0, item.id.find('.'));
  cw::Json props = cw::Json::object();
  for (const auto& p : params) props[p] = cw::Json::object();
  item.args_schema = cw::Json{{"type", "object"}, {"properties", props}};
  return item;
}

std::vector<cw::SelectableItem> small_catalog() {
  return {tool("gmail.send_email", "send_email", "Send an email message to recipients.", {"email"}, {"to", "subject"}),
          tool("gmail.search_emails", "search_emails", "Search the mailbox with a query.", {"email", "search"}),
          tool("slack.post_message", "postMessage", "Post a message to a channel.", {"chat"}, {"channelId"}),
          tool("jira.create_issue", "create_issue", "Create a new issue in a project.", {"ticket"}, {"projectKey"}),
          tool("jira.delete_issue", "delete_issue", "Delete an issue permanently.", {"ticket"}, {"issueKey"}),
          tool("github.list_pull_requests", "list-pull-requests", "List pull requests of a repository.", {"code"})};
}

std::vector<std::string> ids(const cw::RankResult& r) {
  std::vector<std::string> out;
  for (const auto& c : r.candidates) out.push_back(c.id);
  return out;
}

}  // namespace

TEST(DefaultRouter, NameMatchOutranksADescriptionOnlyMatch) {
  const cw::DefaultRouter r(small_catalog());
  const auto res = r.rank("search emails");
  ASSERT_FALSE(res.candidates.empty());
  EXPECT_EQ(res.candidates[0].id, "gmail.search_emails");
  EXPECT_GT(res.candidates[0].score, res.candidates[1].score);
}

TEST(DefaultRouter, CamelKebabAndStemmedFormsMatch) {
  const cw::DefaultRouter r(small_catalog());
  EXPECT_EQ(r.rank("posting messages").candidates.at(0).id, "slack.post_message");
  EXPECT_EQ(r.rank("pull request list").candidates.at(0).id, "github.list_pull_requests");
}

TEST(DefaultRouter, RelatedWordsAndTyposReachTheRightTool) {
  const cw::DefaultRouter r(small_catalog());
  // "remove" is only related to "delete"; "ticket" is a tag and related to "issue".
  const auto del = r.rank("remove the ticket");
  ASSERT_FALSE(del.candidates.empty());
  EXPECT_EQ(del.candidates[0].id, "jira.delete_issue");
  const auto typo = r.rank("serach emials");
  ASSERT_FALSE(typo.candidates.empty());
  EXPECT_EQ(typo.candidates[0].id, "gmail.search_emails");
  bool saw_typo = false;
  for (const auto& m : typo.candidates[0].matches) saw_typo |= m.kind == "typo";
  EXPECT_TRUE(saw_typo);
}

TEST(DefaultRouter, ExplanationsNameTermsFieldsAndKinds) {
  const cw::DefaultRouter r(small_catalog());
  const auto res = r.rank("create jira issue");
  ASSERT_FALSE(res.candidates.empty());
  const auto& top = res.candidates[0];
  EXPECT_EQ(top.id, "jira.create_issue");
  double sum = 0.0;
  bool namespace_hit = false;
  for (const auto& m : top.matches) {
    sum += m.contribution;
    EXPECT_EQ(m.kind, "exact");
    if (m.query_term == "jira") namespace_hit = m.fields == std::vector<std::string>{"namespace"};
  }
  EXPECT_TRUE(namespace_hit);
  EXPECT_NEAR(sum, top.score, 1e-9);
  EXPECT_TRUE(res.product_mentioned);
  EXPECT_FALSE(res.refused);
}

TEST(DefaultRouter, FiltersFollowTheReferenceRules) {
  const cw::DefaultRouter r(small_catalog());
  cw::RankOptions o;
  o.exclude_ids = {"gmail.send_email"};
  o.exclude_tags = {"ticket"};
  auto res = r.rank("send email issue", o);
  EXPECT_EQ(res.excluded_count, 3);
  for (const auto& id : ids(res)) {
    EXPECT_NE(id, "gmail.send_email");
    EXPECT_NE(id.rfind("jira.", 0), 0u);
  }
  cw::RankOptions gate;
  gate.allowed_namespaces = std::vector<std::string>{"jira"};
  res = r.rank("create issue email", gate);
  EXPECT_EQ(res.gated_count, 4);
  for (const auto& id : ids(res)) EXPECT_EQ(id.rfind("jira.", 0), 0u);
  cw::RankOptions tags;
  tags.allowed_tags = std::vector<std::string>{"chat"};
  EXPECT_EQ(ids(r.rank("post message email", tags)), (std::vector<std::string>{"slack.post_message"}));
  cw::RankOptions none;
  none.allowed_tags = std::vector<std::string>{};
  EXPECT_THROW(r.rank("email", none), cw::RouteError);
  cw::RankOptions zero;
  zero.top_k = 0;
  EXPECT_THROW(r.rank("email", zero), cw::RouteError);
}

TEST(DefaultRouter, TopKCapsAndTiesBreakById) {
  std::vector<cw::SelectableItem> items;
  for (const char* id : {"b.tool", "a.tool", "c.tool"}) items.push_back(tool(id, "export_report", "Export a report."));
  const cw::DefaultRouter r(items);
  cw::RankOptions o;
  o.top_k = 2;
  EXPECT_EQ(ids(r.rank("export report", o)), (std::vector<std::string>{"a.tool", "b.tool"}));
}

TEST(DefaultRouter, VersionVariantsFollowDistinctTools) {
  EXPECT_EQ(cw::version_family("admin.audit.export.v10"), "admin.audit.export");
  EXPECT_EQ(cw::version_family("x.create_issue_v2"), "x.create_issue");
  EXPECT_EQ(cw::version_family("x.tool-3"), "x.tool");
  EXPECT_EQ(cw::version_family("aws.ec2"), "aws.ec2");
  EXPECT_EQ(cw::version_family("v10"), "v10");
  std::vector<cw::SelectableItem> items = {tool("a.export", "export", "Export audit logs"),
                                           tool("a.export.v2", "export_v2", "Export audit logs"),
                                           tool("a.query", "query", "Query audit logs and export")};
  const cw::DefaultRouter r(items);
  EXPECT_EQ(ids(r.rank("export audit logs")), (std::vector<std::string>{"a.export", "a.query", "a.export.v2"}));
}

TEST(DefaultRouter, RefusesWhenNothingFits) {
  const cw::DefaultRouter r(small_catalog());
  auto res = r.rank("the of and");
  EXPECT_TRUE(res.refused);
  EXPECT_EQ(res.refusal_reason, "the query has no searchable words");
  res = r.rank("bake sourdough bread overnight");
  EXPECT_TRUE(res.refused);
  EXPECT_TRUE(res.candidates.empty());
  EXPECT_EQ(res.unknown_terms.size(), 4u);
  // One weak word among many unknown ones: candidates listed, but refused.
  res = r.rank("book flights hotels rental cars museums restaurants and a message");
  ASSERT_FALSE(res.candidates.empty());
  EXPECT_TRUE(res.refused);
  EXPECT_LT(res.confidence, r.config().refusal_threshold);
  EXPECT_NE(res.refusal_reason.find("threshold"), std::string::npos);
  EXPECT_FALSE(r.rank("send an email").refused);
}

TEST(DefaultRouter, ContextHintsAreScoredButWeaker) {
  const cw::DefaultRouter r(small_catalog());
  cw::RankOptions o;
  o.context_hints = {"  jira  ", "   ", ""};
  const auto res = r.rank("delete it", o);
  EXPECT_EQ(res.context_hints, (std::vector<std::string>{"jira"}));
  ASSERT_FALSE(res.candidates.empty());
  EXPECT_EQ(res.candidates[0].id, "jira.delete_issue");
}

TEST(DefaultRouter, AddRemoveErrors) {
  cw::DefaultRouter r(small_catalog());
  EXPECT_THROW(r.add(small_catalog()[0]), cw::DuplicateItemError);
  EXPECT_THROW(r.remove("nope.tool"), cw::ItemNotFoundError);
  EXPECT_THROW(r.add(tool("", "x", "y")), cw::ValueError);
  r.remove("gmail.send_email");
  EXPECT_FALSE(r.contains("gmail.send_email"));
  EXPECT_EQ(r.find("gmail.send_email"), nullptr);
  EXPECT_EQ(r.size(), 5u);
  const cw::DefaultRouter empty;
  EXPECT_TRUE(empty.rank("send email").refused);
}

TEST(DefaultRouterConfig, ValidatesAndRoundTrips) {
  cw::DefaultRouterConfig c;
  c.k1 = -1;
  EXPECT_THROW(cw::DefaultRouter{c}, cw::ConfigError);
  cw::DefaultRouterConfig d;
  d.field_weight[2] = 0.25;
  d.typos = false;
  const auto back = cw::DefaultRouterConfig::from_json(d.to_json());
  EXPECT_EQ(back.to_json(), d.to_json());
  EXPECT_THROW(cw::DefaultRouterConfig::from_json(cw::Json{{"k1", "x"}}), cw::TypeError);
  EXPECT_THROW(cw::DefaultRouterConfig::from_json(cw::Json{{"refusal_threshold", 2.0}}), cw::ConfigError);
}

TEST(DefaultRouter, CoordinationScalesByTheShareOfMatchedTerms) {
  cw::DefaultRouterConfig plain;
  cw::DefaultRouterConfig coord;
  coord.coordination = 1.0;
  const cw::DefaultRouter a(small_catalog(), plain);
  const cw::DefaultRouter b(small_catalog(), coord);
  const std::string q = "send email zebra";
  const auto ra = a.rank(q);
  const auto rb = b.rank(q);
  ASSERT_EQ(ra.query_terms.size(), 3u);
  ASSERT_FALSE(ra.candidates.empty());
  for (const auto& c : rb.candidates) {
    const auto it =
        std::find_if(ra.candidates.begin(), ra.candidates.end(), [&](const auto& x) { return x.id == c.id; });
    ASSERT_NE(it, ra.candidates.end());
    EXPECT_NEAR(c.score, it->score * static_cast<double>(it->matches.size()) / 3.0, 1e-12);
  }
}

TEST(DefaultRouter, OddInputNeverCrashes) {
  const cw::DefaultRouter r(small_catalog());
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "emial\xC3\xA9 sendXMLHttp_request-" + std::to_string(i) + " ";
  EXPECT_NO_THROW(r.rank(big));
  EXPECT_TRUE(r.rank("").refused);
  EXPECT_TRUE(r.rank("\xF0\x9F\x98\x80 \xE2\x82\xAC").refused);
  EXPECT_NO_THROW(r.rank(std::string("send\0email", 10)));
}
