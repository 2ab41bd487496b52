// End to end: what `ingest --events` and `import` read from a line or a
// session file, and how they find ids already in the session
// (docs/cli.md#ingest, docs/formats.md#numbers).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_runner.hpp"
#include "support/test_support.hpp"

namespace {

using contextweaver::Json;
using cwtest::parse_json_output;
using cwtest::run_cli;

Json logged_items(const cwtest::TempDir& dir, const std::string& session) {
  const auto log = run_cli({"log", "--json", "--session", session}, dir.path());
  EXPECT_EQ(log.exit_code, 0) << log.err;
  return log.exit_code == 0 ? parse_json_output(log)["items"] : Json::array();
}

std::string events_file(const std::vector<std::string>& ids) {
  std::string text;
  for (const auto& id : ids) text += "{\"type\": \"user_turn\", \"id\": \"" + id + "\", \"text\": \"t " + id + "\"}\n";
  return text;
}

std::vector<std::string> numbered(const std::string& prefix, int from, int to) {
  std::vector<std::string> ids;
  for (int i = from; i < to; ++i) ids.push_back(prefix + std::to_string(i));
  return ids;
}

TEST(CliIngestParsing, ARepeatedKeyKeepsItsLastValue) {
  cwtest::TempDir dir;
  // A small object, then one with more members than a linear search covers.
  std::string wide = "{\"id\": \"w\"";
  for (int i = 0; i < 20; ++i) wide += ", \"k" + std::to_string(i) + "\": " + std::to_string(i);
  wide += ", \"k3\": \"last\", \"id\": \"w2\", \"text\": \"wide\"}\n";
  cwtest::write_file(
      dir / "e.jsonl",
      "{\"id\": \"a\", \"text\": \"x\", \"k\": 1, \"id\": \"b\", \"k\": 2, \"text\": \"y\", \"z\": null}\n" + wide);
  const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json items = logged_items(dir, "s");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["id"], "b");
  EXPECT_EQ(items[0]["text"], "y");
  EXPECT_EQ(items[0]["metadata"], (Json{{"k", 2}, {"z", nullptr}}));
  EXPECT_EQ(items[1]["id"], "w2");
  EXPECT_EQ(items[1]["text"], "wide");
  EXPECT_EQ(items[1]["metadata"].size(), 20u);
  EXPECT_EQ(items[1]["metadata"]["k3"], "last");
  EXPECT_EQ(items[1]["metadata"]["k19"], 19);
}

TEST(CliIngestParsing, NonStringTextAndContentReadAsPythonStr) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "e.jsonl",
                     "{\"text\": \"\", \"content\": 42}\n"
                     "{\"text\": {\"a\": [1, 2.5, true]}, \"content\": \"unused\"}\n"
                     "{\"text\": 0, \"content\": [null]}\n");
  const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json items = logged_items(dir, "s");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["text"], "42");
  EXPECT_EQ(items[1]["text"], "{'a': [1, 2.5, True]}");
  EXPECT_EQ(items[2]["text"], "[None]");
  EXPECT_EQ(items[2]["metadata"], Json::object());
}

