// InMemoryEventLog beyond the conformance suite: serialisation, lifecycle
// (tests/test_store_event_log.py) and the indexes agreeing with a plain scan.
#include <gtest/gtest.h>

#include <random>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/in_memory_event_log.hpp"
#include "store/event_log_conformance.hpp"

namespace {

using namespace contextweaver;

// test_roundtrip
TEST(InMemoryEventLog, RoundTrip) {
  InMemoryEventLog log;
  log.append(cwconf::make_item("a", ItemKind::user_turn, "hello"));
  ContextItem b = cwconf::make_item("b", ItemKind::tool_result, "out", "a");
  b.artifact_ref = ArtifactRef{"h", "text/plain", 3, "", ""};
  log.append(b);
  const Json dict = log.to_dict();
  EXPECT_EQ(dumps(dict),
            R"({"items": [{"id": "a", "kind": "user_turn", "text": "hello", "token_estimate": 0, "sensitivity": )"
            R"("public", "metadata": {}, "parent_id": null, "artifact_ref": null}, {"id": "b", "kind": "tool_result", )"
            R"("text": "out", "token_estimate": 0, "sensitivity": "public", "metadata": {}, "parent_id": "a", )"
            R"("artifact_ref": {"handle": "h", "media_type": "text/plain", "size_bytes": 3, "label": ""}}]})");
  const auto restored = InMemoryEventLog::from_dict(dict);
  EXPECT_EQ(restored->all(), log.all());
  EXPECT_EQ(restored->get("a").text, "hello");
  EXPECT_EQ(cwconf::ids_of(restored->children("a")), (cwconf::Ids{"b"}));
}

TEST(InMemoryEventLog, FromDictEdgeCases) {
  EXPECT_EQ(InMemoryEventLog::from_dict(Json::object())->count(), 0u);
  EXPECT_THROW(InMemoryEventLog::from_dict(loads(R"({"items": null})")), TypeError);
  EXPECT_THROW(InMemoryEventLog::from_dict(loads("[]")), TypeError);
  EXPECT_THROW(InMemoryEventLog::from_dict(loads(R"({"items": [{"id": "a", "kind": "user_turn"}]})")), KeyError);
  EXPECT_THROW(
      InMemoryEventLog::from_dict(loads(
          R"({"items": [{"id": "a", "kind": "user_turn", "text": ""}, {"id": "a", "kind": "policy", "text": ""}]})")),
      DuplicateItemError);
}

// test_close_is_noop_and_idempotent / test_context_manager_closes_and_preserves_state:
// closing the in-memory log keeps it fully usable.
TEST(InMemoryEventLog, CloseIsNoopAndIdempotent) {
  auto log = std::make_unique<InMemoryEventLog>();
  log->append(cwconf::make_item("a"));
  log->close();
  log->close();
  EXPECT_EQ(log->get("a").id, "a");
  log->append(cwconf::make_item("b"));
  EXPECT_EQ(log->count(), 2u);
}

// The kind and parent indexes give exactly what a scan of the log gives.
TEST(InMemoryEventLog, IndexesAgreeWithPlainScan) {
  std::mt19937 rng(12345);
  InMemoryEventLog log;
  std::vector<ContextItem> items;
  for (int i = 0; i < 400; ++i) {
    const auto kind = kAllItemKinds[rng() % 4];
    std::optional<std::string> parent;
    if (i > 0 && rng() % 3 == 0) parent = "x" + std::to_string(rng() % i);
    items.push_back(cwconf::make_item("x" + std::to_string(i), kind, "", parent));
  }
  log.append_many(items);
  const auto n = static_cast<std::int64_t>(items.size());
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<ItemKind> kinds;
    for (int k = 0, m = static_cast<int>(rng() % 4); k < m; ++k) kinds.push_back(kAllItemKinds[rng() % 5]);
    const bool use_kinds = rng() % 4 != 0;
    const std::optional<std::int64_t> since =
        rng() % 3 ? std::optional<std::int64_t>(static_cast<std::int64_t>(rng() % 900) - 450) : std::nullopt;
    const std::optional<std::int64_t> limit =
        rng() % 3 ? std::optional<std::int64_t>(static_cast<std::int64_t>(rng() % 900) - 450) : std::nullopt;
    // The reference's algorithm, on the plain list.
    std::vector<ContextItem> expected;
    if (!(use_kinds && kinds.empty())) {
      const SliceRange s = py_slice(items.size(), since, std::nullopt);
      std::vector<ContextItem> window(items.begin() + static_cast<std::ptrdiff_t>(s.begin), items.end());
      if (use_kinds) {
        std::erase_if(window, [&](const ContextItem& it) {
          return std::find(kinds.begin(), kinds.end(), it.kind) == kinds.end();
        });
      }
      const SliceRange l = py_slice(window.size(), std::nullopt, limit);
      expected.assign(window.begin() + static_cast<std::ptrdiff_t>(l.begin),
                      window.begin() + static_cast<std::ptrdiff_t>(l.end));
    }
    const auto got = log.query(use_kinds ? std::optional(kinds) : std::nullopt, since, limit);
    ASSERT_EQ(cwconf::ids_of(got), cwconf::ids_of(expected)) << "trial " << trial;
  }
  for (std::int64_t i = 0; i < n; ++i) {
    const std::string id = "x" + std::to_string(i);
    std::vector<std::string> expected;
    for (const auto& it : items) {
      if (it.parent_id == id) expected.push_back(it.id);
    }
    ASSERT_EQ(cwconf::ids_of(log.children(id)), expected);
  }
}

}  // namespace
