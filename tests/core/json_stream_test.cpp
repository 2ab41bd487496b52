// JsonStreamWriter writes exactly the bytes of dumps() (docs/cli.md#export--import).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/json_stream.hpp"

namespace {

using contextweaver::DumpOptions;
using contextweaver::Json;
using contextweaver::JsonStreamWriter;

// Writes `value` through the writer's structural calls (containers opened and
// closed piece by piece, strings and integers through their own calls, the
// rest through value()), so every path of the writer is taken.
void stream(JsonStreamWriter& writer, const Json& value, int depth) {
  if (value.is_object() && depth < 2) {
    writer.begin_object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      writer.key(it.key());
      stream(writer, it.value(), depth + 1);
    }
    writer.end_object();
  } else if (value.is_array() && depth < 2) {
    writer.begin_array();
    for (const auto& element : value) stream(writer, element, depth + 1);
    writer.end_array();
  } else if (value.is_string()) {
    writer.string(value.get_ref<const std::string&>());
  } else if (value.is_number_integer() && !value.is_number_unsigned()) {
    writer.integer(value.get<std::int64_t>());
  } else if (value.is_null()) {
    writer.null();
  } else {
    writer.value(value);  // deeper containers, floats, booleans, unsigned integers
  }
}

std::string streamed(const Json& value, const DumpOptions& options, std::size_t buffer_bytes) {
  std::string out;
  std::size_t pieces = 0;
  JsonStreamWriter writer(
      [&](std::string_view bytes) {
        out.append(bytes);
        ++pieces;
      },
      options, buffer_bytes);
  stream(writer, value, 0);
  writer.finish();
  return out;
}

// Awkward content: non-ASCII (BMP and astral), control characters, DEL,
// invalid UTF-8, floats of every repr form, NaN/infinities, nested and empty
// containers, keys that need escaping.
Json awkward() {
  Json doc = Json::object();
  doc["event_count"] = 3;
  doc["events"] = Json::array();
  doc["events"].push_back(Json{
      {"id", "caf\u00e9 \u65e5\u672c \U0001F600"},
      {"text", std::string("ctl \x01\x1f\x7f tab\t nl\n cr\r quote\" bs\\ ", 31) + std::string("bad \xff\xfe end")},
      {"token_estimate", -42},
      {"metadata", Json{{"nested", Json{{"deep", Json::array({1, 2.5, Json::object()})}}},
                        {"floats", Json::array({0.1, 1e16, 1e-5, -0.0, 123456789.0, 1.5e300})},
                        {"special", Json::array({std::numeric_limits<double>::quiet_NaN(), INFINITY, -INFINITY})},
                        {"big", std::numeric_limits<std::uint64_t>::max()},
                        {"flags", Json::array({true, false, nullptr})},
                        {"empty_list", Json::array()},
                        {"empty_map", Json::object()}}},
      {"parent_id", nullptr}});
  doc["events"].push_back(Json::object());
  doc["events"].push_back(Json::array());
  doc["artifacts"] = Json::object();
  doc["facts"] = Json{{"k\u00e9y \"q\"", "v\u2028"}, {"", ""}};
  doc["episodes"] = Json::array({Json{{"episode_id", "e1"}, {"summary", "s"}}});
  return doc;
}

TEST(JsonStreamWriter, SameBytesAsDumpsForEveryLayout) {
  const Json doc = awkward();
  for (int indent : {-1, 0, 2, 4}) {
    for (bool ensure_ascii : {true, false}) {
      const DumpOptions options{false, indent, ensure_ascii};
      for (std::size_t buffer : {std::size_t{1}, std::size_t{7}, std::size_t{64 * 1024}}) {
        EXPECT_EQ(streamed(doc, options, buffer), contextweaver::dumps(doc, options))
            << "indent " << indent << " ensure_ascii " << ensure_ascii << " buffer " << buffer;
      }
    }
  }
}

