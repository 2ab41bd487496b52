// End to end: demo, ingest, replay/stats, log, facts, artifacts, sessions,
// export/import, run as the built binary in a temporary folder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli/cli_runner.hpp"
#include "cli/schema_check.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "support/test_support.hpp"

namespace {

using contextweaver::Json;
using cwtest::parse_json_output;
using cwtest::run_cli;

// Tool outputs longer than the 2000-character ingest firewall threshold.
std::string long_output() {
  std::string text;
  for (int i = 0; i < 100; ++i)
    text += "row " + std::to_string(i) + ": status open, amount " + std::to_string(100 + i) + "\n";
  return text;
}

std::string sample_jsonl() {
  const Json big = {{"type", "tool_result"},
                    {"id", "tr1"},
                    {"parent_id", "tc1"},
                    {"text", long_output()},
                    {"tool_name", "invoices.search"}};
  const Json call = {
      {"type", "tool_call"}, {"id", "tc1"}, {"parent_id", "u1"}, {"text", "invoices.search(status='open')"}};
  return std::string(R"({"type": "user_turn", "id": "u1", "text": "How many open invoices?", "timestamp": 5})") + "\n" +
         contextweaver::dumps(call) + "\n" + contextweaver::dumps(big) + "\n" +
         R"({"type": "agent_msg", "content": "There are 60 open invoices."})" + "\n";
}

// Runs `command` under script(1) in `cwd` and returns what it wrote to the terminal.
std::string run_cli_via_script(const std::string& command, const std::filesystem::path& cwd) {
  const auto out = cwd / "typescript.out";
  const std::string shell =
      "cd '" + cwd.string() + "' && script -qec \"" + command + "\" /dev/null > '" + out.string() + "'";
  if (std::system(shell.c_str()) != 0) return "script(1) failed";
  return cwtest::read_file(out);
}

TEST(CliDemo, WritesAPersistentSessionAndCanRunAgain) {
  cwtest::TempDir dir;
  const auto first = run_cli({"demo"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("[1/5] Loaded catalog: "), std::string::npos);
  EXPECT_NE(first.out.find("[4/5] Built context pack: phase=answer"), std::string::npos);
  EXPECT_NE(first.out.find("Demo complete."), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / ".contextweaver/sessions/demo/session.db"));
  const auto again = run_cli({"demo", "--json"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const Json doc = parse_json_output(again);
  EXPECT_EQ(doc["persistence"]["events"], Json::parse(R"(["u1", "a1", "tc1", "tr1"])"));
  EXPECT_EQ(doc["persistence"]["drilldown"]["text"], "invoice_id: INV-001\nstatus: open\namount: 5000");
  EXPECT_EQ(doc["context"]["stats"]["included_count"], 4);
  // The demo session was reset, not appended to.
  const auto log = parse_json_output(run_cli({"log", "--session", "demo", "--json"}, dir.path()));
  EXPECT_EQ(log["total"], 4);
}

TEST(CliDemo, RefusesToResetASessionItDidNotCreate) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", sample_jsonl());
  ASSERT_EQ(run_cli({"ingest", "--events", "s.jsonl", "--session", "mine"}, dir.path()).exit_code, 0);
  const auto result = run_cli({"demo", "--session", "mine"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("Error: session 'mine' holds data that the demo did not write"), std::string::npos);
  EXPECT_EQ(parse_json_output(run_cli({"log", "--session", "mine", "--json"}, dir.path()))["total"], 4);
}

TEST(CliIngest, FirewallsLargeToolResultsAndReportsDuplicates) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", sample_jsonl());
  const auto first = run_cli({"ingest", "--events", "s.jsonl", "--out", "session.json", "--json"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const Json report = parse_json_output(first);
  EXPECT_EQ(report["ingested"], 4);
  EXPECT_EQ(report["firewall_triggers"], 1);
  EXPECT_EQ(report["event_counts"],
            Json::parse(R"({"user_turn": 1, "tool_call": 1, "tool_result": 1, "agent_msg": 1})"));
  // The reference's session JSON: the firewalled event, default ids, metadata from extra keys.
  const Json session = contextweaver::loads(cwtest::read_file(dir / "session.json"));
  ASSERT_EQ(session["events"].size(), 4u);
  EXPECT_EQ(session["events"][0]["metadata"], Json::parse(R"({"timestamp": 5})"));
  EXPECT_EQ(session["events"][2]["id"], "result:tc1");
  EXPECT_EQ(session["events"][2]["artifact_ref"]["handle"], "artifact:result:tc1");
  EXPECT_EQ(session["events"][3]["id"], "line-4");
  EXPECT_TRUE(session["artifacts"].contains("artifact:result:tc1"));

  const auto again = run_cli({"ingest", "--events", "s.jsonl"}, dir.path());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("Error: 4 of 4 events are already in session 'default' ('u1', 'tc1', 'result:tc1', "
                           "'line-4'); nothing was ingested."),
            std::string::npos)
      << again.err;
  const auto quiet = run_cli({"ingest", "--events", "s.jsonl", "--skip-existing"}, dir.path());
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
  EXPECT_NE(quiet.out.find("Ingested 0 events"), std::string::npos);
  EXPECT_EQ(parse_json_output(run_cli({"log", "--json"}, dir.path()))["total"], 4);
}

TEST(CliSessionCommands, LogFactsArtifactsSessionsAndJsonShapes) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", sample_jsonl());
  ASSERT_EQ(run_cli({"ingest", "--events", "s.jsonl", "--session", "work"}, dir.path()).exit_code, 0);
  const std::vector<std::string> s = {"--session", "work", "--json"};
  const auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), s.begin(), s.end());
    const auto result = run_cli(args, dir.path());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return parse_json_output(result);
  };
  EXPECT_EQ(with({"log", "--tail", "2"})["items"][0]["id"], "result:tc1");
  EXPECT_EQ(with({"log", "--children", "tc1"})["items"][0]["id"], "result:tc1");
  EXPECT_EQ(with({"log", "--kinds", "user_turn,agent_msg", "--limit", "1"})["items"][0]["id"], "u1");
  EXPECT_EQ(with({"log", "--id", "u1"})["item"]["text"], "How many open invoices?");

  const Json artifacts = with({"artifacts", "list"});
  ASSERT_EQ(artifacts["count"], 1);
  EXPECT_EQ(with({"artifacts", "show", "--handle", "artifact:result:tc1", "--lines", "1:3"})["content"],
            "row 1: status open, amount 101\nrow 2: status open, amount 102");
  EXPECT_EQ(with({"artifacts", "show", "--handle", "artifact:result:tc1", "--head", "5"})["content"], "row 0");

  const Json put = with({"facts", "put", "--key", "tier", "--value", "gold", "--tag", "crm"});
  const std::string id = put["fact"]["fact_id"];
  EXPECT_EQ(with({"facts", "get", "--id", id})["fact"]["value"], "gold");
  EXPECT_EQ(with({"facts", "list", "--key", "tier"})["count"], 1);
  with({"facts", "delete", "--id", id});
  const auto missing = run_cli({"facts", "get", "--id", id, "--session", "work"}, dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("Error: "), std::string::npos);

  const Json sessions = parse_json_output(run_cli({"sessions", "--json"}, dir.path()));
  ASSERT_EQ(sessions["sessions"].size(), 1u);
  EXPECT_EQ(sessions["sessions"][0]["name"], "work");
  EXPECT_EQ(sessions["sessions"][0]["events"], 4);
  EXPECT_EQ(sessions["sessions"][0]["artifacts"], 1);
}

