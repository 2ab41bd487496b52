// The merge loop against a naive transcription of tiktoken's algorithm, on a
// synthetic vocabulary (no downloaded table needed), plus encode/decode rules.
#include "tokens/synthetic_table.hpp"
#include "tokens/tokens_test_support.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/tokens/bpe.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace {

using contextweaver::BpeEncoding;
using contextweaver::TokenId;

// tiktoken's _byte_pair_merge, written as plainly as possible: merge the
// adjacent pair with the lowest rank (leftmost on ties) until none is a token.
std::vector<TokenId> naive_bpe(const std::map<std::string, TokenId>& ranks, const std::string& piece) {
  std::vector<std::string> parts;
  for (char c : piece) parts.emplace_back(1, c);
  while (parts.size() > 1) {
    std::size_t best = 0;
    TokenId best_rank = UINT32_MAX;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      const auto it = ranks.find(parts[i] + parts[i + 1]);
      if (it != ranks.end() && it->second < best_rank) {
        best_rank = it->second;
        best = i;
      }
    }
    if (best_rank == UINT32_MAX) break;
    parts[best] += parts[best + 1];
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  std::vector<TokenId> out;
  for (const auto& p : parts) out.push_back(ranks.at(p));
  return out;
}

class SyntheticBpe : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = cwtest::make_synthetic_table(7, 400);
    for (TokenId r = 0; r < table_.tokens.size(); ++r) ranks_[table_.tokens[r]] = r;
    enc_ = BpeEncoding::from_json(cwtest::to_encoder_json(table_), "synthetic");
  }
  cwtest::SyntheticTable table_;
  std::map<std::string, TokenId> ranks_;
  std::shared_ptr<const BpeEncoding> enc_;
};

TEST_F(SyntheticBpe, LoadsEveryTokenAndSpecial) {
  EXPECT_EQ(enc_->vocab_size(), table_.tokens.size());
  EXPECT_EQ(enc_->special_tokens().size(), 2u);
  EXPECT_EQ(enc_->pattern(), contextweaver::PretokenPattern::cl100k);
  EXPECT_EQ(enc_->name(), "synthetic");
}

TEST_F(SyntheticBpe, MergesMatchTiktokensAlgorithmOnShortAndLongPieces) {
  // One letter run is one piece, so lengths above and below the heap
  // threshold exercise both merge strategies.
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> letter(0, 3);
  for (std::size_t len : {1, 2, 3, 5, 8, 13, 40, 95, 96, 97, 150, 400, 1200}) {
    for (int rep = 0; rep < (len < 400 ? 8 : 2); ++rep) {
      std::string word;
      for (std::size_t i = 0; i < len; ++i) word += static_cast<char>('a' + letter(rng));
      ASSERT_EQ(enc_->encode_ordinary(word), naive_bpe(ranks_, word)) << "length " << len;
    }
  }
  // Repeated letters make many equal-rank pairs: ties go to the leftmost.
  for (std::size_t len : {4, 7, 120, 600}) {
    const std::string word(len, 'a');
    EXPECT_EQ(enc_->encode_ordinary(word), naive_bpe(ranks_, word)) << "length " << len;
  }
}

TEST_F(SyntheticBpe, EncodeDecodeRoundTripsAndCountAgrees) {
  const std::string text = "abcd dcba  aabbccdd\n\nxyz 123 <|end|> caf\xC3\xA9 \xF0\x9F\x98\x80!";
  const auto ids = enc_->encode_ordinary(text);
  EXPECT_EQ(enc_->decode(ids), text);
  EXPECT_EQ(enc_->count(text), ids.size());
  EXPECT_EQ(enc_->count(""), 0u);
  EXPECT_TRUE(enc_->encode_ordinary("").empty());
}

TEST_F(SyntheticBpe, SpecialTokensAreTextUnlessAllowed) {
  const TokenId end_id = table_.specials.at("<|end|>"), x_id = table_.specials.at("<|x|>");
  const auto plain = enc_->encode_ordinary("ab<|end|>cd");
  EXPECT_EQ(std::count(plain.begin(), plain.end(), end_id), 0);
  const auto special = enc_->encode_with_special_tokens("ab<|end|>cd<|x|><|end|>");
  std::vector<TokenId> expected = enc_->encode_ordinary("ab");
  expected.push_back(end_id);
  for (TokenId id : enc_->encode_ordinary("cd")) expected.push_back(id);
  expected.push_back(x_id);
  expected.push_back(end_id);
  EXPECT_EQ(special, expected);
  EXPECT_EQ(enc_->decode(special), "ab<|end|>cd<|x|><|end|>");
}

TEST_F(SyntheticBpe, IllFormedUtf8IsReplacedFirst) {
  EXPECT_EQ(enc_->encode_ordinary("a\xFF"
                                  "b"),
            enc_->encode_ordinary("a\xEF\xBF\xBD"
                                  "b"));
  EXPECT_EQ(enc_->encode_ordinary("x \xE2\x82"), enc_->encode_ordinary("x \xEF\xBF\xBD"));
  EXPECT_EQ(enc_->count("\xC0\xAF"), enc_->encode_ordinary("\xEF\xBF\xBD\xEF\xBF\xBD").size());
}

TEST_F(SyntheticBpe, DecodeRejectsUnknownIds) {
  const std::vector<TokenId> bad = {0, 999999};
  try {
    (void)enc_->decode(bad);
    FAIL() << "expected ValueError";
  } catch (const contextweaver::ValueError& e) {
    EXPECT_STREQ(e.what(), "Invalid token for decoding: 999999");
  }
}

TEST(RealBpe, KnownCl100kEncodings) {
  CW_REQUIRE_ENCODING(enc, "cl100k_base");
  EXPECT_EQ(enc->encode_ordinary("hello world"), (std::vector<TokenId>{15339, 1917}));
  EXPECT_EQ(enc->encode_with_special_tokens("<|endoftext|>"), (std::vector<TokenId>{100257}));
  EXPECT_GT(enc->count("<|endoftext|>"), 1u);  // plain text when not allowed
  EXPECT_EQ(enc->vocab_size(), 100256u);
}

}  // namespace
