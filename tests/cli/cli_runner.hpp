// Runs the built `contextweaver` binary for the end-to-end tests.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace cwtest {

struct CliResult {
  int exit_code = -1;  // the process's exit status; 128 + signal when killed by one
  std::string out;
  std::string err;
};

// The binary: $CW_CLI_BINARY, else the compile definition CW_CLI_BINARY, else
// <build>/src/cli/contextweaver next to this test program's <build>/tests/.
std::filesystem::path cli_binary();

// Runs the binary with `args` in folder `cwd` (stdin is /dev/null) and waits.
CliResult run_cli(const std::vector<std::string>& args, const std::filesystem::path& cwd);

// Like run_cli, but stdout goes to `stdout_path` (e.g. /dev/full), or is
// closed when it is nullopt; `out` is then empty.
CliResult run_cli_stdout(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                         const std::optional<std::filesystem::path>& stdout_path);

// A started process whose result is collected later (concurrency tests).
class CliProcess {
 public:
  CliProcess(const std::vector<std::string>& args, const std::filesystem::path& cwd);
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;
  CliResult wait();

 private:
  int pid_ = -1;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
};

// Parses stdout as one JSON document; fails the current test (and returns
// null) when it is not.
contextweaver::Json parse_json_output(const CliResult& result);

}  // namespace cwtest
