// Fault sweeps over the CLI's writing commands (docs/reliability.md, "Fault
// injection"): `ingest` (with a firewalled tool result, so artifacts and facts
// are written too) and `import`, run with libcw_faults.so preloaded, the n-th
// write / pwrite / fsync / rename / … of the session folder failing. The
// promise checked: a failed command leaves the session exactly as it was, a
// successful one leaves it exactly as a clean run does, and the same command
// re-run without the fault succeeds with the clean run's result.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/cli_runner.hpp"
#include "contextweaver/core/json.hpp"
#include "fault_injection.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using contextweaver::Json;
using cwtest::run_cli;

// Longer than the 2000-character ingest firewall threshold.
std::string long_output(int seed) {
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += "row " + std::to_string(i) + ": status open, amount " + std::to_string(100 * seed + i) + "\n";
  }
  return text;
}

// A user turn, a tool call and its large (firewalled) result, an agent message.
std::string batch(const std::string& p, int seed) {
  const Json user = {{"type", "user_turn"}, {"id", p + "u"}, {"text", "How many open invoices?"}};
  const Json call = {{"type", "tool_call"}, {"id", p + "tc"}, {"parent_id", p + "u"}, {"text", "invoices.search()"}};
  const Json result = {{"type", "tool_result"},
                       {"id", p + "tr"},
                       {"parent_id", p + "tc"},
                       {"text", long_output(seed)},
                       {"tool_name", "invoices.search"}};
  const Json answer = {{"type", "agent_msg"}, {"id", p + "a"}, {"text", "There are 100 open invoices."}};
  return contextweaver::dumps(user) + "\n" + contextweaver::dumps(call) + "\n" + contextweaver::dumps(result) + "\n" +
         contextweaver::dumps(answer) + "\n";
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What session `s` of the workspace in `dir` holds: its export (events,
// facts, episodes, artifact refs) and the artifact files in its folder (the
// store's own hidden files aside).
std::string session_state(const fs::path& dir) {
  const auto exported = run_cli({"export", "--session", "s"}, dir);
  std::string text = "export " + std::to_string(exported.exit_code) + "\n" + exported.out + "\nfiles\n";
  std::map<std::string, std::string> files;
  const fs::path folder = dir / ".contextweaver/sessions/s/artifacts";
  if (fs::is_directory(folder)) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with(".")) files[name] = read_all(entry.path());
    }
  }
  for (const auto& [name, bytes] : files) text += name + " " + std::to_string(bytes.size()) + "\n" + bytes + "\n";
  return text;
}

