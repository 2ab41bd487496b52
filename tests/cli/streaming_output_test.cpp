// export, log and replay/stats on large sessions (docs/cli.md#export--import,
// #log, #replay): export and the whole-log outputs are streamed and
// must stay byte-identical to the whole-document outputs (ingest --out still
// writes the session JSON as one document; log with --since 0 still builds
// its table and document whole); replay/stats of a workspace session build
// from its stores and must equal replay/stats of the exported session file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_database.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using contextweaver::Json;
using cwtest::run_cli;

std::string long_output() {
  std::string text;
  for (int i = 0; i < 100; ++i)
    text += "row " + std::to_string(i) + ": status open, amount " + std::to_string(i) + "\n";
  return text;
}

// A session file for import with awkward content: non-ASCII (BMP and astral),
// control characters and DEL, floats of every repr form, nested metadata,
// an artifact ref, facts and episodes.
std::string seed_session() {
  Json events = Json::array();
  events.push_back(
      Json{{"id", "u1"},
           {"kind", "user_turn"},
           {"text", "caf\u00e9 \u65e5\u672c \U0001F600 ctl \x01\x1f\x7f tab\t nl\n quote\" bs\\"},
           {"metadata", Json{{"nested", Json{{"deep", Json::array({1, 2.5, Json::object(), Json::array()})}}},
                             {"floats", Json::array({0.1, 1e16, 1e-5, -0.0, 123456789.0, 1.5e300})},
                             {"flags", Json::array({true, false, nullptr})},
                             {"\u00e9t\u00e9", "\u2028\u2029"}}},
           {"parent_id", nullptr}});
  events.push_back(Json{{"id", "tc1"},
                        {"kind", "tool_call"},
                        {"text", "search(q='\u00fc')"},
                        {"token_estimate", 7},
                        {"sensitivity", "confidential"},
                        {"parent_id", "u1"}});
  events.push_back(Json{
      {"id", "tr0"},
      {"kind", "tool_result"},
      {"text", "summary of a stored result"},
      {"parent_id", "tc1"},
      {"artifact_ref",
       Json{{"handle", "artifact:seed"}, {"media_type", "text/plain"}, {"size_bytes", 12}, {"label", "seed \u00e9"}}}});
  return contextweaver::dumps(Json{{"events", events},
                                   {"facts", Json{{"lang", "fran\u00e7ais"}, {"empty", ""}}},
                                   {"episodes", Json::array({Json{{"episode_id", "ep1"}, {"summary", "first \u00e9"}},
                                                             Json{{"episode_id", "ep2"}, {"summary", ""}}})}});
}

std::string more_events_jsonl() {
  std::string out;
  out +=
      contextweaver::dumps(Json{{"type", "tool_call"}, {"id", "tc2"}, {"parent_id", "u1"}, {"text", "rows()"}}) + "\n";
  out += contextweaver::dumps(Json{{"type", "tool_result"},
                                   {"id", "tr2"},
                                   {"parent_id", "tc2"},
                                   {"text", long_output()},
                                   {"tool_name", "rows"}}) +
         "\n";
  for (int i = 0; i < 40; ++i) {
    out += contextweaver::dumps(Json{{"type", i % 2 ? "agent_msg" : "user_turn"},
                                     {"id", "m" + std::to_string(i)},
                                     {"text", "message " + std::to_string(i) + " \u00e0 propos de la facture " +
                                                  std::to_string(i * 7) + "\nsecond line"}}) +
           "\n";
  }
  return out;
}

class StreamingOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cwtest::write_file(dir_ / "seed.json", seed_session());
    ok({"import", "--in", "seed.json", "--session", "s"});
    // Two facts with one key: the session JSON keeps the key once, with the last value.
    ok({"facts", "put", "--key", "lang", "--value", "deutsch", "--metadata", R"({"m": 1})", "--session", "s"});
    ok({"facts", "put", "--key", "z\u00e9", "--value", "last", "--session", "s"});
    {
      contextweaver::SqliteArtifactStore recorded((dir_ / ".contextweaver" / "sessions" / "s" / "session.db").string());
      recorded.put("text:rec:0123456789abcdef", "first line\nsecond line", "text/plain", "recorded \u00e9");
    }
    cwtest::write_file(dir_ / "more.jsonl", more_events_jsonl());
    // ingest --out writes the whole session as one document: the reference bytes.
    ok({"ingest", "--events", "more.jsonl", "--session", "s", "--out", "dom.json"});
    dom_ = cwtest::read_file(dir_ / "dom.json");
  }

  cwtest::CliResult ok(const std::vector<std::string>& args) {
    auto result = run_cli(args, dir_.path());
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.err;
    return result;
  }

  // The same command on the workspace session and on the exported file: the same result, error or not.
  void expect_same_from_stores_and_file(const std::vector<std::string>& args) {
    auto from_stores = args;
    from_stores.insert(from_stores.end(), {"--session", "s"});
    auto from_file = args;
    from_file.insert(from_file.end(), {"--session", "./dom.json"});
    const auto a = run_cli(from_stores, dir_.path());
    const auto b = run_cli(from_file, dir_.path());
    EXPECT_EQ(a.exit_code, b.exit_code) << ::testing::PrintToString(args);
    EXPECT_EQ(a.out, b.out) << ::testing::PrintToString(args);
    EXPECT_EQ(a.err, b.err) << ::testing::PrintToString(args);
    ++(a.exit_code == 0 ? succeeded_ : failed_);
  }

  cwtest::TempDir dir_;
  std::string dom_;
  int succeeded_ = 0;
  int failed_ = 0;
};

TEST_F(StreamingOutputTest, ExportIsByteIdenticalToTheWholeDocument) {
  const Json doc = contextweaver::loads(dom_);
  ASSERT_EQ(doc["event_count"], 45);
  ASSERT_EQ(doc["artifacts"].size(), 2u);  // the firewalled result and the recorded one
  ASSERT_EQ(doc["facts"]["lang"], "deutsch");
  EXPECT_EQ(ok({"export", "--session", "s"}).out, dom_);
  EXPECT_EQ(ok({"export", "--session", "s", "--json"}).out, dom_);  // the document itself, with or without --json
  const auto to_file = ok({"export", "--session", "s", "--out", "streamed.json", "--json"});
  EXPECT_EQ(cwtest::read_file(dir_ / "streamed.json"), dom_);
  EXPECT_EQ(cwtest::parse_json_output(to_file)["events"], 45);
  EXPECT_EQ(ok({"export", "--session", "s", "--out", "streamed2.json"}).out,
            "Exported session 's' (45 events) to streamed2.json\n");
}

TEST_F(StreamingOutputTest, EmptySessionExportsLikeTheWholeDocument) {
  cwtest::write_file(dir_ / "empty.jsonl", "");
  ok({"ingest", "--events", "empty.jsonl", "--session", "e", "--out", "empty_dom.json"});
  const std::string expected = cwtest::read_file(dir_ / "empty_dom.json");
  EXPECT_EQ(
      expected,
      "{\n  \"event_count\": 0,\n  \"events\": [],\n  \"artifacts\": {},\n  \"facts\": {},\n  \"episodes\": []\n}\n");
  EXPECT_EQ(ok({"export", "--session", "e"}).out, expected);
  EXPECT_EQ(ok({"log", "--session", "e"}).out, "(no items)\n");
  EXPECT_EQ(ok({"log", "--session", "e", "--json"}).out,
            "{\n  \"session\": \"e\",\n  \"total\": 0,\n  \"count\": 0,\n  \"items\": []\n}\n");
}

// The whole log (streamed) and --since 0 (the same items, read whole) print the same bytes.
TEST_F(StreamingOutputTest, WholeLogIsByteIdenticalToTheMaterialisedQuery) {
  EXPECT_EQ(ok({"log", "--session", "s"}).out, ok({"log", "--session", "s", "--since", "0"}).out);
  EXPECT_EQ(ok({"log", "--session", "s", "--json"}).out, ok({"log", "--session", "s", "--since", "0", "--json"}).out);
  const Json doc = contextweaver::loads(dom_);
  const Json expected = Json{{"session", "s"}, {"total", 45}, {"count", 45}, {"items", doc["events"]}};
  EXPECT_EQ(ok({"log", "--session", "s", "--json"}).out, contextweaver::dumps(expected, {false, 2, true}) + "\n");
}

