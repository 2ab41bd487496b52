// The helpers several modules share through core: str()/repr() of JSON,
// base64, YAML and whole-file I/O.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "contextweaver/core/base64.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/file_io.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/yaml.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;

TEST(PyStr, StrAndReprOfJson) {
  const Json value = loads(R"({"a": [1, 2.5, "x", null, true], "it's": {"k": -3}, "f": 1e16})");
  EXPECT_EQ(py_repr_json(value), "{'a': [1, 2.5, 'x', None, True], \"it's\": {'k': -3}, 'f': 1e+16}");
  EXPECT_EQ(py_str(value), py_repr_json(value));  // a container's str is its repr
  EXPECT_EQ(py_str(Json("x")), "x");
  EXPECT_EQ(py_repr_json(Json("x")), "'x'");
  EXPECT_EQ(py_str(Json(nullptr)), "None");
  EXPECT_EQ(py_str(Json(false)), "False");
  EXPECT_EQ(py_str(Json(18446744073709551615ULL)), "18446744073709551615");
  EXPECT_EQ(py_repr_json(Json(std::numeric_limits<double>::quiet_NaN())), "nan");
  EXPECT_EQ(py_repr_json(Json(-std::numeric_limits<double>::infinity())), "-inf");
  EXPECT_EQ(py_repr_json(Json(1.0)), "1.0");
  EXPECT_EQ(py_repr_json(Json::array()), "[]");
  EXPECT_EQ(py_repr_json(Json::object()), "{}");
}

TEST(PyRound, CorrectlyRoundedTiesToEven) {
  EXPECT_EQ(py_round(2.675, 2), 2.67);  // the double is just below 2.675
  EXPECT_EQ(py_round(0.125, 2), 0.12);  // an exact tie goes to even
  EXPECT_EQ(py_round(0.375, 2), 0.38);
  EXPECT_EQ(py_round(1e300, 4), 1e300);
  EXPECT_EQ(py_round(-1.23456, 4), -1.2346);
  EXPECT_TRUE(std::isinf(py_round(std::numeric_limits<double>::infinity(), 4)));
}

TEST(Base64, RoundTripAndStrictDecode) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_THROW(base64_decode("Zm9"), ValueError);
  EXPECT_THROW(base64_decode("Zm=v"), ValueError);
  EXPECT_THROW(base64_decode("Zm9!"), ValueError);
  std::string out = "stale";
  EXPECT_TRUE(base64_decode_to("Zm8=", out));
  EXPECT_EQ(out, "fo");
  EXPECT_FALSE(base64_decode_to("Z===", out));
}

TEST(Yaml, TypesAndErrors) {
  const Json v = parse_yaml("a: yes\nb: 0x10\nc: '1'\nd: ~\ne: [1.5, x]\n");
  EXPECT_EQ(dumps(v), R"({"a": true, "b": 16, "c": "1", "d": null, "e": [1.5, "x"]})");
  EXPECT_EQ(dump_yaml(v), "a: true\nb: 16\nc: \"1\"\nd: ~\ne:\n  - 1.5\n  - x\n");
  try {
    parse_yaml("a: [1,\n");
    FAIL() << "no error";
  } catch (const YamlSyntaxError& e) {
    const ContextWeaverError& base = e;  // one hierarchy
    EXPECT_EQ(std::string(base.code()), "CW_YAML_SYNTAX");
    EXPECT_EQ(std::string(e.what()).rfind("line ", 0), 0u) << e.what();
  }
  EXPECT_TRUE(is_yaml_path("a/b.YAML"));
  EXPECT_TRUE(is_yaml_path("b.yml"));
  EXPECT_FALSE(is_yaml_path("b.json"));
  EXPECT_FALSE(is_yaml_path(".yaml"));  // a dotfile has no suffix, as for Python's Path
}

// Found by fuzz/routing_catalog: an alias inside its own anchor made the node
// graph a cycle, and converting it overflowed the stack.
TEST(Yaml, RecursiveAliasIsAnError) {
  for (const char* text : {"&a [*a]\n", "a: &x {b: *x}\n", "- &t {id: a, more: *t}\n- *t\n"}) {
    try {
      parse_yaml(text);
      FAIL() << "no error for " << text;
    } catch (const YamlSyntaxError& e) {
      EXPECT_NE(std::string(e.what()).find("recursive alias"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind("line ", 0), 0u) << e.what();
    }
  }
  // Deep but finite nesting and a reused block are fine.
  EXPECT_EQ(dumps(parse_yaml(std::string(200, '[') + std::string(200, ']'))).size(), 400u);
  EXPECT_EQ(dumps(parse_yaml("a: &x {b: 1}\nc: *x\n")), R"({"a": {"b": 1}, "c": {"b": 1}})");
}

// An alias bomb (each level ten aliases of the one before: 10^9 nodes) is an
// error, not an exhausted memory.
TEST(Yaml, AliasBombIsAnError) {
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += (j ? ", " : "") + prev;
    text += "]\n";
  }
  try {
    parse_yaml(text);
    FAIL() << "no error";
  } catch (const YamlSyntaxError& e) {
    EXPECT_NE(std::string(e.what()).find("too many nodes"), std::string::npos) << e.what();
  }
}

TEST(FileIo, ReadWriteAndOsErrors) {
  cwtest::TempDir dir;
  const auto path = dir / "f.txt";
  ASSERT_FALSE(write_file_atomic(path, std::string("a\0b", 3)));
  std::string text;
  ASSERT_FALSE(read_file(path, text));
  EXPECT_EQ(text, std::string("a\0b", 3));
  ASSERT_FALSE(write_file_atomic(path, "new"));  // replaces
  ASSERT_FALSE(read_file(path, text));
  EXPECT_EQ(text, "new");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);  // no temp file left

  const std::error_code missing = read_file(dir / "none", text);
  EXPECT_EQ(missing, std::errc::no_such_file_or_directory);
  EXPECT_EQ(os_error_text(missing, "p"), "[Errno 2] No such file or directory: 'p'");
  const std::error_code folder = read_file(dir.path(), text);
  EXPECT_EQ(folder, std::errc::is_a_directory);
  EXPECT_EQ(os_error_text(folder, "d"), "[Errno 21] Is a directory: 'd'");
  EXPECT_EQ(write_file_atomic(dir / "no" / "f", "x"), std::errc::no_such_file_or_directory);
}

}  // namespace
