// tokenize_fast must equal core tokenize() on every input.
#include <gtest/gtest.h>

#include <random>

#include "contextweaver/context/fast_tokenize.hpp"
#include "contextweaver/core/tokenize.hpp"

namespace cw = contextweaver;

TEST(FastTokenize, MatchesCoreOnExamples) {
  for (const char* text : {"Hello, World! billing.invoices.search foo_bar a-b x/y .search. The API-v2 café İstanbul",
                           "crm..deals", "deploy-the-app", "admin:users:create", "", "--", "a", "K-9 ./-x-/.",
                           "Search the database quickly!", "v1.2.3 1,234 HTTPS://X.ORG/p?q=1"}) {
    EXPECT_EQ(cw::tokenize_fast(text), cw::tokenize(text)) << text;
  }
}

TEST(FastTokenize, MatchesCoreOnRandomAscii) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "abcXYZ09_./-: ,!the and";
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const int len = static_cast<int>(rng() % 40);
    for (int i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
    ASSERT_EQ(cw::tokenize_fast(text), cw::tokenize(text)) << text;
  }
}
