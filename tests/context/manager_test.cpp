// Port of test_manager.py: builds, ingestion, memory, phases, call prompt,
// drill-down, views and profiles; and the mini build of context.md §12.3
// (with DECISIONS C1/C2 applied).
#include <gtest/gtest.h>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"

namespace cw = contextweaver;
using cw::ItemKind;

namespace {

cw::ContextItem make(const std::string& id, ItemKind kind, const std::string& text,
                     std::optional<std::string> parent = std::nullopt) {
  cw::ContextItem item;
  item.id = id;
  item.kind = kind;
  item.text = text;
  item.parent_id = std::move(parent);
  return item;
}

cw::BuildRequest request(cw::Phase phase, const std::string& query = "") {
  cw::BuildRequest r;
  r.phase = phase;
  r.query = query;
  return r;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

void mini_session(cw::ContextManager& m) {
  m.add_fact("user", "Alice");
  m.add_fact("lang", "Python");
  m.add_episode("ep1", "Looked up invoices");
  m.ingest(make("u1", ItemKind::user_turn, "Find unpaid invoices for ACME"));
  m.ingest(make("tc1", ItemKind::tool_call, "invoices.search(customer='ACME')", "u1"));
  m.ingest_tool_result("tc1", "status: ok\ncount: 2\n\n- INV-1\n- INV-2", "invoices.search");
  m.ingest(make("a1", ItemKind::agent_msg, "Found 2 unpaid invoices."));
  auto secret = make("s1", ItemKind::doc_snippet, "secret doc");
  secret.sensitivity = cw::Sensitivity::confidential;
  m.ingest(secret);
}

struct RecordingHook final : cw::EventHook {
  int built = 0, firewalls = 0, budget_exceeded = 0;
  std::vector<std::string> excluded;
  void on_context_built(const cw::ContextPack&) override { ++built; }
  void on_firewall_triggered(const cw::ContextItem&, const std::string&) override { ++firewalls; }
  void on_items_excluded(const std::vector<cw::ContextItem>& items, const std::string& reason) override {
    excluded.push_back(reason + ":" + std::to_string(items.size()));
  }
  void on_budget_exceeded(std::int64_t, std::int64_t) override { ++budget_exceeded; }
};

}  // namespace

TEST(ManagerGolden, MiniBuildAnswer) {
  cw::ContextManager m;
  mini_session(m);
  cw::BuildRequest r = request(cw::Phase::answer, "unpaid invoices ACME");
  r.header = "SYS";
  r.footer = "END";
  auto pack = m.build(r);
  EXPECT_EQ(pack.prompt,
            "[EPISODIC MEMORY]\n- Looked up invoices\n\n[FACTS]\n- lang: Python\n- user: Alice\n\nSYS\n\n[ASSISTANT]\n"
            "Found 2 unpaid invoices.\n\n[USER]\nFind unpaid invoices for ACME\n\n[TOOL CALL]\n"
            "invoices.search(customer='ACME')\n\n[TOOL RESULT [artifact:result:tc1]]\nstatus: ok\ncount: 2\n\nEND");
  EXPECT_EQ(cw::dumps(pack.stats.to_dict()),
            R"({"tokens_per_section": {"agent_msg": 9, "user_turn": 9, "tool_call": 11, "tool_result": 13}, )"
            R"("total_candidates": 5, "included_count": 4, "dropped_count": 1, "dropped_reasons": {"sensitivity": 1}, )"
            R"("dedup_removed": 0, "dependency_closures": 0, "header_footer_tokens": 20})");
  ASSERT_EQ(pack.envelopes.size(), 1u);
  const auto& env = pack.envelopes[0];
  EXPECT_EQ(env.summary, "status: ok\ncount: 2");
  EXPECT_EQ(env.facts, (std::vector<std::string>{"status: ok", "count: 2", "INV-1", "INV-2"}));
  ASSERT_EQ(env.views.size(), 1u);
  EXPECT_EQ(env.views[0].view_id, "artifact:result:tc1:head");
  EXPECT_EQ(env.views[0].label, "Head (5 lines)");
  EXPECT_TRUE(env.artifacts[0].content_hash.starts_with("7c6a68d2"));
  EXPECT_TRUE(env.artifacts[0].content_hash.ends_with("64cde4"));
}

TEST(ManagerGolden, MiniBuildRouteAndTinyCallBudget) {
  cw::ContextManager m;
  mini_session(m);
  auto route = m.build(request(cw::Phase::route, "unpaid invoices ACME"));
  EXPECT_TRUE(route.prompt.starts_with("[EPISODIC MEMORY]\n- Looked up invoices\n\n[FACTS]\n"));
  EXPECT_TRUE(contains(route.prompt, "[USER]\nFind unpaid invoices for ACME"));
  EXPECT_EQ(route.stats.header_footer_tokens, 19);
  cw::BuildRequest call = request(cw::Phase::call, "unpaid invoices ACME");
  call.budget_tokens = 20;
  auto pack = m.build(call);
  EXPECT_EQ(pack.stats.header_footer_tokens, 19);
  EXPECT_EQ(pack.stats.included_count, 0);
  EXPECT_EQ(pack.stats.dropped_reasons, (cw::OrderedCounts{{"budget", 3}}));
  EXPECT_EQ(pack.prompt, "[EPISODIC MEMORY]\n- Looked up invoices\n\n[FACTS]\n- lang: Python\n- user: Alice");
}

TEST(ManagerGolden, IngestTimeEnvelope) {
  cw::ContextManager m;
  auto [item, env] = m.ingest_tool_result("tc1", "status: ok\ncount: 2\n\n- INV-1\n- INV-2", "invoices.search");
  EXPECT_EQ(env.summary, "status: ok\ncount: 2\n\n- INV-1\n- INV-2");
  EXPECT_EQ(env.provenance, (cw::Json{{"source_item_id", "result:tc1"}, {"tool_name", "invoices.search"}}));
  EXPECT_TRUE(env.artifacts[0].content_hash.empty());
  EXPECT_EQ(item.kind, ItemKind::tool_result);
  EXPECT_EQ(item.parent_id, "tc1");
  EXPECT_EQ(env.status, "ok");
  EXPECT_EQ(m.event_log().count(), 1u);
}

TEST(Manager, EmptyBuildAndBasics) {
  cw::ContextManager m;
  auto empty = m.build(request(cw::Phase::route));
  EXPECT_EQ(empty.prompt, "");
  EXPECT_EQ(empty.stats.total_candidates, 0);
  m.ingest(make("u1", ItemKind::user_turn, "How do I reset my password?"));
  m.ingest(make("a1", ItemKind::agent_msg, "Use the reset link."));
  m.ingest_sync(make("u2", ItemKind::user_turn, "Thanks"));
  EXPECT_EQ(m.event_log().count(), 3u);
  auto pack = m.build_sync(request(cw::Phase::answer, "password"));
  EXPECT_EQ(pack.phase, cw::Phase::answer);
  EXPECT_EQ(pack.stats.total_candidates, 3);
  EXPECT_TRUE(contains(pack.prompt, "password"));
  for (cw::Phase p : {cw::Phase::route, cw::Phase::call, cw::Phase::interpret}) EXPECT_EQ(m.build(request(p)).phase, p);
}

TEST(Manager, RawToolResultInLogIsFirewalledAtBuild) {
  cw::ContextManager m;
  m.ingest(make("r1", ItemKind::tool_result, "raw output"));
  auto pack = m.build();
  ASSERT_EQ(pack.envelopes.size(), 1u);
  EXPECT_EQ(pack.envelopes[0].status, "ok");
  EXPECT_EQ(pack.envelopes[0].provenance["source_item_id"], "r1");
}

TEST(Manager, IngestToolResultCustomExtractorAndLargeOutput) {
  struct Ext final : cw::Extractor {
    std::vector<std::string> extract(std::string_view raw, const cw::Json&) const override {
      return {"[fact]" + std::string(raw)};
    }
  };
  cw::ContextManagerOptions options;
  options.extractor = std::make_shared<Ext>();
  cw::ContextManager m(options);
  auto [small, env] = m.ingest_tool_result("tc1", "short output");
  EXPECT_EQ(env.facts, (std::vector<std::string>{"[fact]short output"}));
  const std::string big(3006, 'x');
  auto [large, large_env] = m.ingest_tool_result("tc2", big);
  ASSERT_TRUE(large.artifact_ref.has_value());
  EXPECT_FALSE(large.artifact_ref->content_hash.empty());
  EXPECT_LT(large.text.size(), big.size());
  EXPECT_EQ(m.artifact_store().get("artifact:result:tc2"), big);
}

TEST(Manager, FactsAndEpisodes) {
  cw::ContextManager m;
  m.add_fact("user", "Alice");
  m.add_episode("ep1", "Did things");
  EXPECT_EQ(m.fact_store().all().size(), 1u);
  EXPECT_EQ(m.fact_store().all()[0].fact_id, "fact:user:0");
  EXPECT_EQ(m.episodic_store().all().size(), 1u);
  auto pack = m.build(request(cw::Phase::answer));
  EXPECT_TRUE(contains(pack.prompt, "- user: Alice"));
  EXPECT_TRUE(contains(pack.prompt, "[EPISODIC MEMORY]\n- Did things"));
}

TEST(Manager, EightyFactsAreCappedAt64Lines) {
  cw::ContextManager m;
  for (int i = 0; i < 80; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "k%03d", i);
    m.add_fact(key, "v");
  }
  auto prompt = m.build().prompt;
  EXPECT_TRUE(contains(prompt, "more facts omitted"));
  EXPECT_TRUE(contains(prompt, "- k063:"));
  EXPECT_FALSE(contains(prompt, "- k064:"));
}

