// --smoke's checks of what each command printed: a run that exits 0 but says
// nothing, or reports the wrong session, fails the smoke.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace cwscale {

// Checks the output of command `tag` ("ingest", "replay", "stats", "export",
// "log") over a session of n events; stdout is in `stdout_path`, export's
// file in `export_path`. Returns what is wrong, or nullopt.
std::optional<std::string> check_output(const std::string& tag, std::size_t n, const std::filesystem::path& stdout_path,
                                        const std::filesystem::path& export_path);

}  // namespace cwscale
