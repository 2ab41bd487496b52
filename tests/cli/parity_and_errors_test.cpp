// End to end: golden prompts for the four scenarios, routing the gold queries,
// and bad inputs (missing file, corrupt line, unwritable workspace, corrupt
// database, concurrent ingests).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_runner.hpp"
#include "cli/schema_check.hpp"
#include "support/test_support.hpp"

namespace {

using contextweaver::Json;
using cwtest::parse_json_output;
using cwtest::run_cli;

TEST(CliParity, EveryScenarioPhaseMatchesTheGoldenPrompt) {
  CW_REQUIRE_SHARED(shared);
  cwtest::TempDir dir;
  const Json budgets = {{"route", 2000}, {"call", 4000}, {"interpret", 4000}, {"answer", 6000}};
  for (const std::string scenario :
       {"short_conversation", "long_conversation", "large_catalog", "stress_conversation"}) {
    const auto events = shared / "data/reference/benchmarks/scenarios" / (scenario + ".jsonl");
    // --no-firewall: the golden builds ingest every line raw, as the benchmark does.
    const auto ingest =
        run_cli({"ingest", "--events", events.string(), "--session", scenario, "--no-firewall"}, dir.path());
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    const Json golden =
        contextweaver::loads(cwtest::read_file(shared / "data/golden" / ("context_" + scenario + ".json")));
    for (const auto& [phase, budget] : budgets.items()) {
      const auto replay = run_cli({"replay", "--session", scenario, "--phase", phase, "--budget", budget.dump(),
                                   "--query", golden["query"].get<std::string>(), "--json"},
                                  dir.path());
      ASSERT_EQ(replay.exit_code, 0) << replay.err;
      const Json doc = parse_json_output(replay);
      EXPECT_EQ(doc["prompt"], golden["phases"][phase]["prompt"]) << scenario << " " << phase;
      EXPECT_EQ(doc["stats"], golden["phases"][phase]["stats"]) << scenario << " " << phase;
    }
  }
}

TEST(CliParity, RoutesTheGoldQueriesAsTheGoldenRouting) {
  CW_REQUIRE_SHARED(shared);
  cwtest::TempDir dir;
  const auto catalog = shared / "data/golden/catalog_83.json";
  const auto build = run_cli({"build", "--catalog", catalog.string(), "--out", "graph.json", "--json"}, dir.path());
  ASSERT_EQ(build.exit_code, 0) << build.err;
  const Json golden = contextweaver::loads(cwtest::read_file(shared / "data/golden/routing_tfidf_83.json"));
  const Json card_schema =
      contextweaver::loads(cwtest::read_file(shared / "data/reference/schemas/choice_card.schema.json"));
  const Json& queries = golden["queries"];
  ASSERT_TRUE(queries.is_array());
  int checked = 0;
  for (const auto& query : queries) {
    if (checked == 25) break;  // each query is a process start; 25 cover every namespace of the gold set
    ++checked;
    // The golden router: the reference's TF-IDF beam search, beam width 2, top_k 10.
    const auto route =
        run_cli({"route", "--graph", "graph.json", "--catalog", catalog.string(), "--query",
                 query["query"].get<std::string>(), "--router", "reference-tfidf", "--beam-width", "2", "--json"},
                dir.path());
    ASSERT_EQ(route.exit_code, 0) << route.err;
    const Json doc = parse_json_output(route);
    std::vector<std::string> expected;
    std::vector<double> expected_scores;
    for (const auto& row : query["top"]) {
      expected.push_back(row["id"]);
      expected_scores.push_back(row["score"]);
    }
    EXPECT_EQ(doc["candidate_ids"].get<std::vector<std::string>>(), expected) << query["query"];
    EXPECT_EQ(doc["scores"].get<std::vector<double>>(), expected_scores) << query["query"];
    for (const auto& card : doc["cards"]) EXPECT_TRUE(cwtest::schema_violations(card_schema, card).empty()) << card;
  }
  EXPECT_EQ(checked, 25);
}

TEST(CliRouting, InitBuildPrintTreeAndUsageErrors) {
  cwtest::TempDir dir;
  ASSERT_EQ(run_cli({"init"}, dir.path()).exit_code, 0);
  const auto again = run_cli({"init"}, dir.path());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, "Error: contextweaver.json, sample_catalog.json already exist. Use --force to overwrite.\n");
  const auto build = run_cli({"build", "--catalog", "./sample_catalog.json", "--out", "graph.json"}, dir.path());
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(build.out.rfind("Loaded 56 items from sample_catalog.json\nGraph saved to graph.json\nStats: {\n", 0), 0u);
  const auto tree = run_cli({"print-tree", "--graph", "graph.json", "--depth", "1"}, dir.path());
  EXPECT_EQ(tree.out.rfind("Routing tree (depth=1):\n> root", 0), 0u) << tree.out;
  EXPECT_NE(tree.out.find("\nStats: 8 nodes, 56 items, depth=2\n"), std::string::npos) << tree.out;
  EXPECT_EQ(run_cli({"build", "--catalog", "sample_catalog.json"}, dir.path()).exit_code, 2);  // missing --out
  EXPECT_EQ(run_cli({"replay", "--phase", "lunch"}, dir.path()).exit_code, 2);
  EXPECT_EQ(run_cli({"log", "--tail", "1", "--kinds", "user_turn"}, dir.path()).exit_code, 2);
  EXPECT_EQ(run_cli({"log", "--kinds", "lunch"}, dir.path()).exit_code, 2);
  EXPECT_EQ(
      run_cli({"route", "--graph", "graph.json", "--catalog", "sample_catalog.json", "--query", "x", "--top-k", "many"},
              dir.path())
          .exit_code,
      2);
}

