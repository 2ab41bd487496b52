// Runs one command of the CLI as a child process and measures it as a user's
// shell would see it: wall time and peak resident memory of the whole process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cwscale {

struct ProcessRun {
  int exit_code = -1;   // the exit status; 128 + signal when a signal ended it
  double seconds = 0;   // steady clock from before posix_spawn to after wait4
  long max_rss_kb = 0;  // the child's ru_maxrss (KiB on Linux) from wait4
};

// Starts argv[0] (a path, not looked up in PATH; no shell) with `argv`, stdin
// from /dev/null, stdout and stderr truncated into the given files, and waits
// for it. Throws contextweaver::StorageError when the process cannot start.
ProcessRun run_measured(const std::vector<std::string>& argv, const std::filesystem::path& stdout_path,
                        const std::filesystem::path& stderr_path);

}  // namespace cwscale
