// End to end: `import` checks the whole session file first and writes it in
// one transaction (docs/cli.md#export--import).
#include <gtest/gtest.h>

#include <string>

#include "cli/cli_runner.hpp"
#include "support/test_support.hpp"

namespace {

using contextweaver::Json;
using cwtest::parse_json_output;
using cwtest::run_cli;

Json session_file(Json facts) {
  return Json{{"event_count", 2},
              {"events", Json::array({Json{{"id", "u1"}, {"kind", "user_turn"}, {"text", "hi"}},
                                      Json{{"id", "a1"}, {"kind", "agent_msg"}, {"text", "hello"}}})},
              {"artifacts", Json::object()},
              {"facts", std::move(facts)},
              {"episodes", Json::array({Json{{"episode_id", "ep1"}, {"summary", "greeting"}}})}};
}

void write_json(const cwtest::TempDir& dir, const std::string& name, const Json& doc) {
  cwtest::write_file(dir / name, contextweaver::dumps(doc));
}

Json exported(const cwtest::TempDir& dir, const std::string& session) {
  const auto result = run_cli({"export", "--session", session}, dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? contextweaver::loads(result.out) : Json();
}

std::int64_t fact_count(const cwtest::TempDir& dir, const std::string& session) {
  const auto result = run_cli({"facts", "list", "--json", "--session", session}, dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return parse_json_output(result)["count"].get<std::int64_t>();
}

TEST(CliImport, ABadFactValueWritesNothingAndNamesTheFile) {
  cwtest::TempDir dir;
  write_json(dir, "bad.json", session_file(Json{{"plan", "gold"}, {"seats", 5}}));
  const auto failed = run_cli({"import", "--in", "bad.json", "--session", "s"}, dir.path());
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(failed.err.rfind("Error: bad.json: fact 'seats': ", 0), 0u) << failed.err;
  // Nothing was written: the corrected file imports as a first run would.
  write_json(dir, "good.json", session_file(Json{{"plan", "gold"}, {"seats", "5"}}));
  const auto fixed = run_cli({"import", "--in", "good.json", "--session", "s", "--json"}, dir.path());
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(parse_json_output(fixed)["imported_events"], 2);
  EXPECT_EQ(exported(dir, "s")["events"].size(), 2u);
}

TEST(CliImport, NullSectionsAreErrors) {
  cwtest::TempDir dir;
  for (const char* key : {"events", "facts", "episodes", "artifacts"}) {
    Json doc = session_file(Json::object());
    doc[key] = nullptr;
    write_json(dir, "null.json", doc);
    const auto result = run_cli({"import", "--in", "null.json", "--session", "s"}, dir.path());
    EXPECT_EQ(result.exit_code, 1) << key;
    const std::string kind = std::string(key) == "events" || std::string(key) == "episodes" ? "a list" : "an object";
    EXPECT_EQ(result.err, "Error: null.json: '" + std::string(key) + "' must be " + kind + ", got NoneType\n");
  }
  const auto listed = run_cli({"sessions", "--json"}, dir.path());
  EXPECT_TRUE(parse_json_output(listed)["sessions"].empty());
}

TEST(CliImport, NewFactIdsNeverReplaceAFact) {
  cwtest::TempDir dir;
  ASSERT_EQ(run_cli({"facts", "put", "--key", "a", "--value", "1", "--session", "s"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_cli({"facts", "put", "--key", "b", "--value", "2", "--session", "s"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_cli({"facts", "delete", "--id", "fact:a:0", "--session", "s"}, dir.path()).exit_code, 0);
  // One fact left (fact:b:1); the import's first fact would be numbered 1 too.
  Json doc = session_file(Json{{"b", "other"}});
  write_json(dir, "f.json", doc);
  const auto result = run_cli({"import", "--in", "f.json", "--session", "s"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(fact_count(dir, "s"), 2);
  const auto kept = run_cli({"facts", "get", "--id", "fact:b:1", "--json", "--session", "s"}, dir.path());
  EXPECT_EQ(parse_json_output(kept)["fact"]["value"], "2");
}

TEST(CliImport, SkipExistingSkipsFactsAndEpisodesToo) {
  cwtest::TempDir dir;
  write_json(dir, "f.json", session_file(Json{{"plan", "gold"}}));
  ASSERT_EQ(run_cli({"import", "--in", "f.json", "--session", "s"}, dir.path()).exit_code, 0);
  const auto again = run_cli({"import", "--in", "f.json", "--session", "s", "--skip-existing", "--json"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const Json report = parse_json_output(again);
  EXPECT_EQ(report["imported_events"], 0);
  EXPECT_EQ(report["facts"], 0);
  EXPECT_EQ(report["episodes"], 0);
  EXPECT_EQ(fact_count(dir, "s"), 1);
  EXPECT_EQ(exported(dir, "s")["episodes"].size(), 1u);
  // Without --skip-existing, facts and episodes already there are named like events.
  Json only_facts = session_file(Json{{"plan", "gold"}});
  only_facts["events"] = Json::array();
  write_json(dir, "g.json", only_facts);
  const auto refused = run_cli({"import", "--in", "g.json", "--session", "s"}, dir.path());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(
      refused.err.rfind("Error: 1 of 1 facts and 1 of 1 episodes are already in session 's' (first: fact 'plan'); "
                        "nothing was imported.",
                        0),
      0u)
      << refused.err;
}

TEST(CliImport, LoneSurrogatesAreRefused) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.json",
                     "{\"events\": [\n{\"id\": \"\\ud800\", \"kind\": \"user_turn\", \"text\": \"a\"},\n"
                     "{\"id\": \"\\udfff\", \"kind\": \"user_turn\", \"text\": \"b\"}]}");
  const auto result = run_cli({"import", "--in", "s.json", "--session", "s"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("Error: s.json: invalid JSON \u2014 Lone surrogate \\ud800 in string: line 2", 0), 0u)
      << result.err;
}

}  // namespace
