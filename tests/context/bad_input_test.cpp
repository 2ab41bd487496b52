// Bad input: typed errors with clear messages, no crash, nothing half-written.
#include <gtest/gtest.h>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/scenario.hpp"
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

cw::BuildRequest route_request() {
  cw::BuildRequest r;
  r.phase = cw::Phase::route;
  return r;
}

template <typename E, typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected exception was not thrown";
  return "";
}

}  // namespace

TEST(BadInput, MalformedScenarioLinesNameTheLine) {
  const std::string text =
      "{\"type\": \"user_turn\", \"id\": \"u1\", \"text\": \"hi\"}\n\n{\"type\": \"agent_msg\", \"id\": ";
  auto msg = message_of<cw::ValueError>([&] { cw::parse_scenario_jsonl(text); });
  EXPECT_TRUE(msg.starts_with("line 3: invalid JSON: ")) << msg;
  EXPECT_EQ(message_of<cw::TypeError>([] { cw::parse_scenario_jsonl("[1, 2]"); }),
            "line 1: expected a JSON object, got list");
  EXPECT_EQ(message_of<cw::KeyError>([] { cw::parse_scenario_jsonl("{}\n"); }), "line 1: missing required field 'id'");
  EXPECT_TRUE(message_of<cw::TypeError>([] {
                cw::parse_scenario_jsonl("{\"id\": \"x\", \"text\": 5}");
              }).starts_with("line 1: "));
  EXPECT_EQ(message_of<cw::ValueError>([] { cw::parse_scenario_jsonl("{\"id\": \"\xff\"}"); }),
            "line 1: not valid UTF-8");
  // Unknown types map to user_turn, as the reference's loader does.
  EXPECT_EQ(cw::parse_scenario_jsonl("{\"id\": \"x\", \"type\": \"weird\"}")[0].kind, ItemKind::user_turn);
  EXPECT_THROW(cw::load_scenario_jsonl("/nonexistent/scenario.jsonl"), cw::StorageError);
}

TEST(BadInput, UnknownKindsAndSensitivities) {
  EXPECT_THROW(cw::ContextItem::from_dict(cw::Json{{"id", "a"}, {"kind", "bogus"}, {"text", ""}}), cw::ValueError);
  EXPECT_THROW(
      cw::ContextItem::from_dict(cw::Json{{"id", "a"}, {"kind", "user_turn"}, {"text", ""}, {"sensitivity", "top"}}),
      cw::ValueError);
  EXPECT_THROW(cw::ContextPolicy::from_dict(cw::Json{{"max_items_per_kind", {{"bogus", 1}}}}), cw::ValueError);
  cw::ContextManager m;
  m.add_fact("k", "v", cw::Json{{"sensitivity", "ultra"}});
  auto msg = message_of<cw::ValueError>([&] { m.build(); });
  EXPECT_NE(msg.find("fact 'fact:k:0'"), std::string::npos) << msg;
}

TEST(BadInput, ParentCyclesTerminate) {
  cw::ContextManager m;
  m.ingest(make("a", ItemKind::user_turn, "one", "c"));
  m.ingest(make("b", ItemKind::user_turn, "two", "a"));
  m.ingest(make("c", ItemKind::agent_msg, "three", "b"));
  m.ingest(make("self", ItemKind::user_turn, "loop", "self"));
  auto pack = m.build(route_request());
  EXPECT_EQ(pack.stats.dependency_closures, 1);  // c is pulled in once
  EXPECT_EQ(pack.stats.included_count, 4);
}

TEST(BadInput, TenMegabyteToolResult) {
  cw::ContextManager m;
  std::string big;
  big.reserve(10 * 1024 * 1024);
  while (big.size() < 10 * 1024 * 1024)
    big += "row " + std::to_string(big.size()) + ": " + std::string(200, 'v') + "\n";
  auto [item, env] = m.ingest_tool_result("tc1", big, "dump");
  EXPECT_EQ(m.artifact_store().get("artifact:result:tc1").size(), big.size());
  EXPECT_LE(item.text.size(), 500u * 4 + 3);
  auto pack = m.build();
  EXPECT_LT(pack.prompt.size(), 4096u);
  EXPECT_EQ(pack.envelopes.size(), 0u);  // already firewalled at ingest (hashed ref)
  // A raw 10 MB item in the log is firewalled at build time without trouble.
  m.ingest(make("raw", ItemKind::tool_result, big));
  auto again = m.build();
  ASSERT_EQ(again.envelopes.size(), 1u);
  EXPECT_EQ(again.envelopes[0].artifacts[0].size_bytes, static_cast<std::int64_t>(big.size()));
}

TEST(BadInput, InvalidUtf8) {
  cw::ContextManager m;
  const std::string bad = "caf\xc3(";
  EXPECT_EQ(message_of<cw::ValueError>([&] { m.ingest(make("u", ItemKind::user_turn, bad)); }),
            "text of item 'u' is not valid UTF-8");
  EXPECT_THROW(m.ingest_tool_result("tc", bad), cw::ValueError);
  EXPECT_EQ(m.event_log().count(), 0u);
  EXPECT_TRUE(m.artifact_store().list_refs().empty());
  // Items that reach the log another way still build (decoded with U+FFFD), no crash.
  auto log = std::make_shared<cw::InMemoryEventLog>();
  log->append(make("u", ItemKind::user_turn, bad));
  log->append(make("r", ItemKind::tool_result, "\xff\xfe" + std::string(30, 'x')));
  cw::ContextManagerOptions options;
  options.event_log = log;
  cw::ContextManager other(options);
  auto pack = other.build();
  EXPECT_EQ(pack.stats.included_count, 2);
}

