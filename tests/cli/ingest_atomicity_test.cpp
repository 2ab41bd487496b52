// End to end: an ingest is all or nothing, reads its file as a stream with a
// bounded line, and refuses lone surrogates (docs/cli.md#ingest).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using contextweaver::Json;
using cwtest::parse_json_output;
using cwtest::run_cli;

std::string big_output(const std::string& tag) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += tag + " row " + std::to_string(i) + ": status open, amount 42\n";
  return text;
}

std::string line(const Json& object) {
  return contextweaver::dumps(object) + "\n";
}

// Events in session `session` of the workspace in `dir` (0 when it does not exist yet).
std::int64_t event_count(const cwtest::TempDir& dir, const std::string& session) {
  const auto listed = run_cli({"sessions", "--json"}, dir.path());
  if (listed.exit_code != 0) return -1;
  const Json doc = parse_json_output(listed);
  for (const auto& entry : doc["sessions"]) {
    if (entry["name"] == session) return entry["events"].get<std::int64_t>();
  }
  return 0;
}

TEST(CliIngestAtomicity, AnInvalidArtifactHandleIsRefusedBeforeAnythingIsWritten) {
  cwtest::TempDir dir;
  for (const std::string& parent : {std::string("a/b"), std::string(300, 'p')}) {
    cwtest::write_file(
        dir / "e.jsonl",
        line({{"type", "user_turn"}, {"id", "u1"}, {"text", "hi"}}) +
            line({{"type", "tool_call"}, {"id", "tc1"}, {"text", "call"}}) +
            line({{"type", "tool_result"}, {"id", "tr1"}, {"parent_id", parent}, {"text", big_output("x")}}));
    const auto failed = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
    EXPECT_EQ(failed.exit_code, 1);
    EXPECT_EQ(failed.err.rfind("Error: e.jsonl:3: the tool_result's parent_id makes ", 0), 0u) << failed.err;
    EXPECT_EQ(event_count(dir, "s"), 0);
  }
  // Fixed, the same file ingests as a first run would.
  cwtest::write_file(
      dir / "e.jsonl",
      line({{"type", "user_turn"}, {"id", "u1"}, {"text", "hi"}}) +
          line({{"type", "tool_call"}, {"id", "tc1"}, {"text", "call"}}) +
          line({{"type", "tool_result"}, {"id", "tr1"}, {"parent_id", "tc1"}, {"text", big_output("x")}}));
  const auto fixed = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(event_count(dir, "s"), 3);
}

TEST(CliIngestAtomicity, LoneSurrogatesAreRefusedWithFileAndLine) {
  cwtest::TempDir dir;
  // Two different ids that used to read equal (both U+FFFD).
  cwtest::write_file(dir / "e.jsonl",
                     "{\"id\": \"ok\", \"text\": \"\\ud83d\\ude00\"}\n{\"id\": \"\\ud800\", \"text\": \"a\"}\n"
                     "{\"id\": \"\\udfff\", \"text\": \"b\"}\n");
  const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("Error: e.jsonl:2: invalid JSON \u2014 Lone surrogate \\ud800 in string", 0), 0u)
      << result.err;
  EXPECT_EQ(event_count(dir, "s"), 0);
}

TEST(CliIngestBoundedInput, ALineWithoutEndIsRefusedAtTheCap) {
  cwtest::TempDir dir;
  const auto result =
      run_cli({"ingest", "--events", "/dev/zero", "--session", "s", "--max-line-bytes", "1048576"}, dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "Error: /dev/zero:1: line is longer than 1048576 bytes (--max-line-bytes)\n");
  // A line over the cap further down names its line; nothing before it is written.
  cwtest::write_file(dir / "e.jsonl",
                     line({{"id", "u1"}, {"text", "hi"}}) + line({{"id", "u2"}, {"text", std::string(200, 'x')}}));
  const auto capped =
      run_cli({"ingest", "--events", "e.jsonl", "--session", "s", "--max-line-bytes", "100"}, dir.path());
  EXPECT_EQ(capped.exit_code, 1);
  EXPECT_EQ(capped.err, "Error: e.jsonl:2: line is longer than 100 bytes (--max-line-bytes)\n");
  EXPECT_EQ(event_count(dir, "s"), 0);
}

TEST(CliIngestBoundedInput, DevZeroStaysWithinAMemoryLimit) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "ASan and TSan reserve more address space than the ulimit -v this test sets";
#endif
  cwtest::TempDir dir;
  // 600 MB of address space: the default 64 MiB cap fits, reading /dev/zero whole would not.
  const std::string command = "cd '" + dir.path().string() + "' && ulimit -v 600000 && '" +
                              cwtest::cli_binary().string() +
                              "' ingest --events /dev/zero --session s > out.txt 2> err.txt";
  const int status = std::system(command.c_str());
  EXPECT_NE(status, 0);
  const std::string err = cwtest::read_file(dir / "err.txt");
  EXPECT_EQ(err, "Error: /dev/zero:1: line is longer than 67108864 bytes (--max-line-bytes)\n");
}