// replay/stats build from the session's stores; the exported file gives the same bytes.
TEST_F(StreamingOutputTest, ReplayFromStoresEqualsReplayFromTheExportedFile) {
  for (const char* phase : {"route", "call", "interpret", "answer"}) {
    for (const char* budget : {"60", "1500", "6000"}) {  // 60: the header alone is over budget, an error
      for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{{}, {"--json"}, {"--full"}}) {
        std::vector<std::string> replay = {"replay", "--phase", phase, "--budget", budget};
        replay.insert(replay.end(), extra.begin(), extra.end());
        expect_same_from_stores_and_file(replay);
      }
      for (const std::vector<std::string>& extra :
           std::vector<std::vector<std::string>>{{"--format", "text"}, {"--json"}, {"--query", "facture"}}) {
        std::vector<std::string> stats = {"stats", "--phase", phase, "--budget", budget};
        stats.insert(stats.end(), extra.begin(), extra.end());
        expect_same_from_stores_and_file(stats);
      }
    }
  }
  EXPECT_GT(succeeded_, 40);
  EXPECT_GT(failed_, 0);
  const auto text = ok({"replay", "--session", "s"});
  EXPECT_NE(text.out.find("Artifacts available: ['artifact:result:tc2', 'text:rec:0123456789abcdef']"),
            std::string::npos)
      << text.out;
  // One line per key, with the key's last value.
  EXPECT_NE(text.out.find("'lang=deutsch'"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("'z\u00e9=last'"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("lang=fran"), std::string::npos) << text.out;
}

// replay never writes the session: its firewall artifacts go to a private store.
TEST_F(StreamingOutputTest, ReplayLeavesTheSessionUnchanged) {
  ok({"replay", "--session", "s", "--budget", "8000"});
  ok({"stats", "--session", "s", "--phase", "interpret"});
  EXPECT_EQ(ok({"export", "--session", "s"}).out, dom_);
}

// export --out is atomic: a failure part way through leaves the old file and no temporary file.
TEST_F(StreamingOutputTest, ExportFailureLeavesNothingBehind) {
  // Enough events that the output is handed to the file before the bad row is read.
  std::string jsonl;
  for (int i = 0; i < 3000; ++i) {
    jsonl += contextweaver::dumps(
                 Json{{"type", "user_turn"}, {"id", "b" + std::to_string(i)}, {"text", std::string(200, 'x')}}) +
             "\n";
  }
  cwtest::write_file(dir_ / "big.jsonl", jsonl);
  ok({"ingest", "--events", "big.jsonl", "--session", "s"});
  {
    // A row that cannot be read back (an unknown kind), written past the library.
    auto db = contextweaver::SqliteDatabase::open((dir_ / ".contextweaver" / "sessions" / "s" / "session.db").string());
    db->exec(
        "INSERT INTO event_log (id, kind, text, token_estimate, sensitivity, metadata)"
        " VALUES ('bad', 'no_such_kind', 'x', 0, 'public', '{}')");
  }
  fs::create_directory(dir_ / "out");
  cwtest::write_file(dir_ / "out" / "session.json", "old");
  const auto result = run_cli({"export", "--session", "s", "--out", "out/session.json"}, dir_.path());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("no_such_kind"), std::string::npos) << result.err;  // failed at the bad row
  EXPECT_EQ(cwtest::read_file(dir_ / "out" / "session.json"), "old");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_ / "out")) names.push_back(entry.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"session.json"});
  // Into a folder that does not exist: an error, nothing created.
  const auto missing = run_cli({"export", "--session", "s", "--out", "nowhere/session.json"}, dir_.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("cannot write 'nowhere/session.json'"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir_ / "nowhere"));
}

}  // namespace
