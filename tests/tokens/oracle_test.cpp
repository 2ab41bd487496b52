// The C++ tokenizer against the real thing: the npm `tiktoken` package (the
// WASM build of tiktoken's Rust core) run under node on the same texts. Token
// ids must be identical. Skips, saying why, when the package or node is
// missing; scripts/bootstrap installs both, so they run in CI.
#include "tokens/oracle_corpus.hpp"
#include "tokens/tokens_test_support.hpp"

#include "contextweaver/tokens/estimator.hpp"

#include <gtest/gtest.h>

namespace {

void expect_matches_oracle(const std::string& name, const std::string& mode) {
  if (!cwtest::tiktoken_npm_dir()) GTEST_SKIP() << "tiktoken npm package absent (run scripts/bootstrap); skipped";
  if (!cwtest::node_available()) GTEST_SKIP() << "node is not installed (run scripts/bootstrap); skipped";
  const auto encoding = cwtest::real_encoding(name);
  if (!encoding) GTEST_SKIP() << name << ".json is absent (run scripts/bootstrap); skipped";

  const auto corpus = cwtest::oracle_corpus();
  ASSERT_GT(corpus.size(), 3500u);
  std::string error;
  const auto expected = cwtest::run_oracle(name, mode, corpus, error);
  ASSERT_TRUE(expected.has_value()) << error;

  int mismatches = 0;
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const auto got =
        mode == "ordinary" ? encoding->encode_ordinary(corpus[i]) : encoding->encode_with_special_tokens(corpus[i]);
    tokens += got.size();
    if (got != (*expected)[i] && ++mismatches <= 10) {
      ADD_FAILURE() << name << " " << mode << " text #" << i << " " << cwtest::escaped(corpus[i]) << "\n  oracle "
                    << ::testing::PrintToString((*expected)[i]) << "\n  ours   " << ::testing::PrintToString(got);
    }
    if (mode == "ordinary") {
      EXPECT_EQ(encoding->count(corpus[i]), (*expected)[i].size());
      EXPECT_EQ(encoding->decode((*expected)[i]), corpus[i]);
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << corpus.size() << " texts";
  EXPECT_GT(tokens, 100000u);
}

TEST(TiktokenOracle, Cl100kOrdinaryMatchesNpmTiktoken) {
  expect_matches_oracle("cl100k_base", "ordinary");
}
TEST(TiktokenOracle, Cl100kWithSpecialTokensMatchesNpmTiktoken) {
  expect_matches_oracle("cl100k_base", "special");
}
TEST(TiktokenOracle, O200kOrdinaryMatchesNpmTiktoken) {
  expect_matches_oracle("o200k_base", "ordinary");
}
TEST(TiktokenOracle, O200kWithSpecialTokensMatchesNpmTiktoken) {
  expect_matches_oracle("o200k_base", "special");
}

}  // namespace
