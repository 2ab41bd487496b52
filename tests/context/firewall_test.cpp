// Port of test_firewall.py (with DECISIONS C5: sensitivity kept, estimator
// used, unchanged artifacts not rewritten).
#include <gtest/gtest.h>

#include <stdexcept>

#include "contextweaver/context/firewall.hpp"
#include "contextweaver/core/sha256.hpp"
#include "contextweaver/store/in_memory_artifact_store.hpp"

namespace cw = contextweaver;

namespace {

cw::ContextItem result(const std::string& id, const std::string& text) {
  cw::ContextItem i;
  i.id = id;
  i.kind = cw::ItemKind::tool_result;
  i.text = text;
  return i;
}

struct CountingHook final : cw::EventHook {
  int fired = 0;
  void on_firewall_triggered(const cw::ContextItem&, const std::string& reason) override {
    ++fired;
    EXPECT_EQ(reason, "tool_result intercepted");
  }
};

struct FixedSummarizer final : cw::Summarizer {
  std::string summarize(std::string_view, const cw::Json&) const override { return "custom summary"; }
};
struct FixedExtractor final : cw::Extractor {
  std::vector<std::string> extract(std::string_view raw, const cw::Json&) const override {
    return {"[fact]" + std::string(raw.substr(0, 5))};
  }
};
struct ThrowingSummarizer final : cw::Summarizer {
  std::string summarize(std::string_view, const cw::Json&) const override { throw std::runtime_error("boom"); }
};
struct ThrowingExtractor final : cw::Extractor {
  std::vector<std::string> extract(std::string_view, const cw::Json&) const override {
    throw std::runtime_error("boom");
  }
};

// Counts puts, to observe "no store write".
class CountingStore final : public cw::ArtifactStore {
 public:
  int puts = 0;
  cw::ArtifactRef put(const std::string& h, std::string_view c, const std::string& m, const std::string& l) override {
    ++puts;
    return inner.put(h, c, m, l);
  }
  std::string get(const std::string& h) const override { return inner.get(h); }
  cw::ArtifactRef ref(const std::string& h) const override { return inner.ref(h); }
  void delete_(const std::string& h) override { inner.delete_(h); }
  std::vector<cw::ArtifactRef> list_refs() const override { return inner.list_refs(); }
  bool exists(const std::string& h) const override { return inner.exists(h); }
  cw::InMemoryArtifactStore inner;
};

}  // namespace

TEST(Firewall, NonToolResultPassesThroughWithoutWrite) {
  CountingStore store;
  cw::ContextItem user = result("u1", "hello");
  user.kind = cw::ItemKind::user_turn;
  auto [out, env] = cw::apply_firewall(user, store);
  EXPECT_EQ(out, user);
  EXPECT_FALSE(env.has_value());
  EXPECT_EQ(store.puts, 0);
}

TEST(Firewall, ToolResultIntercepted) {
  cw::InMemoryArtifactStore store;
  const std::string raw = "first paragraph\nline two\n\nsecond paragraph with more text";
  auto item = result("r1", raw);
  item.sensitivity = cw::Sensitivity::internal;
  CountingHook hook;
  auto [out, env] = cw::apply_firewall(item, store, {&hook});
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(store.get("artifact:r1"), raw);
  EXPECT_LE(out.text.size(), raw.size());
  EXPECT_EQ(out.text, "first paragraph\nline two");
  ASSERT_TRUE(out.artifact_ref.has_value());
  EXPECT_EQ(out.artifact_ref->handle, "artifact:r1");
  EXPECT_EQ(out.artifact_ref->content_hash, cw::sha256_hex(raw));
  EXPECT_EQ(out.artifact_ref->label, "raw tool result for r1");
  EXPECT_EQ(out.sensitivity, cw::Sensitivity::internal);  // DECISIONS C5
  EXPECT_EQ(out.token_estimate, 6);
  EXPECT_EQ(env->status, "ok");
  EXPECT_EQ(env->provenance, (cw::Json{{"source_item_id", "r1"}}));
  EXPECT_EQ(hook.fired, 1);
}

TEST(Firewall, FactsExtracted) {
  cw::InMemoryArtifactStore store;
  auto [out, env] = cw::apply_firewall(result("r", "status: ok\ncount: 2\n\n- INV-1\n- INV-2"), store);
  EXPECT_EQ(env->facts, (std::vector<std::string>{"status: ok", "count: 2", "INV-1", "INV-2"}));
  ASSERT_EQ(env->views.size(), 1u);
  EXPECT_EQ(env->views[0].label, "Head (5 lines)");
}

