#include <gtest/gtest.h>

#include <algorithm>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/evaluation.hpp"
#include "contextweaver/routing/default_router.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;

namespace {

// Same ids, scores (bit for bit) and explanations for every query.
void expect_same_ranking(const cw::DefaultRouter& a, const cw::DefaultRouter& b,
                         const std::vector<std::string>& queries) {
  for (const auto& q : queries) {
    const auto ra = a.rank(q);
    const auto rb = b.rank(q);
    ASSERT_EQ(ra.candidates.size(), rb.candidates.size()) << q;
    for (std::size_t i = 0; i < ra.candidates.size(); ++i) {
      EXPECT_EQ(ra.candidates[i].id, rb.candidates[i].id) << q;
      EXPECT_EQ(ra.candidates[i].score, rb.candidates[i].score) << q;
      EXPECT_EQ(ra.candidates[i].matches.size(), rb.candidates[i].matches.size()) << q;
    }
    EXPECT_EQ(ra.refused, rb.refused) << q;
    EXPECT_EQ(ra.confidence, rb.confidence) << q;
  }
}

std::vector<std::string> dev_queries(const std::filesystem::path& shared) {
  std::vector<std::string> out;
  for (const auto& g : cw::load_dev_gold(shared / "data/dev_routing/gold.json")) out.push_back(g.query);
  return out;
}

}  // namespace

TEST(Incremental, AddAndRemoveMatchAFreshBuild) {
  CW_REQUIRE_SHARED(shared);
  const auto items = cw::load_catalog_array(shared / "data/dev_routing/catalog.json");
  // Fresh build over the odd-positioned tools.
  std::vector<cw::SelectableItem> odd;
  for (std::size_t i = 1; i < items.size(); i += 2) odd.push_back(items[i]);
  const cw::DefaultRouter fresh(odd);
  // Incremental: start from all tools, remove the even ones in a scrambled
  // order, then remove and re-add some odd ones (slots get reused).
  cw::DefaultRouter inc(items);
  std::vector<std::size_t> even;
  for (std::size_t i = 0; i < items.size(); i += 2) even.push_back(i);
  std::rotate(even.begin(), even.begin() + static_cast<std::ptrdiff_t>(even.size() / 3), even.end());
  for (const auto i : even) inc.remove(items[i].id);
  for (std::size_t i = 1; i < 60; i += 4) inc.remove(items[i].id);
  for (std::size_t i = 1; i < 60; i += 4) inc.add(items[i]);
  ASSERT_EQ(inc.size(), fresh.size());
  expect_same_ranking(fresh, inc, dev_queries(shared));
}

TEST(Persistence, SaveLoadRoundTripRanksIdentically) {
  CW_REQUIRE_SHARED(shared);
  const auto items = cw::load_catalog_array(shared / "data/dev_routing/catalog.json");
  cw::DefaultRouterConfig config;
  config.related_factor = 0.5;
  const cw::DefaultRouter original(items, config);
  cwtest::TempDir dir;
  original.save(dir / "index.json");
  const auto loaded = cw::DefaultRouter::load(dir / "index.json");
  EXPECT_EQ(loaded.size(), original.size());
  EXPECT_EQ(loaded.config().to_json(), original.config().to_json());
  EXPECT_EQ(loaded.to_json(), original.to_json());
  expect_same_ranking(original, loaded, dev_queries(shared));
}

TEST(Persistence, StaleAnalyzerFingerprintReanalyzes) {
  cw::SelectableItem item;
  item.id = "mail.send_email";
  item.name = "send_email";
  item.description = "Send an email.";
  const cw::DefaultRouter original({item});
  cw::Json data = original.to_json();
  data["analyzer"] = "some-older-analyzer";
  data["tools"][0]["terms"]["name"] = cw::Json::array({"garbage"});
  const auto loaded = cw::DefaultRouter::from_json(data);
  EXPECT_EQ(loaded.to_json(), original.to_json());
}

TEST(Persistence, RejectsBadInputWithTypedErrors) {
  cwtest::TempDir dir;
  EXPECT_THROW(cw::DefaultRouter::load(dir / "missing.json"), cw::StorageError);
  cwtest::write_file(dir / "bad.json", "{not json");
  EXPECT_THROW(cw::DefaultRouter::load(dir / "bad.json"), cw::JsonDecodeError);
  EXPECT_THROW(cw::DefaultRouter::from_json(cw::Json{{"format", "other"}}), cw::ValueError);
  const cw::DefaultRouter empty;
  cw::Json data = empty.to_json();
  data["version"] = 99;
  EXPECT_THROW(cw::DefaultRouter::from_json(data), cw::ValueError);
  data = empty.to_json();
  data.erase("tools");
  EXPECT_THROW(cw::DefaultRouter::from_json(data), cw::KeyError);
  data = empty.to_json();
  cw::SelectableItem item;
  item.id = "a.b";
  data["tools"] = cw::Json::array({cw::Json{{"item", item.to_dict()}, {"terms", 3}}});
  EXPECT_THROW(cw::DefaultRouter::from_json(data), cw::TypeError);
  EXPECT_THROW(empty.save(dir / "no" / "such" / "dir.json"), cw::StorageError);
}

TEST(Persistence, InvalidUtf8IsATypedErrorAndLeavesNoFile) {
  cw::SelectableItem item;
  item.id = "a.b";
  item.name = "b";
  item.description = "bad \xFF byte";
  const cw::DefaultRouter r({item});
  cwtest::TempDir dir;
  EXPECT_THROW(r.save(dir / "index.json"), cw::ValueError);
  EXPECT_FALSE(std::filesystem::exists(dir / "index.json"));
}
