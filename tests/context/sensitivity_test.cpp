// Port of test_sensitivity.py (with DECISIONS C7: redaction drops artifact_ref).
#include <gtest/gtest.h>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/sensitivity.hpp"
#include "contextweaver/core/errors.hpp"

namespace cw = contextweaver;
using cw::Sensitivity;

namespace {

cw::ContextItem item(const std::string& id, Sensitivity s, const std::string& text = "text") {
  cw::ContextItem i;
  i.id = id;
  i.kind = cw::ItemKind::doc_snippet;
  i.text = text;
  i.sensitivity = s;
  return i;
}

std::vector<cw::ContextItem> all_levels() {
  return {item("p", Sensitivity::public_), item("i", Sensitivity::internal), item("c", Sensitivity::confidential),
          item("r", Sensitivity::restricted)};
}

class UpperHook final : public cw::RedactionHook {
 public:
  cw::ContextItem redact(const cw::ContextItem& in) const override {
    cw::ContextItem out = in;
    out.text = "<" + in.text + ">";
    return out;
  }
};

}  // namespace

TEST(Sensitivity, OrderIsMonotonic) {
  EXPECT_LT(static_cast<int>(Sensitivity::public_), static_cast<int>(Sensitivity::internal));
  EXPECT_LT(static_cast<int>(Sensitivity::internal), static_cast<int>(Sensitivity::confidential));
  EXPECT_LT(static_cast<int>(Sensitivity::confidential), static_cast<int>(Sensitivity::restricted));
}

TEST(Sensitivity, DefaultFloorDropsConfidentialAndRestricted) {
  std::vector<cw::ContextItem> dropped;
  auto [kept, n] = cw::apply_sensitivity_filter(all_levels(), cw::ContextPolicy{}, &dropped);
  EXPECT_EQ(n, 2);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], item("p", Sensitivity::public_));
  EXPECT_EQ(kept[1], item("i", Sensitivity::internal));
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].id, "c");
}

TEST(Sensitivity, FloorRestrictedAndFloorPublic) {
  cw::ContextPolicy policy;
  policy.sensitivity_floor = Sensitivity::restricted;
  EXPECT_EQ(cw::apply_sensitivity_filter(all_levels(), policy).second, 1);
  policy.sensitivity_floor = Sensitivity::public_;
  auto [kept, n] = cw::apply_sensitivity_filter(all_levels(), policy);
  EXPECT_EQ(n, 4);
  EXPECT_TRUE(kept.empty());
  EXPECT_EQ(cw::apply_sensitivity_filter({}, policy).second, 0);
}

TEST(Sensitivity, RedactPreservesFieldsAndDropsArtifactRef) {
  cw::ContextPolicy policy;
  policy.sensitivity_action = "redact";
  auto c = item("c", Sensitivity::confidential, "SSN 123-45-6789");
  c.metadata = cw::Json{{"k", 1}};
  c.parent_id = "u1";
  c.artifact_ref = cw::ArtifactRef{"artifact:c", "text/plain", 15, "", ""};
  auto [kept, n] = cw::apply_sensitivity_filter({c, item("r", Sensitivity::restricted)}, policy);
  EXPECT_EQ(n, 0);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].text, "[REDACTED: confidential]");
  EXPECT_EQ(kept[0].token_estimate, 6);
  EXPECT_EQ(kept[0].id, "c");
  EXPECT_EQ(kept[0].kind, cw::ItemKind::doc_snippet);
  EXPECT_EQ(kept[0].metadata, c.metadata);
  EXPECT_EQ(kept[0].parent_id, c.parent_id);
  EXPECT_EQ(kept[0].sensitivity, Sensitivity::confidential);
  EXPECT_FALSE(kept[0].artifact_ref.has_value());  // DECISIONS C7
  EXPECT_EQ(kept[1].text, "[REDACTED: restricted]");
  EXPECT_EQ(kept[1].token_estimate, 5);
}

TEST(Sensitivity, MaskHookExplicitly) {
  cw::ContextPolicy policy;
  policy.sensitivity_action = "redact";
  policy.redaction_hooks = {"mask"};
  auto [kept, n] = cw::apply_sensitivity_filter({item("c", Sensitivity::confidential)}, policy);
  EXPECT_EQ(kept[0].text, "[REDACTED: confidential]");
  cw::MaskRedactionHook mask;
  auto masked = mask.redact(item("r", Sensitivity::restricted, "secret"));
  EXPECT_EQ(masked.text, "[REDACTED: restricted]");
  EXPECT_EQ(masked.token_estimate, 22 / 4);
}

TEST(Sensitivity, UnknownHookAndBadAction) {
  cw::ContextPolicy policy;
  policy.sensitivity_action = "redact";
  policy.redaction_hooks = {"nope"};
  try {
    cw::apply_sensitivity_filter({}, policy);
    FAIL() << "expected ConfigError";
  } catch (const cw::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("Unknown redaction hook 'nope'. Available: ["), std::string::npos);
  }
  policy.sensitivity_action = "shred";
  try {
    cw::apply_sensitivity_filter({}, policy);
    FAIL() << "expected ConfigError";
  } catch (const cw::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "Unknown sensitivity_action 'shred'. Valid: ['drop', 'redact']");
  }
}

TEST(Sensitivity, RegisteredCustomHookAndDuplicateRegistration) {
  static bool registered = false;
  if (!registered) {
    cw::register_redaction_hook("test_angle", std::make_shared<UpperHook>());
    registered = true;
  }
  cw::ContextPolicy policy;
  policy.sensitivity_action = "redact";
  policy.redaction_hooks = {"mask", "test_angle"};
  auto [kept, n] = cw::apply_sensitivity_filter({item("c", Sensitivity::confidential)}, policy);
  EXPECT_EQ(kept[0].text, "<[REDACTED: confidential]>");
  EXPECT_THROW(cw::register_redaction_hook("mask", std::make_shared<UpperHook>()), cw::PolicyViolationError);
}

TEST(Sensitivity, ItemSensitivityRoundTrip) {
  auto d = item("x", Sensitivity::restricted).to_dict();
  EXPECT_EQ(d["sensitivity"], "restricted");
  EXPECT_EQ(cw::ContextItem::from_dict(d).sensitivity, Sensitivity::restricted);
  EXPECT_EQ(cw::ContextItem::from_dict(cw::Json{{"id", "a"}, {"kind", "user_turn"}, {"text", ""}}).sensitivity,
            Sensitivity::public_);
}

TEST(Sensitivity, ManagerBuildDropsAndRedacts) {
  for (const std::string action : {"drop", "redact"}) {
    cw::ContextManager m;
    cw::ContextPolicy policy;
    policy.sensitivity_action = action;
    m.set_policy(policy);
    m.ingest(item("safe", Sensitivity::public_, "Weather is sunny"));
    auto secret = item("ssn", Sensitivity::restricted, "SSN 123-45-6789");
    m.ingest(secret);
    auto pack = m.build();
    EXPECT_EQ(pack.prompt.find("SSN"), std::string::npos);
    EXPECT_NE(pack.prompt.find("Weather is sunny"), std::string::npos);
    if (action == "drop") {
      EXPECT_GE(cw::get_count(pack.stats.dropped_reasons, "sensitivity"), 1);
    } else {
      EXPECT_NE(pack.prompt.find("[REDACTED: restricted]"), std::string::npos);
      EXPECT_EQ(pack.stats.dropped_count, 0);
    }
  }
}
