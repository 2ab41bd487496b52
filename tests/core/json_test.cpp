#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"

using namespace contextweaver;

TEST(FloatRepr, MatchesPythonRepr) {
  EXPECT_EQ(float_repr(1.0), "1.0");
  EXPECT_EQ(float_repr(100000.0), "100000.0");
  EXPECT_EQ(float_repr(1e16), "1e+16");
  EXPECT_EQ(float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(float_repr(1e-05), "1e-05");
  EXPECT_EQ(float_repr(0.0001), "0.0001");
  EXPECT_EQ(float_repr(0.1), "0.1");
  EXPECT_EQ(float_repr(-2.5), "-2.5");
  EXPECT_EQ(float_repr(0.7452073132529315), "0.7452073132529315");
  EXPECT_EQ(float_repr(1.5e300), "1.5e+300");
  EXPECT_EQ(float_repr(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(float_repr(-0.0), "-0.0");
}

TEST(Dumps, DefaultSeparatorsAndAsciiEscapes) {
  Json v = Json::object();
  v["z"] = 1;
  v["a"] = "\u00e9";
  EXPECT_EQ(dumps(v), R"({"z": 1, "a": "\u00e9"})");
  EXPECT_EQ(dumps_sorted(v), R"({"a": "\u00e9", "z": 1})");
  EXPECT_EQ(dumps(Json("😀")), R"("\ud83d\ude00")");
  EXPECT_EQ(dumps(Json("a\"b\\c\n\t\x01\x7f/")), R"("a\"b\\c\n\t\u0001\u007f/")");
  EXPECT_EQ(dumps(Json::array({1, 2.0, nullptr, true})), "[1, 2.0, null, true]");
}

TEST(Dumps, IndentMatchesPython) {
  Json v = loads(R"({"name":"Alice","age":30,"nested":{"b":[],"a":{}},"list":[1,[2]]})");
  EXPECT_EQ(dumps(v, {true, 2, true}),
            "{\n  \"age\": 30,\n  \"list\": [\n    1,\n    [\n      2\n    ]\n  ],\n  \"name\": \"Alice\",\n"
            "  \"nested\": {\n    \"a\": {},\n    \"b\": []\n  }\n}");
  EXPECT_EQ(dumps(Json::object(), {true, 2, true}), "{}");
}

TEST(Dumps, NonFiniteFloatsAreBare) {
  EXPECT_EQ(dumps(Json(std::numeric_limits<double>::infinity())), "Infinity");
  EXPECT_EQ(dumps(Json(-std::numeric_limits<double>::infinity())), "-Infinity");
  EXPECT_EQ(dumps(Json(std::numeric_limits<double>::quiet_NaN())), "NaN");
}

TEST(Dumps, EnsureAsciiOffKeepsUtf8) {
  EXPECT_EQ(dumps(Json("é😀"), {false, -1, false}), "\"é😀\"");
}

TEST(Loads, PythonExtensionsAndNumbers) {
  EXPECT_TRUE(std::isnan(loads("NaN").get<double>()));
  EXPECT_EQ(loads(" -Infinity ").get<double>(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(loads("1e400").get<double>(), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(loads("1.0").is_number_float());
  EXPECT_TRUE(loads("10").is_number_integer());
  EXPECT_EQ(dumps(loads("1E5")), "100000.0");
  EXPECT_EQ(dumps(loads("-0")), "0");
  EXPECT_EQ(dumps(loads("18446744073709551615")), "18446744073709551615");
}

TEST(Loads, DuplicateKeysKeepFirstPositionLastValue) {
  EXPECT_EQ(dumps(loads(R"({"a":1,"b":2,"a":3})")), R"({"a": 3, "b": 2})");
}

TEST(Loads, SurrogatePairsDecode) {
  EXPECT_EQ(loads(R"("\ud83d\ude00")").get<std::string>(), "😀");
  EXPECT_EQ(loads(R"("\u00e9")").get<std::string>(), "é");
}

TEST(Loads, LoneSurrogatesBecomeReplacementByDefault) {
  // docs/compat.md: what the golden files were made with.
  EXPECT_EQ(loads(R"("\ud800")").get<std::string>(), "\xEF\xBF\xBD");
  EXPECT_EQ(loads(R"("a\udfffb")").get<std::string>(),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(Loads, LoneSurrogatesCanBeRefused) {
  const LoadOptions strict{true};
  EXPECT_EQ(loads(R"("\ud83d\ude00")", strict).get<std::string>(), "😀");
  for (const char* text : {R"(["x", "\ud800"])", R"(["x", "\uD800x"])", R"(["x", "\udc00"])",
                           R"(["x", "\ud800\u0041"])", R"(["x", "\ud800\ud800"])"}) {
    try {
      loads(text, strict);
      FAIL() << text;
    } catch (const JsonDecodeError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("Lone surrogate \\u", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find(": line 1 column 8 (char 7)"), std::string::npos) << e.what();
    }
  }
  try {
    loads(R"({"id": "\uDBFF"})", strict);
    FAIL();
  } catch (const JsonDecodeError& e) {
    EXPECT_STREQ(e.what(), "Lone surrogate \\udbff in string: line 1 column 9 (char 8)");
  }
}

TEST(Loads, ErrorsCarryPythonMessages) {
  try {
    loads("not-json");
    FAIL();
  } catch (const JsonDecodeError& e) {
    EXPECT_STREQ(e.what(), "Expecting value: line 1 column 1 (char 0)");
  }
  try {
    loads("{\"a\": 1}\n x");
    FAIL();
  } catch (const JsonDecodeError& e) {
    EXPECT_STREQ(e.what(), "Extra data: line 2 column 2 (char 10)");
  }
  EXPECT_THROW(loads("\xEF\xBB\xBF{}"), JsonDecodeError);
  EXPECT_THROW(loads("\"a\x01\""), JsonDecodeError);
  EXPECT_THROW(loads("[1,]"), JsonDecodeError);
  EXPECT_THROW(loads(""), JsonDecodeError);
  EXPECT_THROW(loads(std::string(100000, '[')), JsonDecodeError);  // too deep, no stack overflow
}

TEST(Loads, JsonDecodeErrorIsAValueErrorAndAContextWeaverError) {
  EXPECT_THROW(loads("{"), ValueError);
  EXPECT_THROW(loads("{"), ContextWeaverError);
}