TEST(Manager, LongFactsTruncatedToHeaderBudget) {
  cw::ContextManager m;
  for (int i = 0; i < 15; ++i) m.add_fact("key" + std::to_string(i), std::string(200, 'v'));
  EXPECT_TRUE(contains(m.build().prompt, "facts truncated to fit header budget"));
}

TEST(Manager, StoreBundleUsedAndEmptyStoreKept) {
  auto log = std::make_shared<cw::InMemoryEventLog>();
  cw::ContextManagerOptions options;
  options.stores.event_log = log;
  cw::ContextManager m(options);
  EXPECT_EQ(&m.event_log(), log.get());  // DECISIONS C4: an empty store is kept
  m.ingest(make("u1", ItemKind::user_turn, "x"));
  EXPECT_EQ(log->count(), 1u);
  auto other = std::make_shared<cw::InMemoryEventLog>();
  options.event_log = other;
  EXPECT_EQ(&cw::ContextManager(options).event_log(), other.get());
}

TEST(Manager, BudgetOverrideAndHeaderFooterTokens) {
  cw::ContextManager m;
  for (int i = 0; i < 10; ++i) m.ingest(make("u" + std::to_string(i), ItemKind::user_turn, std::string(100, 'a' + i)));
  cw::BuildRequest r = request(cw::Phase::answer);
  r.budget_tokens = 60;
  auto small = m.build(r);
  EXPECT_LE(static_cast<std::int64_t>(small.prompt.size() / 4), 60);
  EXPECT_LT(small.stats.included_count, 10);
  EXPECT_EQ(m.build().stats.header_footer_tokens, 0);
  m.add_fact("user", "Alice");
  m.add_episode("e", "Episode");
  auto with = m.build();
  EXPECT_GT(with.stats.header_footer_tokens, 0);
  EXPECT_TRUE(contains(with.prompt, "[FACTS]"));
  EXPECT_TRUE(contains(with.prompt, "[EPISODIC MEMORY]"));
}