TEST(Firewall, BatchKeepsOrderAndCollectsEnvelopes) {
  cw::InMemoryArtifactStore store;
  cw::ContextItem u = result("u", "q");
  u.kind = cw::ItemKind::user_turn;
  cw::ContextItem c = result("c", "call()");
  c.kind = cw::ItemKind::tool_call;
  auto [items, envs] = cw::apply_firewall_to_batch({u, c, result("r", "out")}, store);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].id, "u");
  EXPECT_EQ(items[2].id, "r");
  ASSERT_EQ(envs.size(), 1u);
  EXPECT_EQ(envs[0].provenance["source_item_id"], "r");
}

TEST(Firewall, SummaryAndExtractFailures) {
  cw::InMemoryArtifactStore store;
  ThrowingSummarizer bad_sum;
  ThrowingExtractor bad_ext;
  auto [a, env_a] = cw::apply_firewall(result("a", "x: 1"), store, {nullptr, nullptr, &bad_sum});
  EXPECT_EQ(env_a->status, "error");
  EXPECT_EQ(env_a->summary, "(summary unavailable)");
  auto [b, env_b] = cw::apply_firewall(result("b", "x: 1"), store, {nullptr, nullptr, nullptr, &bad_ext});
  EXPECT_EQ(env_b->status, "partial");
  EXPECT_TRUE(env_b->facts.empty());
  auto [c, env_c] = cw::apply_firewall(result("c", "x: 1"), store, {nullptr, nullptr, &bad_sum, &bad_ext});
  EXPECT_EQ(env_c->status, "error");
}

TEST(Firewall, CustomSummarizerAndExtractorAlsoInBatch) {
  cw::InMemoryArtifactStore store;
  FixedSummarizer sum;
  FixedExtractor ext;
  auto [items, envs] = cw::apply_firewall_to_batch({result("r", "hello world")}, store, {nullptr, nullptr, &sum, &ext});
  EXPECT_EQ(items[0].text, "custom summary");
  EXPECT_EQ(envs[0].facts, (std::vector<std::string>{"[fact]hello"}));
}

TEST(Firewall, MediaTypeFromMetadata) {
  cw::InMemoryArtifactStore store;
  auto item = result("j", R"({"a": 1})");
  item.metadata = cw::Json{{"media_type", "application/json"}};
  cw::apply_firewall(item, store);
  EXPECT_EQ(store.ref("artifact:j").media_type, "application/json");
  cw::apply_firewall(result("p", "x"), store);
  EXPECT_EQ(store.ref("artifact:p").media_type, "text/plain");
}

TEST(Firewall, SecondPassIsIdempotent) {
  CountingStore store;
  auto [once, env] = cw::apply_firewall(result("r", "raw bytes"), store);
  auto [twice, env2] = cw::apply_firewall(once, store);
  EXPECT_FALSE(env2.has_value());
  EXPECT_EQ(twice, once);
  EXPECT_EQ(store.get("artifact:r"), "raw bytes");
  EXPECT_EQ(store.puts, 1);
}

TEST(Firewall, UnchangedArtifactIsNotRewritten) {  // DECISIONS C5
  CountingStore store;
  cw::apply_firewall(result("r", "same"), store);
  cw::apply_firewall(result("r", "same"), store);
  EXPECT_EQ(store.puts, 1);
  cw::apply_firewall(result("r", "changed"), store);
  EXPECT_EQ(store.puts, 2);
  EXPECT_EQ(store.get("artifact:r"), "changed");
}

TEST(Firewall, DefaultSummaryTruncatesInCodePoints) {
  std::string text;
  for (int i = 0; i < 600; ++i) text += "\u00e9";
  const std::string s = cw::default_summary(text);
  std::string expected;
  for (int i = 0; i < 500; ++i) expected += "\u00e9";
  EXPECT_EQ(s, expected + "\u2026");
  EXPECT_EQ(cw::default_summary("  a\n\nb"), "a");
}

TEST(Firewall, UsesConfiguredEstimator) {  // DECISIONS C5
  struct Words final : cw::TokenEstimator {
    std::int64_t estimate(std::string_view) const override { return 42; }
  } est;
  cw::InMemoryArtifactStore store;
  auto [out, env] = cw::apply_firewall(result("r", "abc"), store, {nullptr, nullptr, nullptr, nullptr, &est});
  EXPECT_EQ(out.token_estimate, 42);
}
