// End to end: what reaches stdout and stderr under faults and hostile input
// (docs/cli.md#output, docs/cli.md#terminal-output, docs/formats.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_runner.hpp"
#include "support/test_support.hpp"

namespace {

using contextweaver::Json;
using cwtest::run_cli;
using cwtest::run_cli_stdout;

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A session "s" in `dir` holding three small events.
void ingest_sample(const cwtest::TempDir& dir) {
  write_text(dir / "e.jsonl",
             "{\"type\": \"user_turn\", \"id\": \"u1\", \"text\": \"hello\"}\n"
             "{\"type\": \"agent_msg\", \"id\": \"a1\", \"text\": \"hi\"}\n");
  const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

TEST(CliLostOutput, AFullDiskIsAnError) {
  cwtest::TempDir dir;
  ingest_sample(dir);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "--session", "s"},
        std::vector<std::string>{"log", "--json", "--session", "s"}, std::vector<std::string>{"log", "--session", "s"},
        std::vector<std::string>{"sessions"}}) {
    const auto result = run_cli_stdout(args, dir.path(), "/dev/full");
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_NE(result.err.find("Error: cannot write the output"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("No space left on device"), std::string::npos) << result.err;
  }
}

TEST(CliLostOutput, AClosedStdoutIsAnError) {
  cwtest::TempDir dir;
  ingest_sample(dir);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "--session", "s"}, std::vector<std::string>{"log", "--session", "s"}}) {
    const auto result = run_cli_stdout(args, dir.path(), std::nullopt);
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_NE(result.err.find("Error: cannot write the output"), std::string::npos) << result.err;
  }
  // The session is intact: nothing landed in a file that took stdout's descriptor.
  const auto log = run_cli({"log", "--session", "s"}, dir.path());
  EXPECT_EQ(log.exit_code, 0) << log.err;
  EXPECT_NE(log.out.find("u1"), std::string::npos);
}

}  // namespace

namespace {

// Bytes a terminal acts on: a window-title OSC, a screen clear, BEL, an OSC 52 clipboard write, a C1 CSI and an RTL
// override.
const std::string kHostile =
    "\x1b]0;owned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07\xc2\x9b"
    "31m\xe2\x80\xaeok";
const std::string kEscaped = "\\x1b]0;owned\\x07\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\u009b31m\\u202eok";

TEST(CliTerminalOutput, EscapesControlCharactersFromIdsAndTexts) {
  cwtest::TempDir dir;
  std::string big = kHostile + "\n";
  while (big.size() < 3000) big += "row of output\n";
  const Json lines[] = {{{"type", "user_turn"}, {"id", "u" + kHostile}, {"text", "hi " + kHostile}},
                        {{"type", "tool_call"}, {"id", "tc1"}, {"text", "call"}},
                        {{"type", "tool_result"}, {"id", "tr1"}, {"parent_id", "tc1"}, {"text", big}}};
  std::string jsonl;
  for (const auto& line : lines) jsonl += contextweaver::dumps(line) + "\n";
  write_text(dir / "e.jsonl", jsonl);
  const auto ingest = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  const auto check = [&](const std::vector<std::string>& args) {
    const auto result = run_cli(args, dir.path());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out.find('\x1b'), std::string::npos) << args[0] << ": " << result.out;
    EXPECT_EQ(result.out.find('\x07'), std::string::npos) << args[0];
    EXPECT_EQ(result.out.find("\xe2\x80\xae"), std::string::npos) << args[0];
    EXPECT_EQ(result.out.find("\xc2\x9b"), std::string::npos) << args[0];
    return result.out;
  };
  EXPECT_NE(check({"log", "--session", "s"}).find("u\\x1b]0;owned\\x07"), std::string::npos);
  const std::string one = check({"log", "--session", "s", "--id", "u" + kHostile});
  EXPECT_NE(one.find("id:             u" + kEscaped + "\n"), std::string::npos) << one;
  EXPECT_NE(one.find("text:\nhi " + kEscaped + "\n"), std::string::npos) << one;
  const std::string shown = check({"artifacts", "show", "--handle", "artifact:result:tc1", "--session", "s"});
  EXPECT_EQ(shown.rfind(kEscaped + "\nrow of output\n", 0), 0u) << shown.substr(0, 200);
  check({"sessions"});

  // --json is unchanged: JSON escaping already covers these characters.
  const auto json = run_cli({"log", "--session", "s", "--id", "u" + kHostile, "--json"}, dir.path());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(cwtest::parse_json_output(json)["item"]["text"], "hi " + kHostile);
}

TEST(CliTerminalOutput, SessionNamesThatPrintWronglyAreRejected) {
  cwtest::TempDir dir;
  write_text(dir / "e.jsonl", "{\"type\": \"user_turn\", \"id\": \"u1\", \"text\": \"hello\"}\n");
  for (const std::string& name : {std::string("evil\xe2\x80\xaetxt"), std::string("a\xff"), std::string("a\xc2\x9b")}) {
    const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", name}, dir.path());
    EXPECT_NE(result.exit_code, 0) << name;
    EXPECT_NE(result.err.find("Invalid session name"), std::string::npos) << result.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / ".contextweaver/sessions/evil\xe2\x80\xaetxt"));
}

}  // namespace

