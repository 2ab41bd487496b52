// Piece boundaries of the hand-written pre-tokenizer, derived by hand from
// tiktoken's patterns (the oracle test checks them against tiktoken itself).
#include "contextweaver/tokens/pretokenizer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using contextweaver::PretokenPattern;
using ::testing::ElementsAre;

std::vector<std::string> cl(const std::string& text) {
  std::vector<std::string> out;
  for (auto p : contextweaver::pretokenize(PretokenPattern::cl100k, text)) out.emplace_back(p);
  return out;
}
std::vector<std::string> o2(const std::string& text) {
  std::vector<std::string> out;
  for (auto p : contextweaver::pretokenize(PretokenPattern::o200k, text)) out.emplace_back(p);
  return out;
}

TEST(Pretokenizer, Cl100kWordsSpacesAndPunctuation) {
  EXPECT_THAT(cl("Hello, world!"), ElementsAre("Hello", ",", " world", "!"));
  EXPECT_THAT(cl("a  b"), ElementsAre("a", " ", " b"));  // \s+(?!\S) leaves one space for the word
  EXPECT_THAT(cl("a \tb"), ElementsAre("a", " ", "\tb"));
  EXPECT_THAT(cl("end  "), ElementsAre("end", "  "));  // whitespace at the end stays whole
  EXPECT_THAT(cl("x  !"), ElementsAre("x", " ", " !"));
  EXPECT_THAT(cl("\t!"), ElementsAre("\t", "!"));  // one whitespace char before punctuation: \s+
  EXPECT_THAT(cl(""), ElementsAre());
}

TEST(Pretokenizer, Cl100kNewlinesAndContractions) {
  EXPECT_THAT(cl("a\n\n  b"), ElementsAre("a", "\n\n", " ", " b"));
  EXPECT_THAT(cl("x \n \n y"), ElementsAre("x", " \n \n", " y"));  // \s*[\r\n]+ ends at the last newline
  EXPECT_THAT(cl("ok.\r\n"), ElementsAre("ok", ".\r\n"));          // punctuation takes trailing newlines
  EXPECT_THAT(cl("don't"), ElementsAre("don", "'t"));
  EXPECT_THAT(cl("WE'LL they'RE"), ElementsAre("WE", "'LL", " they", "'RE"));
  EXPECT_THAT(cl("'tis"), ElementsAre("'t", "is"));
  EXPECT_THAT(cl("'x"), ElementsAre("'x"));  // not a contraction: punctuation prefix + letters
}

TEST(Pretokenizer, Cl100kDigitsInGroupsOfThree) {
  EXPECT_THAT(cl("1234567"), ElementsAre("123", "456", "7"));
  EXPECT_THAT(cl("v12"), ElementsAre("v", "12"));
  EXPECT_THAT(cl(" 42"), ElementsAre(" ", "42"));  // digits take no space prefix
  EXPECT_THAT(cl("\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4"),
              ElementsAre("\xD9\xA1\xD9\xA2\xD9\xA3", "\xD9\xA4"));  // Arabic-Indic
}

TEST(Pretokenizer, WhitespaceIsTheRustWhiteSpaceProperty) {
  // U+0085 is whitespace: "  \u0085" is one whitespace run before the word.
  EXPECT_THAT(cl("a \xC2\x85x"), ElementsAre("a", " ", "\xC2\x85x"));
  // U+180E (Mongolian vowel separator) and U+FEFF are not: they are punctuation.
  EXPECT_THAT(cl("a \xE1\xA0\x8E b"), ElementsAre("a", " \xE1\xA0\x8E", " b"));
  EXPECT_THAT(cl("a \xEF\xBB\xBF b"), ElementsAre("a", " \xEF\xBB\xBF", " b"));
  // U+3000 and U+00A0 are whitespace.
  EXPECT_THAT(cl("a\xE3\x80\x80\xE3\x80\x80"
                 "b"),
              ElementsAre("a", "\xE3\x80\x80",
                          "\xE3\x80\x80"
                          "b"));
}

TEST(Pretokenizer, UnicodeSixteenLetters) {
  // U+10D4A (Garay, new in Unicode 16.0) is a letter, so it joins the word;
  // U+323B0 (CJK Extension J, Unicode 17.0) is unassigned in 16.0: punctuation.
  EXPECT_THAT(cl("x\xF0\x90\xB5\x8Ay"), ElementsAre("x\xF0\x90\xB5\x8Ay"));
  EXPECT_THAT(cl("x\xF0\xB2\x8E\xB0y"), ElementsAre("x", "\xF0\xB2\x8E\xB0y"));
}

TEST(Pretokenizer, O200kCaseSplitsAndSuffixContractions) {
  EXPECT_THAT(o2("HelloWorld"), ElementsAre("Hello", "World"));
  EXPECT_THAT(o2("XMLHttpRequest"), ElementsAre("XMLHttp", "Request"));
  EXPECT_THAT(o2("DON'T don't"), ElementsAre("DON'T", " don't"));
  EXPECT_THAT(o2("path/to//x\n"), ElementsAre("path", "/to", "//", "x", "\n"));
  EXPECT_THAT(o2("a/\n"), ElementsAre("a", "/\n"));
  EXPECT_THAT(o2("1234"), ElementsAre("123", "4"));
  // A combining mark before upper-case letters: as a prefix the lower-case
  // alternative fails, so it backtracks to the mark alone, which is a word.
  EXPECT_THAT(o2("\xCC\x81"
                 "ABC"),
              ElementsAre("\xCC\x81", "ABC"));
  EXPECT_THAT(o2("AB\xCC\x81"
                 "C"),
              ElementsAre("AB\xCC\x81", "C"));
}

TEST(Pretokenizer, PiecesConcatenateToTheInputAndFlagBadUtf8) {
  const std::string text = "ok \xFF\xFEgo \xE2\x82 end";
  for (auto pattern : {PretokenPattern::cl100k, PretokenPattern::o200k}) {
    contextweaver::PieceScanner scanner(pattern, text);
    std::string joined;
    std::string_view piece;
    while (scanner.next(piece)) {
      EXPECT_FALSE(piece.empty());
      joined += piece;
    }
    EXPECT_EQ(joined, text);
    EXPECT_TRUE(scanner.saw_invalid_utf8());
  }
  contextweaver::PieceScanner valid(PretokenPattern::cl100k, "caf\xC3\xA9 \xEF\xBF\xBD");
  std::string_view piece;
  while (valid.next(piece)) {
  }
  EXPECT_FALSE(valid.saw_invalid_utf8());  // a literal U+FFFD is valid text
}

TEST(Pretokenizer, PatternStringsRoundTrip) {
  for (auto pattern : {PretokenPattern::cl100k, PretokenPattern::o200k})
    EXPECT_EQ(contextweaver::pretoken_pattern_from_pat_str(contextweaver::pat_str(pattern)), pattern);
  EXPECT_FALSE(contextweaver::pretoken_pattern_from_pat_str("\\s+").has_value());
}

}  // namespace
