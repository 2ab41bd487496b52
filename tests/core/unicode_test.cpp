#include <gtest/gtest.h>

#include "contextweaver/core/unicode.hpp"

using namespace contextweaver;

TEST(Unicode, DecodeReplaceUsesMaximalSubparts) {
  EXPECT_EQ(decode_utf8_replace("a\xFF" "b"), "a\uFFFD" "b");
  EXPECT_EQ(decode_utf8_replace("\xE2\x82"), "\uFFFD");            // truncated: one replacement
  EXPECT_EQ(decode_utf8_replace("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // surrogate: three
  EXPECT_EQ(decode_utf8_replace("\xF0\x80"), "\uFFFD\uFFFD");
  EXPECT_EQ(decode_utf8_replace("é😀"), "é😀");
}

TEST(Unicode, CodePointLengthAndSlices) {
  EXPECT_EQ(code_point_count("a—b😀"), 4u);
  EXPECT_EQ(slice_code_points("héllo wörld", 0, 5), "héllo");
  EXPECT_EQ(slice_code_points("héllo", -2, std::nullopt), "lo");
  EXPECT_EQ(slice_code_points("hello", 3, 1), "");
  EXPECT_EQ(slice_code_points("hello", std::nullopt, -1), "hell");
  EXPECT_EQ(slice_code_points("hello", -100, 100), "hello");
}

TEST(Unicode, PySliceRules) {
  auto r = py_slice(5, -2, std::nullopt);
  EXPECT_EQ(r.begin, 3u);
  EXPECT_EQ(r.end, 5u);
  r = py_slice(5, 7, std::nullopt);
  EXPECT_EQ(r.begin, r.end);
  r = py_slice(5, std::nullopt, -1);
  EXPECT_EQ(r.end, 4u);
}

TEST(Unicode, SplitlinesLikePython) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(splitlines("a\n"), (V{"a"}));
  EXPECT_EQ(splitlines("a\n\n"), (V{"a", ""}));
  EXPECT_EQ(splitlines("\n"), (V{""}));
  EXPECT_EQ(splitlines(""), V{});
  EXPECT_EQ(splitlines("a\r\nb\rc\x0b" "d\x1c" "e\u0085f\u2028g\u2029h"), (V{"a", "b", "c", "d", "e", "f", "g", "h"}));
}

TEST(Unicode, StripAndRepr) {
  EXPECT_EQ(py_strip("\u00a0 x y\u3000\n"), "x y");
  EXPECT_EQ(py_strip("   "), "");
  EXPECT_EQ(py_repr("x"), "'x'");
  EXPECT_EQ(py_repr("it's"), "\"it's\"");
  EXPECT_EQ(py_repr("a\nb\\"), "'a\\nb\\\\'");
  EXPECT_EQ(py_repr(std::string("x\0y", 3)), "'x\\x00y'");
  EXPECT_EQ(py_repr("é"), "'é'");
}