TEST(JsonStreamWriter, EmptyContainersAndScalarsAtTheTop) {
  const DumpOptions options{false, 2, true};
  for (const Json& value : {Json::object(), Json::array(), Json("x\u00e9"), Json(7), Json(nullptr), Json(2.0)}) {
    EXPECT_EQ(streamed(value, options, 16), contextweaver::dumps(value, options)) << value.dump();
  }
  const Json empty_session = Json{{"event_count", 0},
                                  {"events", Json::array()},
                                  {"artifacts", Json::object()},
                                  {"facts", Json::object()},
                                  {"episodes", Json::array()}};
  EXPECT_EQ(streamed(empty_session, options, 16), contextweaver::dumps(empty_session, options));
}

// sort_keys applies inside value(); key() keeps the caller's order.
TEST(JsonStreamWriter, SortKeysAppliesInsideValues) {
  std::string out;
  JsonStreamWriter writer([&](std::string_view bytes) { out.append(bytes); }, DumpOptions{true, -1, true});
  writer.begin_object();
  writer.key("z");
  writer.value(Json{{"b", 1}, {"a", 2}});
  writer.key("a");
  writer.integer(1);
  writer.end_object();
  writer.finish();
  EXPECT_EQ(out, R"({"z": {"a": 2, "b": 1}, "a": 1})");
}

// The writer holds at most about its buffer: bytes reach the sink as they are written.
TEST(JsonStreamWriter, HandsBytesOnAsItGoes) {
  std::size_t received = 0;
  std::size_t most_behind = 0;  // text bytes written but not yet handed on, at worst
  JsonStreamWriter writer([&](std::string_view bytes) { received += bytes.size(); }, DumpOptions{false, 2, true}, 4096);
  writer.begin_array();
  const std::string text(300, 'x');
  for (std::size_t i = 0; i < 10000; ++i) {
    writer.value(Json{{"id", i}, {"text", text}});
    const std::size_t written = (i + 1) * text.size();  // a lower bound of what was written
    most_behind = std::max(most_behind, written - std::min(written, received));
  }
  writer.end_array();
  writer.finish();
  EXPECT_GT(received, 10000u * 300u);
  EXPECT_LT(most_behind, 4096u + 1024u);
}

TEST(JsonStreamWriter, OstreamSinkAndDroppedPendingBytes) {
  std::ostringstream out;
  {
    JsonStreamWriter writer(out, DumpOptions{false, 2, true});
    writer.begin_array();
    writer.integer(1);
    // Destroyed without finish(): nothing pending is written.
  }
  EXPECT_EQ(out.str(), "");
  {
    JsonStreamWriter writer(out, DumpOptions{false, 2, true});
    writer.begin_array();
    writer.integer(1);
    writer.end_array();
    writer.finish();
  }
  EXPECT_EQ(out.str(), "[\n  1\n]");
}

TEST(JsonStreamWriter, MisuseIsAValueError) {
  const auto sink = [](std::string_view) {};
  {
    JsonStreamWriter writer(sink, DumpOptions{});
    writer.begin_object();
    EXPECT_THROW(writer.integer(1), contextweaver::ValueError);  // a member needs its key
    EXPECT_THROW(writer.end_array(), contextweaver::ValueError);
    EXPECT_THROW(writer.finish(), contextweaver::ValueError);  // still open
  }
  {
    JsonStreamWriter writer(sink, DumpOptions{});
    writer.begin_array();
    EXPECT_THROW(writer.key("k"), contextweaver::ValueError);
    writer.end_array();
    EXPECT_THROW(writer.null(), contextweaver::ValueError);  // one document only
    EXPECT_NO_THROW(writer.finish());
  }
  {
    JsonStreamWriter writer(sink, DumpOptions{});
    EXPECT_THROW(writer.finish(), contextweaver::ValueError);  // nothing written
  }
}

}  // namespace