TEST(BadInput, UnknownSelectorAndRedactionHook) {
  cw::ContextManager m;
  auto [item, env] = m.ingest_tool_result("tc", "hello");
  EXPECT_EQ(message_of<cw::ContextWeaverError>([&] {
              m.drilldown(env.artifacts[0].handle, cw::Json{{"type", "regex"}}, true);
            }),
            "Unknown drilldown selector type: 'regex'");
  EXPECT_EQ(m.event_log().count(), 1u);  // nothing injected
  cw::ContextPolicy policy;
  policy.sensitivity_action = "redact";
  policy.redaction_hooks = {"missing"};
  m.set_policy(policy);
  const auto refs_before = m.artifact_store().list_refs();
  m.ingest(make("r2", ItemKind::tool_result, "fresh output"));
  EXPECT_THROW(m.build(), cw::ConfigError);
  EXPECT_EQ(m.artifact_store().list_refs(), refs_before);  // the firewall never ran
}

TEST(BadInput, NegativeBudgetAndOversizedHeader) {
  cw::ContextManager m;
  m.ingest(make("r", ItemKind::tool_result, "output"));
  cw::BuildRequest r;
  r.budget_tokens = -5;
  EXPECT_EQ(message_of<cw::ConfigError>([&] { m.build(r); }), "Token budget for phase 'answer' must be >= 0, got -5");
  cw::ContextBudget negative;
  negative.route = -1;
  m.set_budget(negative);
  EXPECT_THROW(m.build(route_request()), cw::ConfigError);
  r.budget_tokens = 2;
  r.header = std::string(100, 'h');
  auto msg = message_of<cw::BudgetExceededError>([&] { m.build(r); });
  EXPECT_EQ(msg, "Header and footer need 25 tokens, more than the answer budget of 2");
  EXPECT_TRUE(m.artifact_store().list_refs().empty());  // failed builds write nothing
}

TEST(BadInput, DuplicateToolResultWritesNothing) {
  cw::ContextManager m;
  m.ingest_tool_result("tc", "first");
  EXPECT_THROW(m.ingest_tool_result("tc", "second"), cw::DuplicateItemError);
  EXPECT_EQ(m.artifact_store().get("artifact:result:tc"), "first");
  cw::McpConversion conv;
  conv.full_text = "x";
  conv.binaries["mcp:t:image:0"] = {"bytes", "image/png", "img"};
  EXPECT_THROW(m.ingest_mcp_result("tc", conv, "t"), cw::DuplicateItemError);
  EXPECT_FALSE(m.artifact_store().exists("mcp:t:image:0"));
}

TEST(BadInput, FailedAppendRollsBackTheArtifact) {
  // A log that refuses every append, to exercise the rollback path.
  struct RefusingLog final : cw::EventLog {
    cw::InMemoryEventLog inner;
    void append(const cw::ContextItem&) override { throw cw::StorageError("disk full"); }
    void append_many(std::span<const cw::ContextItem>) override { throw cw::StorageError("disk full"); }
    cw::ContextItem get(const std::string& id) const override { return inner.get(id); }
    std::vector<cw::ContextItem> all() const override { return inner.all(); }
    std::vector<cw::ContextItem> filter_by_kind(std::span<const ItemKind> k) const override {
      return inner.filter_by_kind(k);
    }
    std::vector<cw::ContextItem> tail(std::int64_t n) const override { return inner.tail(n); }
    std::vector<cw::ContextItem> children(const std::string& p) const override { return inner.children(p); }
    std::optional<cw::ContextItem> parent(const std::string& id) const override { return inner.parent(id); }
    std::vector<cw::ContextItem> query(const std::optional<std::vector<ItemKind>>& k, std::optional<std::int64_t> s,
                                       std::optional<std::int64_t> l) const override {
      return inner.query(k, s, l);
    }
    std::size_t count() const override { return inner.count(); }
    void close() override {}
  };
  cw::ContextManagerOptions options;
  options.event_log = std::make_shared<RefusingLog>();
  cw::ContextManager m(options);
  m.artifact_store().put("artifact:result:old", "previous", "text/plain", "raw tool result for result:old");
  EXPECT_THROW(m.ingest_tool_result("new", "small"), cw::StorageError);
  EXPECT_THROW(m.ingest_tool_result("big", std::string(3000, 'b')), cw::StorageError);
  EXPECT_THROW(m.ingest_tool_result("old", "replacement"), cw::StorageError);
  EXPECT_FALSE(m.artifact_store().exists("artifact:result:new"));
  EXPECT_FALSE(m.artifact_store().exists("artifact:result:big"));
  EXPECT_EQ(m.artifact_store().get("artifact:result:old"), "previous");
}
