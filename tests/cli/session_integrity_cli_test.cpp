// End to end: sessions that were emptied or corrupted are not written over,
// a folder holding other things is not made a workspace, and damaged or
// unreadable sessions are reported by path (docs/sessions.md#integrity,
// docs/sessions.md#workspace-folders, docs/sessions.md#read-only-use).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/cli_runner.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

using cwtest::CliResult;
using cwtest::run_cli;

const fs::path kSession = ".contextweaver/sessions/default";

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// `count` events whose ids start at `first`, each with `text_bytes` of text.
std::string events(int first, int count, std::size_t text_bytes = 5) {
  std::string lines;
  for (int i = first; i < first + count; ++i) {
    lines += "{\"type\": \"user_turn\", \"id\": \"u" + std::to_string(i) + "\", \"text\": \"" +
             std::string(text_bytes, 'x') + "\"}\n";
  }
  return lines;
}

void ingest(const cwtest::TempDir& dir, const std::string& lines) {
  write_text(dir / "e.jsonl", lines);
  const CliResult result = run_cli({"ingest", "--events", "e.jsonl"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs the CLI as an unprivileged user (nobody, when this process is root);
// exit_code -1 when privileges cannot be dropped.
CliResult run_cli_unprivileged(const std::vector<std::string>& args, const fs::path& cwd) {
  const fs::path out_path = cwd / ".out";
  const fs::path err_path = cwd / ".err";
  const int out = ::open(out_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err = ::open(err_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const std::string binary = cwtest::cli_binary().string();
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(99);
    if (::chdir(cwd.c_str()) != 0) ::_exit(98);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execv(binary.c_str(), argv.data());
    ::_exit(97);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out);
  ::close(err);
  CliResult result;
  result.exit_code = WIFEXITED(status) && WEXITSTATUS(status) != 99 ? WEXITSTATUS(status) : -1;
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return result;
}

}  // namespace

TEST(CliSessionIntegrity, ATruncatedDatabaseIsNotAnEmptySession) {
  cwtest::TempDir dir;
  ingest(dir, events(0, 3));
  fs::resize_file(dir / kSession / "session.db", 0);
  const CliResult log = run_cli({"log"}, dir.path());
  EXPECT_EQ(log.exit_code, 1);
  EXPECT_TRUE(contains(log.err, "lost")) << log.err;
  write_text(dir / "more.jsonl", events(10, 2));
  const CliResult more = run_cli({"ingest", "--events", "more.jsonl"}, dir.path());
  EXPECT_EQ(more.exit_code, 1);
  EXPECT_TRUE(contains(more.err, "lost")) << more.err;
  EXPECT_EQ(fs::file_size(dir / kSession / "session.db"), 0u);
}

TEST(CliSessionIntegrity, ACorruptDatabaseIsNotWrittenTo) {
  cwtest::TempDir dir;
  ingest(dir, events(0, 400, 2000));
  const fs::path database = dir / kSession / "session.db";
  ASSERT_GT(fs::file_size(database), 40u * 4096);
  {
    std::fstream file(database, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(10 * 4096);
    const std::string zeros(20 * 4096, '\0');
    file.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  const auto size = fs::file_size(database);
  write_text(dir / "more.jsonl", events(1000, 2));
  const CliResult more = run_cli({"ingest", "--events", "more.jsonl"}, dir.path());
  EXPECT_EQ(more.exit_code, 1);
  EXPECT_TRUE(contains(more.err, "corrupt")) << more.err;
  EXPECT_EQ(fs::file_size(database), size);
  EXPECT_FALSE(fs::exists(fs::path(database.string() + "-wal")) &&
               fs::file_size(fs::path(database.string() + "-wal")) > 0);
}

TEST(CliWorkspaceFolders, AFolderHoldingOtherFilesIsRefusedWithoutInit) {
  cwtest::TempDir dir;
  fs::create_directory(dir / "data");
  write_text(dir / "data" / "notes.txt", "mine");
  write_text(dir / "e.jsonl", events(0, 1));
  const CliResult refused = run_cli({"ingest", "--events", "e.jsonl", "--workspace", "data"}, dir.path());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.err, "'data' is not a contextweaver workspace")) << refused.err;
  EXPECT_TRUE(contains(refused.err, "--init")) << refused.err;
  EXPECT_FALSE(fs::exists(dir / "data" / "sessions"));
  const CliResult accepted = run_cli({"ingest", "--events", "e.jsonl", "--workspace", "data", "--init"}, dir.path());
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  // Once marked, no --init is needed.
  write_text(dir / "f.jsonl", events(5, 1));
  EXPECT_EQ(run_cli({"ingest", "--events", "f.jsonl", "--workspace", "data"}, dir.path()).exit_code, 0);
}

TEST(CliArtifacts, AGarbageMetadataFileIsNamed) {
  cwtest::TempDir dir;
  ingest(dir, events(0, 1));
  const fs::path bad = dir / kSession / "artifacts" / "bad.json";
  write_text(bad, "garbage{");
  const CliResult list = run_cli({"artifacts", "list"}, dir.path());
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(contains(list.err, "Warning: skipped artifact metadata file")) << list.err;
  EXPECT_TRUE(contains(list.err, bad.filename().string())) << list.err;
  const CliResult show = run_cli({"artifacts", "show", "--handle", "bad"}, dir.path());
  EXPECT_EQ(show.exit_code, 1);
  EXPECT_TRUE(contains(show.err, (kSession / "artifacts" / "bad.json").string())) << show.err;
}

TEST(CliArtifacts, AFileInPlaceOfTheArtifactFolderFailsOnlyArtifactCommands) {
  cwtest::TempDir dir;
  ingest(dir, events(0, 2));
  fs::remove_all(dir / kSession / "artifacts");
  write_text(dir / kSession / "artifacts", "not a folder");
  const CliResult log = run_cli({"log"}, dir.path());
  EXPECT_EQ(log.exit_code, 0) << log.err;
  const CliResult list = run_cli({"artifacts", "list"}, dir.path());
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_TRUE(contains(list.err, (kSession / "artifacts").string())) << list.err;
}

TEST(CliSessionPermissions, AnUnreadableSessionSaysPermissionDenied) {
  cwtest::TempDir dir;
  ingest(dir, events(0, 2));
  fs::permissions(dir / kSession, fs::perms::none);
  const CliResult log = run_cli_unprivileged({"log"}, dir.path());
  if (log.exit_code == -1) GTEST_SKIP() << "cannot drop privileges to test permissions";
  EXPECT_EQ(log.exit_code, 1);
  EXPECT_TRUE(contains(log.err, "permission denied")) << log.err;
  EXPECT_TRUE(contains(log.err, kSession.string())) << log.err;
  const CliResult sessions = run_cli_unprivileged({"sessions"}, dir.path());
  EXPECT_EQ(sessions.exit_code, 0) << sessions.err;
  EXPECT_FALSE(contains(sessions.out, "No sessions")) << sessions.out;
  EXPECT_TRUE(contains(sessions.out, "permission denied")) << sessions.out;
}

TEST(CliSessionPermissions, AReadOnlySessionIsReadable) {
  cwtest::TempDir dir;
  ingest(dir, events(0, 3));
  // Owned by this process's user; the reader is another (or this one without write permission).
  fs::permissions(dir / kSession, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::remove);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"log"}, std::vector<std::string>{"replay"},
        std::vector<std::string>{"artifacts", "list"}, std::vector<std::string>{"sessions", "--json"}}) {
    const CliResult result = run_cli_unprivileged(args, dir.path());
    if (result.exit_code == -1) GTEST_SKIP() << "cannot drop privileges to test permissions";
    EXPECT_EQ(result.exit_code, 0) << args[0] << ": " << result.err;
    EXPECT_FALSE(contains(result.err, "readonly")) << result.err;
  }
}