namespace {

TEST(CliNonFiniteNumbers, AreRejectedAtIngestNamingFileAndLine) {
  cwtest::TempDir dir;
  for (const std::string& number :
       {std::string("Infinity"), std::string("-Infinity"), std::string("NaN"), std::string("1e999")}) {
    write_text(dir / "e.jsonl",
               "{\"type\": \"user_turn\", \"id\": \"u1\", \"text\": \"Infinity NaN\"}\n"
               "{\"type\": \"agent_msg\", \"id\": \"a1\", \"text\": \"hi\", \"score\": {\"x\": [" +
                   number + "]}}\n");
    const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
    EXPECT_EQ(result.exit_code, 1) << number;
    EXPECT_NE(result.err.find("Error: e.jsonl:2: " + number +
                              " is not a valid JSON number (NaN and infinities are not allowed)"),
              std::string::npos)
        << result.err;
  }
  const auto sessions = run_cli({"sessions", "--json"}, dir.path());
  EXPECT_EQ(cwtest::parse_json_output(sessions)["sessions"].size(), 0u) << sessions.out;
}

TEST(CliNonFiniteNumbers, AreRejectedAtImportNamingFileAndLine) {
  cwtest::TempDir dir;
  ingest_sample(dir);
  const auto exported = run_cli({"export", "--session", "s"}, dir.path());
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string text = exported.out;
  const std::size_t at = text.find("\"metadata\": {}");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, 14, "\"metadata\": {\"score\": NaN}");
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  write_text(dir / "bad.json", text);
  const auto result = run_cli({"import", "--in", "bad.json", "--session", "t"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("Error: bad.json:" + std::to_string(line) +
                            ": NaN is not a valid JSON number (NaN and infinities are not allowed)"),
            std::string::npos)
      << result.err;
  const auto replay = run_cli({"replay", "--session", "bad.json"}, dir.path());
  EXPECT_EQ(replay.exit_code, 1);
  EXPECT_NE(replay.err.find("bad.json:" + std::to_string(line) + ": NaN"), std::string::npos) << replay.err;
}

}  // namespace

namespace {

TEST(CliIngestDuplicates, AnIdRepeatedInTheFileIsReportedWithBothLines) {
  cwtest::TempDir dir;
  write_text(dir / "e.jsonl",
             "{\"type\": \"user_turn\", \"id\": \"u1\", \"text\": \"hello\"}\n"
             "{\"type\": \"agent_msg\", \"id\": \"a1\", \"text\": \"hi\"}\n"
             "{\"type\": \"user_turn\", \"id\": \"u1\", \"text\": \"again\"}\n");
  const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("Error: e.jsonl: id 'u1' is repeated in the file (lines 1 and 3); nothing was ingested"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("already in session"), std::string::npos) << result.err;
  const auto log = run_cli({"log", "--session", "s", "--json"}, dir.path());
  EXPECT_EQ(cwtest::parse_json_output(log)["total"], 0) << log.out;
}

}  // namespace

namespace {

TEST(CliIngestOut, AnUnwritableDestinationFailsBeforeAnythingIsWritten) {
  cwtest::TempDir dir;
  write_text(dir / "e.jsonl", "{\"type\": \"user_turn\", \"id\": \"u1\", \"text\": \"hello\"}\n");
  std::filesystem::create_directory(dir / "folder");
  for (const std::string& out :
       {std::string("/nonexistent/x.json"), std::string("folder"), std::string("e.jsonl/x.json")}) {
    const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s", "--out", out}, dir.path());
    EXPECT_EQ(result.exit_code, 1) << out;
    EXPECT_NE(result.err.find("Error: cannot write '" + out + "': "), std::string::npos) << result.err;
    EXPECT_FALSE(std::filesystem::exists(dir / ".contextweaver/sessions/s")) << out;
  }
  // The same ingest without --out succeeds: nothing was left behind.
  const auto ok = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

}  // namespace

namespace {

TEST(CliMessages, AnUnknownCommandIsNamedWithTheValidOnes) {
  cwtest::TempDir dir;
  const auto result = run_cli({"--workspace", "w", "bogus-cmd", "--json"}, dir.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.rfind("Error: unknown command 'bogus-cmd'. Valid commands: ", 0), 0u) << result.err;
  for (const char* name : {"demo", "ingest", "log", "sessions", "export", "import"}) {
    EXPECT_NE(result.err.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(result.err.find("A subcommand is required"), std::string::npos) << result.err;
}

TEST(CliMessages, SessionFileParseErrorsNameTheFile) {
  cwtest::TempDir dir;
  write_text(dir / "f.json", "{\"events\": [\n");
  const auto imported = run_cli({"import", "--in", "f.json", "--session", "s"}, dir.path());
  EXPECT_EQ(imported.exit_code, 1);
  EXPECT_EQ(imported.err.rfind("Error: f.json: invalid JSON \u2014 Expecting value", 0), 0u) << imported.err;
  const auto replayed = run_cli({"replay", "--session", "f.json"}, dir.path());
  EXPECT_EQ(replayed.exit_code, 1);
  EXPECT_EQ(replayed.err.rfind("Error: f.json: invalid JSON \u2014 Expecting value", 0), 0u) << replayed.err;
}

}  // namespace
