// WorkspaceLocation: where a workspace lives, parsed from what a user gives
// (--workspace, CONTEXTWEAVER_WORKSPACE, a gateway config's "workspace").
//
// Today a workspace is a folder. The location is parsed as a URL-or-path so
// that another backend (a database URL) can be added as a new kind without
// changing the callers; until then every other URL scheme is refused with a
// clear error instead of being taken for a folder name.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace contextweaver {

// The folder the CLI and the gateway use when no location is given.
inline constexpr const char* kDefaultWorkspaceFolder = ".contextweaver";

class WorkspaceLocation {
 public:
  enum class Kind { folder };

  // Parses `location`:
  //   - "file:" URL with an absolute path ("file:///data/cw", "file:/data/cw",
  //     "file://localhost/data/cw"; %XX escapes decoded): that folder;
  //   - "<scheme>://…" with any other scheme: ValueError naming the scheme;
  //   - anything else: a folder path, used exactly as given (relative paths
  //     stay relative to the process's working folder; "" is that folder).
  // ValueError also for a file: URL naming another host, a relative path, a
  // query or fragment, or a malformed %-escape. Thread-safe.
  static WorkspaceLocation parse(std::string_view location);

  // A folder location, taken as given (no parsing). Thread-safe.
  static WorkspaceLocation folder(std::filesystem::path path);

  Kind kind() const noexcept { return kind_; }

  // The workspace folder (kind() == Kind::folder).
  const std::filesystem::path& path() const noexcept { return path_; }

  // The location as messages and JSON outputs show it: the folder path.
  std::string display() const { return path_.string(); }

 private:
  WorkspaceLocation(Kind kind, std::filesystem::path path) : kind_(kind), path_(std::move(path)) {}

  Kind kind_;
  std::filesystem::path path_;
};

}  // namespace contextweaver
