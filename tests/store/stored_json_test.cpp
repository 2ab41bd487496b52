// The stores' fast JSON decoder: whenever it answers, the answer is exactly
// loads()'s (same types, same key order); everything else is left to loads().
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "stored_json.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"

namespace {

using namespace contextweaver;
using store_detail::decode_stored_json;
using store_detail::load_stored_json;

// Same value, same JSON types (nlohmann compares 1 == 1u == 1.0 as equal) and the same text.
void expect_identical(const Json& a, const Json& b) {
  ASSERT_EQ(a.type(), b.type());
  EXPECT_EQ(dumps(a), dumps(b));
  if (a.is_object()) {
    auto ib = b.begin();
    for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib) {
      EXPECT_EQ(ia.key(), ib.key());
      expect_identical(ia.value(), ib.value());
    }
  } else if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) expect_identical(a[i], b[i]);
  }
}

TEST(StoredJson, DecodesWhatDumpsSortedWritesExactlyAsLoads) {
  const std::vector<std::string> texts = {
      R"({})",
      R"([])",
      R"({"source": "perfgen", "tags": ["alpha", "beta"], "turn": 12})",
      R"({"a": {"b": [1, -2, 0, true, false, null, {}, []]}, "z": "x y"})",
      R"({"big": 9223372036854775807, "small": -9223372036854775808, "neg0": -0})",
      R"("plain")",
      R"(  [1, 2]  )",
      R"({"z": 1, "a": 2})",
      R"({"handle": "h", "label": "", "media_type": "application/json", "size_bytes": 65536})",
  };
  for (const auto& text : texts) {
    SCOPED_TRACE(text);
    const auto fast = decode_stored_json(text);
    ASSERT_TRUE(fast.has_value());
    expect_identical(*fast, loads(text));
  }
}

TEST(StoredJson, LeavesEverythingElseToLoads) {
  const std::vector<std::string> texts = {
      R"({"a": 1.5})",
      R"({"a": 1e5})",
      R"({"a": "\u00e9"})",
      R"({"a": "tab\there"})",
      R"({"a": 1, "a": 2})",
      "{\"a\":\n1}",
      "\"\xc3\xa9\"",
      R"({"a": 18446744073709551615})",
      R"({"a": 99999999999999999999})",
      R"({"a": NaN})",
      R"([1, 2,])",
      R"({"a" 1})",
      R"({"a": 01})",
      R"(tru)",
      R"([1] x)",
      "",
      R"({"a": [)",
      R"("unterminated)",
      R"({1: 2})",
      R"(-)",
  };
  for (const auto& text : texts) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(decode_stored_json(text).has_value());
    // load_stored_json then behaves exactly as loads, errors included.
    try {
      const Json expected = loads(text);
      expect_identical(load_stored_json(text), expected);
    } catch (const ContextWeaverError& e) {
      try {
        load_stored_json(text);
        ADD_FAILURE() << "load_stored_json accepted what loads rejects";
      } catch (const ContextWeaverError& e2) {
        EXPECT_STREQ(e.what(), e2.what());
      }
    }
  }
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(decode_stored_json(deep).has_value());
  expect_identical(load_stored_json(deep), loads(deep));
}

// Random nested values written by dumps_sorted read back identically.
TEST(StoredJson, RandomValuesRoundTripLikeLoads) {
  std::mt19937_64 rng(7);
  const std::vector<std::string> words = {"a", "b", "key", "x y", "", "é", "tab\t", "q\"", "long-ish value"};
  std::function<Json(int)> make = [&](int depth) -> Json {
    switch (rng() % (depth > 3 ? 5 : 7)) {
      case 0:
        return Json(static_cast<std::int64_t>(rng()) >> (rng() % 64));
      case 1:
        return Json(words[rng() % words.size()]);
      case 2:
        return Json(rng() % 2 == 0);
      case 3:
        return Json(nullptr);
      case 4:
        return Json(static_cast<double>(rng() % 1000) / 8.0);
      case 5: {
        Json a = Json::array();
        for (std::size_t i = rng() % 4; i > 0; --i) a.push_back(make(depth + 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (std::size_t i = rng() % 4; i > 0; --i) o[words[rng() % words.size()]] = make(depth + 1);
        return o;
      }
    }
  };
  int fast_count = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string text = dumps_sorted(make(0));
    SCOPED_TRACE(text);
    const auto fast = decode_stored_json(text);
    if (fast) {
      ++fast_count;
      expect_identical(*fast, loads(text));
    }
    expect_identical(load_stored_json(text), loads(text));
  }
  EXPECT_GT(fast_count, 500);  // the fast path is really exercised
}

}  // namespace