TEST(CliIngestBoundedInput, StreamingKeepsTheReferenceLineSplitting) {
  cwtest::TempDir dir;
  // Leading blank lines and whitespace are stripped before numbering; CRLF, CR and U+2028 end lines.
  cwtest::write_file(dir / "e.jsonl",
                     "\n \r\n  {\"id\": \"u1\", \"text\": \"a\"}\r\n{\"text\": \"b\"}\r{\"text\": \"c\"}\xe2\x80\xa8"
                     "{\"text\": \"d\"} \xc2\xa0\n\n \n");
  const auto result = run_cli({"ingest", "--events", "e.jsonl", "--session", "s", "--json"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(parse_json_output(result)["lines"], 4);
  const auto log = run_cli({"log", "--json", "--session", "s"}, dir.path());
  std::vector<std::string> ids;
  const Json logged = parse_json_output(log);
  for (const auto& item : logged["items"]) ids.push_back(item["id"].get<std::string>());
  EXPECT_EQ(ids, (std::vector<std::string>{"u1", "line-2", "line-3", "line-4"}));
  // A blank line between two events is an error at its own line.
  cwtest::write_file(dir / "f.jsonl", "{\"id\": \"x1\"}\n\n{\"id\": \"x2\"}\n");
  const auto blank = run_cli({"ingest", "--events", "f.jsonl", "--session", "t"}, dir.path());
  EXPECT_EQ(blank.exit_code, 1);
  EXPECT_EQ(blank.err.rfind("Error: f.jsonl:2: invalid JSON \u2014 Expecting value", 0), 0u) << blank.err;
}

// A tmpfs of 2 MB as the workspace (root only); unmounted at the end.
class FullDisk {
 public:
  explicit FullDisk(const fs::path& where) : where_(where) {
    fs::create_directories(where_);
    mounted_ = ::geteuid() == 0 && ::mount("tmpfs", where_.c_str(), "tmpfs", 0, "size=2m") == 0;
  }
  ~FullDisk() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
  }
  FullDisk(const FullDisk&) = delete;
  FullDisk& operator=(const FullDisk&) = delete;
  bool mounted() const { return mounted_; }

 private:
  fs::path where_;
  bool mounted_ = false;
};

TEST(CliIngestAtomicity, AFullDiskRollsBackEventsAndArtifacts) {
  cwtest::TempDir dir;
  FullDisk disk(dir / "small");
  if (!disk.mounted()) GTEST_SKIP() << "needs root to mount a 2 MB tmpfs (mount -t tmpfs) for a full disk";
  const fs::path ws = dir / "small";
  // A first ingest whose artifact must survive the failed one untouched.
  cwtest::write_file(
      ws / "first.jsonl",
      line({{"type", "tool_call"}, {"id", "tc0"}, {"text", "call"}}) +
          line({{"type", "tool_result"}, {"id", "tr0"}, {"parent_id", "tc0"}, {"text", big_output("first")}}));
  ASSERT_EQ(run_cli({"ingest", "--events", "first.jsonl", "--session", "s"}, ws).exit_code, 0);
  const fs::path artifacts = ws / ".contextweaver/sessions/s/artifacts";
  const std::string kept = cwtest::read_file(artifacts / "artifact:result:tc0.data");
  // Firewalled results first (their artifacts are written), then more text than the disk holds.
  std::string text = line({{"type", "tool_call"}, {"id", "tc1"}, {"text", "call"}}) +
                     line({{"type", "tool_result"}, {"id", "tr1"}, {"parent_id", "tc1"}, {"text", big_output("one")}});
  const std::string filler(4000, 'z');
  for (int i = 0; i < 700; ++i) text += line({{"id", "f" + std::to_string(i)}, {"text", filler + std::to_string(i)}});
  cwtest::write_file(dir / "big.jsonl", text);
  const auto failed = run_cli({"ingest", "--events", (dir / "big.jsonl").string(), "--session", "s"}, ws);
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("full"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("; nothing was ingested; the session is unchanged"), std::string::npos) << failed.err;
  const auto log = run_cli({"log", "--json", "--session", "s"}, ws);
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_EQ(parse_json_output(log)["total"], 2);
  EXPECT_FALSE(fs::exists(artifacts / "artifact:result:tc1.data"));
  EXPECT_FALSE(fs::exists(artifacts / "artifact:result:tc1.json"));
  EXPECT_EQ(cwtest::read_file(artifacts / "artifact:result:tc0.data"), kept);
  // A re-run that fits behaves as a first run.
  cwtest::write_file(dir / "small.jsonl", text.substr(0, text.find("{\"id\": \"f3\"")));
  const auto again = run_cli({"ingest", "--events", (dir / "small.jsonl").string(), "--session", "s"}, ws);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(fs::exists(artifacts / "artifact:result:tc1.data"));
}

}  // namespace