// The gateway records artifacts in session.db, ingest writes files: the
// commands see one set of artifacts.
TEST(CliSessionCommands, ArtifactsInTheSessionDatabaseAndFolderAreOneSet) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", sample_jsonl());
  ASSERT_EQ(run_cli({"ingest", "--events", "s.jsonl", "--session", "work"}, dir.path()).exit_code, 0);
  {
    contextweaver::SqliteArtifactStore recorded((dir / ".contextweaver" / "sessions" / "work" / "session.db").string());
    recorded.put("text:files.read:0123456789abcdef", "first line\nsecond line", "text/plain", "text result");
  }
  const auto with = [&](std::vector<std::string> args) {
    for (const char* arg : {"--session", "work", "--json"}) args.emplace_back(arg);
    const auto result = run_cli(args, dir.path());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return parse_json_output(result);
  };
  const Json listed = with({"artifacts", "list"});
  ASSERT_EQ(listed["count"], 2);
  EXPECT_EQ(listed["artifacts"][0]["handle"], "artifact:result:tc1");
  EXPECT_EQ(listed["artifacts"][1]["handle"], "text:files.read:0123456789abcdef");
  EXPECT_EQ(with({"artifacts", "show", "--handle", "text:files.read:0123456789abcdef", "--lines", "1:2"})["content"],
            "second line");
  EXPECT_EQ(with({"artifacts", "show", "--handle", "artifact:result:tc1", "--head", "5"})["content"], "row 0");
  EXPECT_EQ(parse_json_output(run_cli({"sessions", "--json"}, dir.path()))["sessions"][0]["artifacts"], 2);

  ASSERT_EQ(run_cli({"export", "--session", "work", "--out", "out.json"}, dir.path()).exit_code, 0);
  const Json exported = contextweaver::loads(cwtest::read_file(dir / "out.json"));
  EXPECT_TRUE(exported["artifacts"].contains("artifact:result:tc1"));  // the format keeps metadata, not bytes
  EXPECT_EQ(exported["artifacts"]["text:files.read:0123456789abcdef"]["label"], "text result");
}

