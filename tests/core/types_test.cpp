#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/types.hpp"

using namespace contextweaver;

TEST(Types, EnumValues) {
  EXPECT_EQ(to_string(Sensitivity::public_), "public");
  EXPECT_EQ(to_string(Sensitivity::restricted), "restricted");
  EXPECT_EQ(to_string(ItemKind::tool_result), "tool_result");
  EXPECT_EQ(parse_item_kind("policy"), ItemKind::policy);
  try {
    parse_item_kind("bogus");
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "'bogus' is not a valid ItemKind");
  }
  EXPECT_THROW(item_kind_from_json(Json(nullptr)), ValueError);
}

TEST(Types, ArtifactRefRoundTripAndKeyOrder) {
  ArtifactRef ref{"h1", "text/plain", 11, "lbl", ""};
  EXPECT_EQ(dumps(ref.to_dict()), R"({"handle": "h1", "media_type": "text/plain", "size_bytes": 11, "label": "lbl"})");
  ref.content_hash = "ab";
  EXPECT_EQ(ArtifactRef::from_dict(ref.to_dict()), ref);
  EXPECT_EQ(ArtifactRef::from_dict(loads(R"({"handle":"h","media_type":"m","size_bytes":"12"})")).size_bytes, 12);
  EXPECT_EQ(ArtifactRef::from_dict(loads(R"({"handle":"h","media_type":"m","size_bytes":3.9})")).size_bytes, 3);
  EXPECT_THROW(ArtifactRef::from_dict(loads(R"({"handle":"h","media_type":"m"})")), KeyError);
  EXPECT_THROW(ArtifactRef::from_dict(loads(R"({"handle":"h","media_type":"m","size_bytes":"x"})")), ValueError);
  EXPECT_THROW(ArtifactRef::from_dict(loads(R"({"handle":"h","media_type":"m","size_bytes":null})")), TypeError);
  EXPECT_THROW(ArtifactRef::from_dict(loads("[]")), TypeError);
}

TEST(Types, ContextItemRoundTrip) {
  ContextItem item;
  item.id = "c1";
  item.kind = ItemKind::tool_result;
  item.text = "out";
  item.metadata["k"] = "v";
  item.parent_id = "p1";
  item.artifact_ref = ArtifactRef{"h", "m", 3, "", ""};
  EXPECT_EQ(dumps(item.to_dict()),
            R"({"id": "c1", "kind": "tool_result", "text": "out", "token_estimate": 0, "sensitivity": "public", )"
            R"("metadata": {"k": "v"}, "parent_id": "p1", "artifact_ref": {"handle": "h", "media_type": "m", )"
            R"("size_bytes": 3, "label": ""}})");
  EXPECT_EQ(ContextItem::from_dict(item.to_dict()), item);
  const auto bare = ContextItem::from_dict(loads(R"({"id":"x","kind":"user_turn","text":"t","artifact_ref":{}})"));
  EXPECT_FALSE(bare.artifact_ref.has_value());
  EXPECT_EQ(bare.sensitivity, Sensitivity::public_);
  EXPECT_THROW(ContextItem::from_dict(loads(R"({"id":"x","kind":"user_turn","text":"t","sensitivity":null})")),
               ValueError);
  EXPECT_THROW(ContextItem::from_dict(loads(R"({"id":"x","kind":"user_turn","text":"t","metadata":null})")),
               TypeError);
}

TEST(Types, ViewFactEpisodeSelectable) {
  ViewSpec view{"v1", "Head", loads(R"({"type":"head"})"), std::nullopt};
  EXPECT_EQ(dumps(view.to_dict()), R"({"view_id": "v1", "label": "Head", "selector": {"type": "head"}, "artifact_ref": null})");
  EXPECT_EQ(ViewSpec::from_dict(view.to_dict()), view);
  Fact fact{"f1", "color", "blue", {"a"}, Json::object()};
  EXPECT_EQ(Fact::from_dict(fact.to_dict()), fact);
  Episode ep{"e1", "did a thing", {"db"}, loads(R"({"n":1})")};
  EXPECT_EQ(Episode::from_dict(ep.to_dict()), ep);
  const auto item = SelectableItem::from_dict(
      loads(R"({"id":"t","kind":"tool","name":"n","description":"d","side_effects":"false","cost_hint":"1.5"})"));
  EXPECT_TRUE(item.side_effects);  // Python truthiness: a non-empty string is true
  EXPECT_EQ(item.cost_hint, 1.5);
  EXPECT_EQ(item.to_dict().size(), 13u);
}

TEST(Errors, HierarchyAndMessages) {
  const auto check = [](const ContextWeaverError& e, const char* message) { EXPECT_STREQ(e.what(), message); };
  check(BudgetExceededError("m1"), "m1");
  check(StoreClosedError("SqliteEventLog is closed"), "SqliteEventLog is closed");
  EXPECT_THROW(throw PathInvalidError("p"), CatalogError);
  EXPECT_THROW(throw StoreClosedError("x"), ContextWeaverError);
  EXPECT_STREQ(StoreClosedError("x").code(), "CW_STORE_CLOSED");
}