TEST(Manager, FactsShrinkItemBudget) {
  auto run = [](bool facts) {
    cw::ContextManager m;
    for (int i = 0; i < 10; ++i) {
      m.ingest(make("u" + std::to_string(i), ItemKind::user_turn, "turn" + std::to_string(i) + std::string(80, 'x')));
    }
    if (facts) {
      for (int i = 0; i < 5; ++i) m.add_fact("k" + std::to_string(i), std::string(40, 'f'));
    }
    cw::BuildRequest r;
    r.budget_tokens = 100;
    auto pack = m.build(r);
    std::int64_t items = 0;
    for (const auto& [k, v] : pack.stats.tokens_per_section) items += v;
    return items;
  };
  EXPECT_LT(run(true), run(false));
}

TEST(Manager, RenderedPromptFitsTheBudget) {  // DECISIONS C2
  cw::ContextManager m;
  for (int i = 0; i < 40; ++i) {
    m.ingest(make("u" + std::to_string(i), ItemKind::user_turn,
                  "question " + std::to_string(i) + " " + std::string(i * 7, 'q')));
  }
  for (std::int64_t budget : {0, 1, 5, 37, 100, 333, 1000}) {
    cw::BuildRequest r;
    r.budget_tokens = budget;
    r.header = "H";
    auto pack = m.build(r);
    EXPECT_LE(m.estimator().estimate(pack.prompt), budget);
    EXPECT_EQ(pack.stats.included_count + pack.stats.dropped_count, pack.stats.total_candidates);
  }
}

TEST(Manager, ChronologicalRenderOption) {
  cw::ContextManager m;
  m.ingest(make("p", ItemKind::policy, "be nice"));
  m.ingest(make("u", ItemKind::user_turn, "hello"));
  auto scored = m.build().prompt;
  EXPECT_EQ(scored, "[USER]\nhello\n\n[POLICY]\nbe nice");
  cw::BuildRequest r;
  r.chronological = true;
  EXPECT_EQ(m.build(r).prompt, "[POLICY]\nbe nice\n\n[USER]\nhello");
}

