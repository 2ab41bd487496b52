// The error hierarchy's contract: every typed error is a ContextWeaverError
// with its own code(), and paths that once let a std:: exception escape now
// throw the typed error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/tfidf.hpp"

namespace contextweaver {
namespace {

TEST(Errors, InternalErrorIsAContextWeaverErrorWithItsOwnCode) {
  try {
    throw InternalError("broken invariant");
  } catch (const ContextWeaverError& error) {
    EXPECT_STREQ(error.what(), "broken invariant");
    EXPECT_STREQ(error.code(), "CW_INTERNAL");
  }
}

TEST(Errors, TfIdfIndexOutOfRangeIsAValueError) {
  TfIdfScorer scorer;
  scorer.fit({"alpha beta", "gamma"});
  try {
    scorer.score("alpha", 2);
    FAIL() << "no error for an index past the corpus";
  } catch (const ValueError& error) {
    EXPECT_STREQ(error.code(), "CW_VALUE");
    EXPECT_STREQ(error.what(), "TfIdfScorer::score: document index out of range");
  }
  EXPECT_THROW(scorer.score_tokens(std::vector<std::string>{"alpha"}, 2), ValueError);
  EXPECT_DOUBLE_EQ(scorer.score_tokens(std::vector<std::string>{"alpha"}, 0), scorer.score("alpha", 0));
}

}  // namespace
}  // namespace contextweaver
