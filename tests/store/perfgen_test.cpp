// The C++ port of perf.md's generator reproduces the Python bytes (the
// checksums published in spec/perf.md).
#include <gtest/gtest.h>

#include "store/perfgen.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/sha256.hpp"

namespace {

using namespace contextweaver;

std::string joined_texts(const std::vector<ContextItem>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += '\n';
    out += items[i].text;
  }
  return out;
}

TEST(Perfgen, EventTextsAndTagsMatchPublishedChecksums) {
  const auto events = cwperf::gen_events(10000);
  EXPECT_EQ(sha256_hex(joined_texts(events)), "980a3a0247255f4bf3a05a5138aee21739320f6a4c6125684e62404d3a748ff2");
  Json tags = Json::array();
  for (const auto& e : events) tags.push_back(e.metadata["tags"]);
  EXPECT_EQ(sha256_hex(dumps(tags)), "da32bb2ba1af9700c57489fbfd7741871ca74eda61e77682e36838ee421bc2fb");
  EXPECT_EQ(events[2].parent_id, std::optional<std::string>("ev000000"));
  EXPECT_EQ(events[3].parent_id, std::optional<std::string>("ev000002"));
  EXPECT_EQ(events[5].metadata["turn"], 1);
  EXPECT_EQ(events[0].token_estimate, static_cast<std::int64_t>(events[0].text.size() / 4));
}

TEST(Perfgen, HundredThousandEventTexts) {
  EXPECT_EQ(sha256_hex(joined_texts(cwperf::gen_events(100000))),
            "37745718c8365f86d7a398a9458e8a5c13e1f6344af9eeb2f9c3866de0e6fa73");
}

TEST(Perfgen, ArtifactsMatchPublishedChecksums) {
  const std::string first = cwperf::gen_artifact(0);
  EXPECT_EQ(first.size(), 65536u);
  EXPECT_EQ(sha256_hex(first), "db777f0ab63013afd8cc005cfd0019df11d26a2d9e4d9c87cfe1d673491227a2");
  std::string all;
  all.reserve(1000 * 65536);
  for (int k = 0; k < 1000; ++k) all += cwperf::gen_artifact(k);
  EXPECT_EQ(sha256_hex(all), "05b7c85557ca829b8ffac6d62463b864959760ca740d179070be1779b9446a2b");
}

TEST(Perfgen, PickIds) {
  EXPECT_EQ(cwperf::pick_ids(10000, 5),
            (std::vector<std::string>{"ev004487", "ev005804", "ev009346", "ev002203", "ev003674"}));
  EXPECT_EQ(cwperf::pick_ids(100000, 5),
            (std::vector<std::string>{"ev074487", "ev055804", "ev009346", "ev072203", "ev023674"}));
  EXPECT_EQ(cwperf::pick_ids(10000, 10000).size(), 10000u);
}

}  // namespace

namespace {

// The direct printer equals json.dumps(indent=1) of the same object (core dumps).
TEST(Perfgen, ArtifactPrinterMatchesDumps) {
  for (int k : {0, 7}) {
    const Json parsed = loads(cwperf::gen_artifact(k));
    EXPECT_EQ(dumps(parsed, DumpOptions{false, 1, true}), cwperf::gen_artifact(k));
    EXPECT_EQ(parsed["rows"].size(), 400u);
  }
}

}  // namespace
