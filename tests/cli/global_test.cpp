// The program's global behaviour: help, usage errors and exit codes.
#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"
#include "cli/schema_check.hpp"
#include "support/test_support.hpp"

namespace {

using cwtest::run_cli;

TEST(CliGlobal, NoArgumentsPrintsHelpAndExitsTwo) {
  cwtest::TempDir dir;
  const auto result = run_cli({}, dir.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("Dynamic context management for tool-using AI agents."), std::string::npos);
  EXPECT_EQ(result.out, "");
}

TEST(CliGlobal, HelpListsCommandsAndExitsZero) {
  cwtest::TempDir dir;
  const auto result = run_cli({"--help"}, dir.path());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("Examples:"), std::string::npos);
  EXPECT_NE(result.out.find("sessions"), std::string::npos);
}

TEST(CliGlobal, UnknownCommandIsAUsageError) {
  cwtest::TempDir dir;
  const auto result = run_cli({"no-such-command"}, dir.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("Error: "), std::string::npos);
  EXPECT_EQ(result.out, "");
}

TEST(CliGlobal, EveryCommandHasHelpWithExamples) {
  cwtest::TempDir dir;
  const auto top = run_cli({"--help"}, dir.path());
  ASSERT_EQ(top.exit_code, 0);
  // The commands section of CLI11's help: "Subcommands:" then "  name  description" lines.
  const auto start = top.out.find("Subcommands:");
  ASSERT_NE(start, std::string::npos) << top.out;
  std::vector<std::string> commands;
  std::size_t pos = top.out.find('\n', start) + 1;
  while (pos < top.out.size() && top.out.compare(pos, 2, "  ") == 0) {
    const auto name_begin = top.out.find_first_not_of(' ', pos);
    const auto name_end = top.out.find(' ', name_begin);
    commands.push_back(top.out.substr(name_begin, name_end - name_begin));
    pos = top.out.find('\n', pos) + 1;
  }
  ASSERT_FALSE(commands.empty());
  for (const auto& command : commands) {
    const auto help = run_cli({command, "--help"}, dir.path());
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find("Examples:\n  contextweaver " + command), std::string::npos) << command << "\n" << help.out;
  }
}

TEST(SchemaCheck, ReportsViolationsOfTheSupportedKeywords) {
  const auto schema = contextweaver::loads(R"({
    "$defs": {"tag": {"type": "string", "maxLength": 3}},
    "type": "object", "additionalProperties": false, "required": ["id"],
    "properties": {"id": {"type": "string"}, "n": {"type": "integer", "minimum": 0},
                   "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}, "maxItems": 2},
                   "kind": {"enum": ["a", "b"]}, "o": {"anyOf": [{"type": "null"}, {"type": "object"}]}}})");
  EXPECT_TRUE(
      cwtest::schema_violations(schema, contextweaver::loads(R"({"id": "x", "n": 2, "tags": ["ab"]})")).empty());
  const auto bad = cwtest::schema_violations(
      schema, contextweaver::loads(R"({"n": -1.5, "tags": ["abcd", "a", "b"], "kind": "c", "o": 3, "extra": 1})"));
  // missing id, n type, n minimum, tag length, too many tags, kind enum, o anyOf, extra key.
  EXPECT_EQ(bad.size(), 8u) << ::testing::PrintToString(bad);
  EXPECT_FALSE(cwtest::schema_violations(contextweaver::loads(R"({"patternProperties": {}})"), 1).empty());
}

}  // namespace
