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