TEST(CliSessionCommands, ReplayAndStatsOutputsMatchTheReferenceSchemas) {
  CW_REQUIRE_SHARED(shared);
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", sample_jsonl());
  ASSERT_EQ(run_cli({"ingest", "--events", "s.jsonl"}, dir.path()).exit_code, 0);
  const Json schema =
      contextweaver::loads(cwtest::read_file(shared / "data/reference/schemas/build_stats.schema.json"));
  const auto replay = run_cli({"replay", "--json"}, dir.path());
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  const Json doc = parse_json_output(replay);
  EXPECT_TRUE(cwtest::schema_violations(schema, doc["stats"]).empty())
      << ::testing::PrintToString(cwtest::schema_violations(schema, doc["stats"]));
  EXPECT_EQ(doc["artifacts"], Json::parse(R"(["artifact:result:tc1"])"));
  const auto stats = run_cli({"stats", "--json"}, dir.path());
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  const Json report = parse_json_output(stats);
  EXPECT_EQ(report["report"]["version"], 1);
  EXPECT_TRUE(cwtest::schema_violations(schema, report["stats"]).empty());
  const auto text = run_cli({"stats", "--format", "text"}, dir.path());
  EXPECT_EQ(text.out.rfind(std::string(50, '=') + "\nContext Build Report\n", 0), 0u) << text.out;
  const auto plain = run_cli({"replay"}, dir.path());
  EXPECT_EQ(plain.out.rfind("=== Context Build: phase=answer, budget=4000 ===\nStats: total_candidates=", 0), 0u);
}

TEST(CliSessionCommands, ExportImportRoundTrip) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", sample_jsonl());
  ASSERT_EQ(run_cli({"ingest", "--events", "s.jsonl"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_cli({"export", "--out", "out.json"}, dir.path()).exit_code, 0);
  const auto imported = run_cli({"import", "--in", "out.json", "--session", "copy", "--json"}, dir.path());
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(parse_json_output(imported)["imported_events"], 4);
  const auto original = run_cli({"export"}, dir.path());
  const auto copy = run_cli({"export", "--session", "copy"}, dir.path());
  const Json a = contextweaver::loads(original.out);
  const Json b = contextweaver::loads(copy.out);
  EXPECT_EQ(a["events"], b["events"]);
  EXPECT_EQ(a["facts"], b["facts"]);
  // Replaying a session file gives the same build as replaying the session.
  EXPECT_EQ(run_cli({"replay", "--session", "out.json", "--json"}, dir.path()).out,
            run_cli({"replay", "--json"}, dir.path()).out);
  EXPECT_EQ(run_cli({"import", "--in", "out.json", "--session", "copy"}, dir.path()).exit_code, 1);
}

}  // namespace

namespace {

TEST(CliIngest, ProgressBarOnlyOnATerminal) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", sample_jsonl());
  const auto piped = run_cli({"ingest", "--events", "s.jsonl", "--session", "piped"}, dir.path());
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out.find("Ingesting ["), std::string::npos);
  EXPECT_EQ(piped.out.rfind("Ingested 4 events from s.jsonl\n", 0), 0u);
  if (!std::filesystem::exists("/usr/bin/script")) GTEST_SKIP() << "util-linux script(1) is needed for a terminal";
  // script(1) gives the program a pseudo-terminal as stdout.
  const std::string command = cwtest::cli_binary().string() + " ingest --events s.jsonl --session tty";
  const auto tty = run_cli_via_script(command, dir.path());
  EXPECT_NE(tty.find("\rIngesting ["), std::string::npos) << tty;
  EXPECT_NE(tty.find("] 4/4 (100%)"), std::string::npos) << tty;
  EXPECT_NE(tty.find("Ingested 4 events"), std::string::npos) << tty;
}

}  // namespace