// The non-finite number check skips strings, whatever their escapes, and
// parses only the numbers that can overflow.
TEST(CliIngestParsing, NonFiniteNumbersAreFoundOutsideStringsOnly) {
  cwtest::TempDir dir;
  const std::string finite_digits(309, '1');  // 1.1e308: finite
  cwtest::write_file(dir / "ok.jsonl", "{\"id\": \"a\", \"q\": \"\\\\\", \"n\": [1e308, -0.0e-999, " + finite_digits +
                                           "], \"s\": \"x\\\"NaN\\\\\\\" Infinity\"}\n");
  const auto ok = run_cli({"ingest", "--events", "ok.jsonl", "--session", "s"}, dir.path());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const Json items = logged_items(dir, "s");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["metadata"]["s"], "x\"NaN\\\" Infinity");

  const std::string huge(310, '9');  // 1e310: not finite
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"q\": \"\\\\\", \"n\": NaN}", "NaN"},
      {"{\"q\": \"a\\\\\\\"b\", \"n\": [1, -Infinity]}", "-Infinity"},
      {"{\"n\": 1.5E400}", "1.5E400"},
      {"{\"n\": -" + huge + "}", "-" + huge},
  };
  for (const auto& [text, token] : cases) {
    cwtest::write_file(dir / "bad.jsonl", "{\"id\": \"first\"}\n" + text + "\n");
    const auto bad = run_cli({"ingest", "--events", "bad.jsonl", "--session", "t"}, dir.path());
    EXPECT_EQ(bad.exit_code, 1) << text;
    EXPECT_NE(bad.err.find("Error: bad.jsonl:2: " + token +
                           " is not a valid JSON number (NaN and infinities are not allowed)"),
              std::string::npos)
        << text << "\n"
        << bad.err;
  }
}

// Ids already in the session are found whether the session is small next to
// the file (read once) or far larger (asked id by id).
TEST(CliIngestParsing, IdsAlreadyInTheSessionAreFoundAtAnySize) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "base.jsonl", events_file(numbered("e", 0, 12)));
  ASSERT_EQ(run_cli({"ingest", "--events", "base.jsonl", "--session", "s"}, dir.path()).exit_code, 0);

  for (const auto& ids : {std::vector<std::string>{"n0", "e5"},  // 12 held, 2 asked
                          std::vector<std::string>{"m0", "e5", "m1", "m2", "e11", "m3"}}) {
    cwtest::write_file(dir / "more.jsonl", events_file(ids));
    const auto refused = run_cli({"ingest", "--events", "more.jsonl", "--session", "s"}, dir.path());
    EXPECT_EQ(refused.exit_code, 1);
    const std::string listed = ids.size() == 2 ? "1 of 2 events are already in session 's' ('e5')"
                                               : "2 of 6 events are already in session 's' ('e5', 'e11')";
    EXPECT_NE(refused.err.find(listed), std::string::npos) << refused.err;
    const auto skipped =
        run_cli({"ingest", "--events", "more.jsonl", "--session", "s", "--skip-existing", "--json"}, dir.path());
    ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
    const Json report = parse_json_output(skipped);
    EXPECT_EQ(report["skipped_existing"], ids.size() == 2 ? 1 : 2);
    EXPECT_EQ(report["ingested"], ids.size() == 2 ? 1 : 4);
  }
  EXPECT_EQ(logged_items(dir, "s").size(), 12u + 1u + 4u);
}

TEST(CliImportParsing, EventsAlreadyInTheSessionAreFoundAtAnySize) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "base.jsonl", events_file(numbered("e", 0, 12)));
  ASSERT_EQ(run_cli({"ingest", "--events", "base.jsonl", "--session", "s"}, dir.path()).exit_code, 0);
  for (const auto& ids : {std::vector<std::string>{"n0", "e5"}, numbered("e", 8, 14)}) {
    Json events = Json::array();
    for (const auto& id : ids) events.push_back(Json{{"id", id}, {"kind", "user_turn"}, {"text", "t"}});
    cwtest::write_file(dir / "s.json", contextweaver::dumps(Json{{"events", events}}));
    const auto refused = run_cli({"import", "--in", "s.json", "--session", "s"}, dir.path());
    EXPECT_EQ(refused.exit_code, 1);
    const std::string listed = ids.size() == 2 ? "1 of 2 events are already in session 's' (first: 'e5')"
                                               : "4 of 6 events are already in session 's' (first: 'e8')";
    EXPECT_NE(refused.err.find(listed), std::string::npos) << refused.err;
    const auto skipped = run_cli({"import", "--in", "s.json", "--session", "s", "--skip-existing"}, dir.path());
    ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  }
  EXPECT_EQ(logged_items(dir, "s").size(), 12u + 1u + 2u);
}

}  // namespace