TEST(Manager, HooksFire) {
  auto hook = std::make_shared<RecordingHook>();
  cw::ContextManagerOptions options;
  options.hook = hook;
  cw::ContextManager m(options);
  auto secret = make("s", ItemKind::doc_snippet, "secret");
  secret.sensitivity = cw::Sensitivity::restricted;
  m.ingest(secret);
  m.ingest(make("a", ItemKind::agent_msg, "duplicate text here"));
  m.ingest(make("b", ItemKind::agent_msg, "duplicate text here"));
  m.ingest(make("r", ItemKind::tool_result, std::string(400, 'z')));
  cw::BuildRequest r;
  r.budget_tokens = 20;
  m.build(r);
  EXPECT_EQ(hook->built, 1);
  EXPECT_EQ(hook->firewalls, 1);
  EXPECT_EQ(hook->excluded, (std::vector<std::string>{"sensitivity:1", "dedup:1", "budget:1"}));
  EXPECT_EQ(hook->budget_exceeded, 1);
}

TEST(Manager, CallPrompt) {
  cw::SelectableItem db;
  db.id = "db_read";
  db.kind = "tool";
  db.name = "read_db";
  db.description = "Read from database";
  db.args_schema = cw::loads(
      R"({"query": {"type": "string", "description": "SQL query"}, "limit": {"type": "integer", "default": 100}})");
  db.constraints = cw::Json{{"max_rows", 1000}};
  db.examples = {"read_db(query='x', limit=10)"};
  db.cost_hint = 0.1;
  db.side_effects = true;
  EXPECT_EQ(
      cw::build_schema_header(db),
      "[TOOL SCHEMA]\nTool: read_db (db_read)\nDescription: Read from database\nSchema:\n{\n  \"limit\": {\n    "
      "\"default\": 100,\n    \"type\": \"integer\"\n  },\n  \"query\": {\n    \"description\": \"SQL query\",\n    "
      "\"type\": \"string\"\n  }\n}\nConstraints:\n{\n  \"max_rows\": 1000\n}\nExamples:\n  - read_db(query='x', "
      "limit=10)\nCost hint: 0.1\nSide effects: yes");
  cw::ContextManager m;
  m.ingest(make("u1", ItemKind::user_turn, "read the table"));
  std::vector<cw::SelectableItem> catalog{db};
  auto pack = m.build_call_prompt("db_read", "read", catalog);
  EXPECT_EQ(pack.phase, cw::Phase::call);
  EXPECT_TRUE(pack.prompt.starts_with("[TOOL SCHEMA]"));
  EXPECT_TRUE(contains(pack.prompt, "SQL query"));
  EXPECT_TRUE(contains(pack.prompt, "max_rows"));
  EXPECT_TRUE(contains(pack.prompt, "read_db(query='x', limit=10)"));
  EXPECT_THROW(m.build_call_prompt("nope", "read", catalog), cw::ItemNotFoundError);
  auto over = m.build_call_prompt(db, "q", cw::Json{{"to", {{"type", "string"}}}, {"body", {{"type", "string"}}}},
                                  std::vector<std::string>{}, cw::Json::object());
  EXPECT_TRUE(contains(over.prompt, "\"to\""));
  EXPECT_TRUE(contains(over.prompt, "\"body\""));
  EXPECT_FALSE(contains(over.prompt, "Examples:"));
  EXPECT_FALSE(contains(over.prompt, "Constraints:"));
  auto tight = m.build_call_prompt(db, "q", std::nullopt, std::nullopt, std::nullopt, 200);
  EXPECT_GT(tight.stats.header_footer_tokens, 0);
}

TEST(Manager, McpIngest) {
  cw::ContextManager m;
  cw::McpConversion text;
  text.envelope.summary = "42";
  text.envelope.provenance = cw::Json{{"tool", "calc"}, {"protocol", "mcp"}};
  text.full_text = "42";
  auto [item, env] = m.ingest_mcp_result("c1", text, "calc");
  EXPECT_EQ(env.summary, "42");
  EXPECT_TRUE(env.artifacts.empty());
  EXPECT_EQ(item.metadata, (cw::Json{{"tool_name", "calc"}, {"protocol", "mcp"}}));

  cw::McpConversion image;
  image.envelope.artifacts = {cw::ArtifactRef{"mcp:screenshot:image:0", "image/png", 0, "image from screenshot", ""}};
  image.binaries["mcp:screenshot:image:0"] = {std::string("\x89PNG", 4), "image/png", "image from screenshot"};
  image.full_text = "(no content)";
  image.envelope.status = "error";
  auto [img_item, img_env] = m.ingest_mcp_result("c2", image, "screenshot");
  EXPECT_EQ(m.artifact_store().get("mcp:screenshot:image:0"), std::string("\x89PNG", 4));
  EXPECT_EQ(img_env.artifacts[0].size_bytes, 4);
  EXPECT_EQ(img_env.status, "error");

  cw::McpConversion big;
  big.full_text = std::string(150, 'y');
  big.envelope.facts = {"mcp: fact"};
  auto [big_item, big_env] = m.ingest_mcp_result("c3", big, "reader", 100);
  ASSERT_TRUE(big_item.artifact_ref.has_value());
  EXPECT_EQ(big_env.artifacts.back().handle, "artifact:result:c3");
  EXPECT_EQ(big_env.facts.back(), "mcp: fact");
}

