// Loading encoder tables: format errors, the search order, and the
// TiktokenEstimator's model mapping and permanent fallback.
#include "tokens/synthetic_table.hpp"
#include "tokens/tokens_test_support.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/tokens/bpe.hpp"
#include "contextweaver/tokens/estimator.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>

namespace {

using contextweaver::BpeEncoding;

template <class Error>
void expect_load_error(const std::string& json, const std::string& fragment) {
  try {
    (void)BpeEncoding::from_json(json, "t");
    ADD_FAILURE() << "expected an error containing '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

std::string valid_json() {
  return cwtest::to_encoder_json(cwtest::make_synthetic_table(3, 20));
}

std::string with(const std::string& key, const contextweaver::Json& value) {
  auto doc = contextweaver::Json::parse(valid_json());
  doc[key] = value;
  return doc.dump();
}

TEST(BpeLoad, RejectsMalformedTables) {
  expect_load_error<contextweaver::JsonDecodeError>("{not json", "not valid JSON");
  expect_load_error<contextweaver::ValueError>("[]", "not a JSON object");
  auto doc = contextweaver::Json::parse(valid_json());
  doc.erase("bpe_ranks");
  expect_load_error<contextweaver::ValueError>(doc.dump(), "no \"bpe_ranks\"");
  expect_load_error<contextweaver::ValueError>(with("pat_str", "\\s+"), "unsupported pat_str");
  expect_load_error<contextweaver::ValueError>(with("bpe_ranks", 5), "must be strings");
  expect_load_error<contextweaver::ValueError>(with("bpe_ranks", "! 0 YQ= Yg=="), "invalid base64 token 'YQ='");
  expect_load_error<contextweaver::ValueError>(with("bpe_ranks", "! x YQ=="), "invalid rank offset 'x'");
  expect_load_error<contextweaver::ValueError>(with("bpe_ranks", "! 0 YQ== YQ=="), "duplicate token or rank 1");
  expect_load_error<contextweaver::ValueError>(with("bpe_ranks", "! 0 YQ== Yg=="),
                                               "lacks a token for some single byte");
  expect_load_error<contextweaver::ValueError>(with("bpe_ranks", ""), "holds no tokens");
  expect_load_error<contextweaver::ValueError>(with("special_tokens", {{"<|a|>", 3}}), "collides with a rank");
  expect_load_error<contextweaver::ValueError>(with("special_tokens", {{"<|a|>", -1}}), "invalid id");
  expect_load_error<contextweaver::ValueError>(with("special_tokens", {{"<|a", 9000}, {"<|ab|>", 9001}}), "overlap");
}

TEST(BpeLoad, SearchOrderExplicitFileOrFolderThenEnvironment) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "mytable.json", valid_json());
  EXPECT_EQ(BpeEncoding::find_table("mytable", dir / "mytable.json"), dir / "mytable.json");
  EXPECT_EQ(BpeEncoding::find_table("mytable", dir.path()), dir / "mytable.json");
  EXPECT_FALSE(BpeEncoding::find_table("mytable", dir / "elsewhere").has_value());
  ::setenv("CONTEXTWEAVER_TOKENIZER_DIR", dir.path().c_str(), 1);
  EXPECT_EQ(BpeEncoding::find_table("mytable"), dir / "mytable.json");
  const auto enc = BpeEncoding::load("mytable");
  EXPECT_EQ(enc->name(), "mytable");
  EXPECT_EQ(BpeEncoding::load("mytable"), enc);  // cached per file
  ::unsetenv("CONTEXTWEAVER_TOKENIZER_DIR");
  try {
    (void)BpeEncoding::load("no_such_encoding", dir.path());
    FAIL() << "expected StorageError";
  } catch (const contextweaver::StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_encoding.json not found"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)BpeEncoding::load_file(dir / "missing.json", "x"), contextweaver::StorageError);
}

TEST(TiktokenEstimatorTest, MapsModelsToEncodings) {
  using contextweaver::encoding_name_for_model;
  EXPECT_EQ(encoding_name_for_model("cl100k_base"), "cl100k_base");
  EXPECT_EQ(encoding_name_for_model("gpt-4"), "cl100k_base");
  EXPECT_EQ(encoding_name_for_model("gpt-4-0613"), "cl100k_base");
  EXPECT_EQ(encoding_name_for_model("gpt-3.5-turbo-16k"), "cl100k_base");
  EXPECT_EQ(encoding_name_for_model("text-embedding-3-small"), "cl100k_base");
  EXPECT_EQ(encoding_name_for_model("gpt-4o"), "o200k_base");
  EXPECT_EQ(encoding_name_for_model("gpt-4o-mini"), "o200k_base");
  EXPECT_EQ(encoding_name_for_model("o200k_base"), "o200k_base");
  EXPECT_FALSE(encoding_name_for_model("gpt2").has_value());
  EXPECT_FALSE(encoding_name_for_model("").has_value());
}

struct CapturedLog {
  std::mutex mutex;
  std::vector<std::string> warnings;
};

TEST(TiktokenEstimatorTest, FallsBackToCharDivFourWithOneWarning) {
  auto captured = std::make_shared<CapturedLog>();
  contextweaver::set_log_sink([captured](contextweaver::LogLevel level, std::string_view logger, std::string_view msg) {
    std::lock_guard lock(captured->mutex);
    if (level == contextweaver::LogLevel::warning && logger == "contextweaver.tokens")
      captured->warnings.emplace_back(msg);
  });
  const contextweaver::TiktokenEstimator unknown("not-a-model");
  cwtest::TempDir dir;
  cwtest::write_file(dir / "broken.json", "{\"pat_str\": 1}");
  const contextweaver::TiktokenEstimator broken("cl100k_base", dir / "broken.json");
  contextweaver::set_log_sink({});

  for (const auto* est : {&unknown, &broken}) {
    EXPECT_TRUE(est->is_fallback());
    EXPECT_EQ(est->estimate(""), 0);
    EXPECT_EQ(est->estimate("hello world!"), 3);
    EXPECT_EQ(est->estimate("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"), 1);  // code points, not bytes
  }
  ASSERT_EQ(captured->warnings.size(), 2u);
  EXPECT_NE(captured->warnings[0].find("unknown model or encoding 'not-a-model'"), std::string::npos);
  EXPECT_NE(captured->warnings[1].find("falling back to CharDivFourEstimator"), std::string::npos);
}

TEST(TiktokenEstimatorTest, CountsTokensWithAnExplicitTable) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "cl100k_base.json", valid_json());
  const contextweaver::TiktokenEstimator est("gpt-4", dir.path());
  ASSERT_FALSE(est.is_fallback());
  EXPECT_EQ(est.model(), "gpt-4");
  const std::string text = "abc abd <|end|> zz";
  EXPECT_EQ(est.estimate(text), static_cast<std::int64_t>(est.encoding()->encode_ordinary(text).size()));
}

TEST(TiktokenEstimatorTest, RealCl100kCountsAndSpecialTokensAsText) {
  CW_REQUIRE_ENCODING(enc, "cl100k_base");
  const contextweaver::TiktokenEstimator est("cl100k_base", cwtest::tiktoken_npm_dir().value_or("") / "encoders");
  ASSERT_FALSE(est.is_fallback());
  EXPECT_EQ(est.estimate("hello world"), 2);
  EXPECT_EQ(est.estimate(""), 0);
  // "<|endoftext|>" counts as the text it is (the reference would raise).
  EXPECT_EQ(est.estimate("<|endoftext|>"), static_cast<std::int64_t>(enc->encode_ordinary("<|endoftext|>").size()));
  EXPECT_GT(est.estimate("<|endoftext|>"), 1);
}

}  // namespace