TEST(CliErrors, MissingFileAndCorruptLine) {
  cwtest::TempDir dir;
  const auto missing = run_cli({"ingest", "--events", "nope.jsonl"}, dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "Error: cannot read 'nope.jsonl': No such file or directory\n");
  cwtest::write_file(dir / "bad.jsonl", "{\"id\": \"a\"}\n{\"id\": \"b\"}\n{\"id\": \"c\",}\n{\"id\": \"d\"}\n");
  const auto corrupt = run_cli({"ingest", "--events", "bad.jsonl"}, dir.path());
  EXPECT_EQ(corrupt.exit_code, 1);
  EXPECT_EQ(
      corrupt.err.rfind("Error: bad.jsonl:3: invalid JSON \u2014 Expecting property name enclosed in double quotes", 0),
      0u)
      << corrupt.err;
  // Nothing of the file was written.
  const auto log = run_cli({"log"}, dir.path());
  EXPECT_EQ(log.exit_code, 1);
  EXPECT_NE(log.err.find("Session 'default' not found"), std::string::npos) << log.err;
  cwtest::write_file(dir / "list.jsonl", "[1, 2]\n");
  const auto list = run_cli({"ingest", "--events", "list.jsonl"}, dir.path());
  EXPECT_EQ(list.err, "Error: list.jsonl:1: expected a JSON object, got list\n");
  EXPECT_EQ(run_cli({"log", "--session", "../x"}, dir.path()).exit_code, 1);
}