TEST(Manager, Drilldown) {
  cw::ContextManager m;
  m.ingest(make("tc1", ItemKind::tool_call, "get_user()"));
  auto [item, env] = m.ingest_tool_result("tc1", R"({"name": "Alice", "age": 30, "notes": "line1\nline2"})", "get_user",
                                          "application/json");
  const std::string handle = env.artifacts[0].handle;
  EXPECT_EQ(m.drilldown(handle, cw::Json{{"type", "head"}, {"chars", 10}}), R"({"name": ")");
  EXPECT_EQ(m.drilldown(handle, cw::Json{{"type", "json_keys"}, {"keys", {"name"}}}), "{\n  \"name\": \"Alice\"\n}");
  const auto before = m.event_log().count();
  m.drilldown(handle, cw::Json{{"type", "lines"}, {"start", 0}, {"end", 1}}, true, std::string("tc1"));
  auto injected = m.event_log().get("drilldown:" + handle + ":lines:" + std::to_string(before));
  EXPECT_EQ(injected.parent_id, "tc1");
  EXPECT_EQ(injected.kind, ItemKind::tool_result);
  m.drilldown(handle, cw::Json{{"type", "head"}}, true);
  EXPECT_EQ(m.event_log().count(), before + 2);
  m.drilldown(handle, cw::Json{{"type", "head"}});
  EXPECT_EQ(m.event_log().count(), before + 2);
  EXPECT_THROW(m.drilldown("artifact:none", cw::Json{{"type", "head"}}), cw::ArtifactNotFoundError);
  try {
    m.drilldown(handle, cw::Json{{"type", "bogus"}});
    FAIL();
  } catch (const cw::ContextWeaverError& e) {
    EXPECT_TRUE(contains(e.what(), "Unknown drilldown"));
  }
  // Views of the JSON artifact drive the drill-down.
  bool has_keys = false;
  for (const auto& v : env.views) {
    if (v.view_id == handle + ":json_keys") {
      has_keys = true;
      EXPECT_TRUE(contains(m.drilldown(handle, v.selector), "\"age\": 30"));
    }
  }
  EXPECT_TRUE(has_keys);
}

TEST(Manager, ProfileAndMode) {
  cw::ContextManager plain;
  EXPECT_EQ(plain.mode(), cw::Mode::strict);
  EXPECT_FALSE(plain.profile().has_value());
  cw::ContextManagerOptions options;
  options.profile = cw::ProfileConfig::from_preset("fast");
  EXPECT_EQ(cw::ContextManager(options).budget().answer, 3000);
  options.budget = cw::ContextBudget{};
  options.budget->answer = 1234;
  EXPECT_EQ(cw::ContextManager(options).budget().answer, 1234);
  options.profile->mode = cw::Mode::seeded;
  EXPECT_EQ(cw::ContextManager(options).mode(), cw::Mode::seeded);
}

TEST(Manager, HeaderObeysSensitivityFloor) {  // DECISIONS C6
  cw::ContextManager m;
  m.add_fact("public", "visible");
  m.add_fact("ssn", "123-45-6789", cw::Json{{"sensitivity", "restricted"}});
  m.add_episode("e1", "secret episode", cw::Json{{"sensitivity", "confidential"}});
  auto prompt = m.build().prompt;
  EXPECT_TRUE(contains(prompt, "- public: visible"));
  EXPECT_FALSE(contains(prompt, "123-45-6789"));
  EXPECT_FALSE(contains(prompt, "secret episode"));
  cw::ContextPolicy redact;
  redact.sensitivity_action = "redact";
  m.set_policy(redact);
  prompt = m.build().prompt;
  EXPECT_TRUE(contains(prompt, "- ssn: [REDACTED: restricted]"));
  EXPECT_TRUE(contains(prompt, "- [REDACTED: confidential]"));
}