// Environment variables set for the children run_cli starts, restored after.
class ScopedEnv {
 public:
  void set(const std::string& name, const std::string& value) {
    if (!saved_.contains(name)) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
    }
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

struct Fault {
  std::string op;  // "" = none (counting only)
  long n = 0;
  std::string err = "ENOSPC";
  std::string mode = "error";
};

// Runs `args` in `dir` with libcw_faults.so preloaded, watching the
// workspace; returns the result and (in `counts`) the calls per operation.
cwtest::CliResult run_with_fault(const std::vector<std::string>& args, const fs::path& dir, const Fault& fault,
                                 std::map<std::string, long>* counts = nullptr, bool* fired = nullptr) {
  const fs::path counts_file = dir / "fault-counts.txt";
  {
    ScopedEnv env;
    env.set("LD_PRELOAD", CW_FAULTS_LIBRARY);
    // Under AddressSanitizer the preloaded library comes before its runtime.
    const char* asan = std::getenv("ASAN_OPTIONS");
    env.set("ASAN_OPTIONS", std::string(asan != nullptr ? asan : "") + ":verify_asan_link_order=0");
    env.set("CW_FAULT_DIR", (dir / ".contextweaver").string());
    env.set("CW_FAULT_COUNTS", counts_file.string());
    env.set("CW_FAULT_NOSYNC", "1");  // no power loss is simulated: real syncs only cost time
    env.set("CW_FAULT_OP", fault.op);
    env.set("CW_FAULT_N", std::to_string(fault.n));
    env.set("CW_FAULT_ERRNO", fault.err);
    env.set("CW_FAULT_MODE", fault.mode);
    auto result = run_cli(args, dir);
    std::ifstream in(counts_file);
    std::string name;
    long value = 0;
    while (in >> name) {
      if (name == "F" || name == "-") {
        if (fired != nullptr) *fired = name == "F";
        continue;
      }
      in >> value;
      if (counts != nullptr) (*counts)[name] = value;
    }
    fs::remove(counts_file);
    return result;
  }
}

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

struct CliSweepReport {
  int injections = 0;
  int failed = 0;
  int absorbed = 0;
  std::vector<std::string> broken;  // the faults after which a promise did not hold
};

// The sweep of one command: `setup` holds the workspace the command starts
// from (a copy is used per run).
CliSweepReport sweep_command(const fs::path& setup, const fs::path& scratch, const std::vector<std::string>& args) {
  CliSweepReport report;
  const fs::path dir = scratch / "run";
  copy_tree(setup, dir);
  const std::string before = session_state(dir);
  std::map<std::string, long> counts;
  const auto clean = run_with_fault(args, dir, Fault{}, &counts);
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  const std::string after = session_state(dir);
  EXPECT_NE(before, after);
  std::string counted;
  for (const auto& [name, n] : counts) counted += name + " " + std::to_string(n) + " ";
  std::cout << "[sweep] " << args[0] << ": " << counted << "\n";
  for (const auto& [op, total] : counts) {
    // ENOSPC, and a short write then ENOSPC; EIO takes the same paths and is
    // swept at the store level (store_fault_sweep_test.cpp), which keeps this
    // sweep's time bounded.
    for (const Fault& variant : {Fault{op, 0, "ENOSPC", "error"}, Fault{op, 0, "ENOSPC", "short"}}) {
      if (variant.mode == "short" && op != "write" && op != "pwrite") continue;
      for (long n = 1; n <= total; ++n) {
        Fault fault = variant;
        fault.n = n;
        const std::string name =
            op + " #" + std::to_string(n) + " " + fault.err + (fault.mode == "short" ? " short" : "");
        SCOPED_TRACE(name);
        copy_tree(setup, dir);
        bool fired = false;
        const auto faulted = run_with_fault(args, dir, fault, nullptr, &fired);
        EXPECT_TRUE(faulted.exit_code == 0 || faulted.exit_code == 1) << "exit " << faulted.exit_code << " (a crash?)\n"
                                                                      << faulted.err;
        if (!fired) continue;
        ++report.injections;
        const bool failed = faulted.exit_code != 0;
        failed ? ++report.failed : ++report.absorbed;
        bool ok = true;
        if (failed) {
          EXPECT_NE(faulted.err.find("Error: "), std::string::npos) << faulted.err;
          const std::string now = session_state(dir);
          ok = now == before;
          EXPECT_EQ(now, before) << "the failed command changed the session\n" << faulted.err;
          const auto again = run_cli(args, dir);
          ok = ok && again.exit_code == 0;
          EXPECT_EQ(again.exit_code, 0) << "re-run without the fault: " << again.err;
        }
        const std::string final_state = session_state(dir);
        ok = ok && final_state == after;
        EXPECT_EQ(final_state, after) << (failed ? "after the re-run" : "the command reported success");
        if (!ok) report.broken.push_back(name + (failed ? ": " + faulted.err : std::string(": exit 0")));
      }
    }
  }
  return report;
}

void print(const std::string& name, const CliSweepReport& report) {
  std::cout << "[sweep] " << name << ": " << report.injections << " injected: " << report.failed << " failed, "
            << report.absorbed << " absorbed, " << report.broken.size() << " broken\n";
  for (const std::string& b : report.broken) std::cout << "  broken: " << b;
  std::cout.flush();
}

// The workspace the CLI sweeps start from: session "s" holding one batch.
void make_setup(const fs::path& setup) {
  fs::create_directories(setup);
  cwtest::write_file(setup / "a.jsonl", batch("a", 1));
  cwtest::write_file(setup / "b.jsonl", batch("b", 2));
  const auto first = run_cli({"ingest", "--events", "a.jsonl", "--session", "s"}, setup);
  ASSERT_EQ(first.exit_code, 0) << first.err;
}

// Ingest is all-or-nothing (one transaction for the events, artifacts written
// first and taken back on rollback; docs/reliability.md).
TEST(CliFaultSweep, IngestIsAllOrNothing) {
  cwtest::TempDir dir;
  make_setup(dir / "setup");
  const auto report = sweep_command(dir / "setup", dir.path(), {"ingest", "--events", "b.jsonl", "--session", "s"});
  print("ingest", report);
  EXPECT_GT(report.injections, 0);
}

// Import is all-or-nothing, as ingest above.
TEST(CliFaultSweep, ImportIsAllOrNothing) {
  cwtest::TempDir dir;
  make_setup(dir / "setup");
  // The session file to import: a session "other" holding batch b, exported.
  const auto ingested = run_cli({"ingest", "--events", "b.jsonl", "--session", "other"}, dir / "setup");
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  const auto exported = run_cli({"export", "--session", "other", "--out", "other.json"}, dir / "setup");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto report = sweep_command(dir / "setup", dir.path(), {"import", "--in", "other.json", "--session", "s"});
  print("import", report);
  EXPECT_GT(report.injections, 0);
}

}  // namespace