TEST(CliErrors, UnwritableWorkspaceAndCorruptDatabase) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "s.jsonl", "{\"id\": \"a\", \"text\": \"hi\"}\n");
  // A file where the workspace folder should be: no process can create it (root included).
  cwtest::write_file(dir / "blocked", "");
  const auto blocked = run_cli({"ingest", "--events", "s.jsonl", "--workspace", "blocked/ws"}, dir.path());
  EXPECT_EQ(blocked.exit_code, 1);
  EXPECT_EQ(blocked.err.rfind("Error: cannot create folder 'blocked/ws/sessions/default'", 0), 0u) << blocked.err;
  if (::geteuid() != 0) {
    std::filesystem::create_directory(dir / "ro");
    std::filesystem::permissions(dir / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    const auto readonly = run_cli({"ingest", "--events", "s.jsonl", "--workspace", "ro"}, dir.path());
    EXPECT_EQ(readonly.exit_code, 1);
    EXPECT_NE(readonly.err.find("Permission denied"), std::string::npos) << readonly.err;
  }
  ASSERT_EQ(run_cli({"ingest", "--events", "s.jsonl"}, dir.path()).exit_code, 0);
  cwtest::write_file(dir / ".contextweaver/sessions/default/session.db", std::string(4096, 'x'));
  std::filesystem::remove(dir / ".contextweaver/sessions/default/session.db-wal");
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"log"}, {"replay"}, {"ingest", "--events", "s.jsonl"}}) {
    const auto result = run_cli(args, dir.path());
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_EQ(result.err.rfind("Error: ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find("not a database"), std::string::npos) << result.err;
  }
  // The listing still works and names the broken session.
  const auto listing = run_cli({"sessions", "--json"}, dir.path());
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  const Json sessions = parse_json_output(listing);
  ASSERT_EQ(sessions["sessions"].size(), 1u);
  EXPECT_TRUE(sessions["sessions"][0]["events"].is_null());
  EXPECT_NE(sessions["sessions"][0]["error"].get<std::string>().find("not a database"), std::string::npos);
}

TEST(CliErrors, ConcurrentIngestsAreSerializedAndLoseNothing) {
  cwtest::TempDir dir;
  constexpr int kProcesses = 4;
  constexpr int kLines = 300;
  for (int p = 0; p < kProcesses; ++p) {
    std::string text;
    for (int i = 0; i < kLines; ++i) {
      text += contextweaver::dumps(Json{{"id", "p" + std::to_string(p) + "-" + std::to_string(i)},
                                        {"type", i % 2 == 0 ? "user_turn" : "agent_msg"},
                                        {"text", "message " + std::to_string(i)}}) +
              "\n";
    }
    cwtest::write_file(dir / ("p" + std::to_string(p) + ".jsonl"), text);
  }
  std::vector<std::unique_ptr<cwtest::CliProcess>> processes;
  for (int p = 0; p < kProcesses; ++p) {
    processes.push_back(std::make_unique<cwtest::CliProcess>(
        std::vector<std::string>{"ingest", "--events", "p" + std::to_string(p) + ".jsonl"}, dir.path()));
  }
  for (auto& process : processes) {
    const auto result = process->wait();
    EXPECT_EQ(result.exit_code, 0) << result.err;
  }
  const Json log = parse_json_output(run_cli({"log", "--json"}, dir.path()));
  ASSERT_EQ(log["total"], kProcesses * kLines);
  // Serialized: each file's lines are contiguous and in order.
  for (int start = 0; start < kProcesses * kLines; start += kLines) {
    const std::string first = log["items"][start]["id"];
    const std::string prefix = first.substr(0, first.find('-') + 1);
    for (int i = 0; i < kLines; ++i) EXPECT_EQ(log["items"][start + i]["id"], prefix + std::to_string(i));
  }
}

}  // namespace

// `route` uses the default router unless --router names another: it ranks the
// catalog's tools directly and says when nothing fits.
TEST(CliRoute, DefaultRouterRanksToolsAndRefusesNonsense) {
  cwtest::TempDir dir;
  ASSERT_EQ(run_cli({"init"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_cli({"build", "--catalog", "sample_catalog.json", "--out", "graph.json"}, dir.path()).exit_code, 0);
  const auto flights = run_cli({"route", "--graph", "graph.json", "--catalog", "sample_catalog.json", "--query",
                                "book a flight to Berlin", "--top-k", "3", "--json"},
                               dir.path());
  ASSERT_EQ(flights.exit_code, 0) << flights.err;
  const Json doc = parse_json_output(flights);
  EXPECT_EQ(doc["router"], "default");
  ASSERT_FALSE(doc["candidate_ids"].empty());
  EXPECT_EQ(doc["candidate_ids"][0], "travel.flights.book");
  EXPECT_LE(doc["candidate_ids"].size(), 3u);
  EXPECT_FALSE(doc["refused"].get<bool>());

  const auto nonsense = run_cli(
      {"route", "--graph", "graph.json", "--catalog", "sample_catalog.json", "--query", "zxqv blorft", "--json"},
      dir.path());
  ASSERT_EQ(nonsense.exit_code, 0) << nonsense.err;
  EXPECT_TRUE(parse_json_output(nonsense)["refused"].get<bool>());
}
