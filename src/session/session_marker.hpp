// The session marker file (<session>/.initialised, docs/sessions.md#integrity):
// written once the session's database holds its schema, so a database that
// later has none was lost, not new; it also keeps the identity of
// session.db as contextweaver last verified or wrote it, so a write open
// runs the integrity check only when something else changed the file.
// Internal to the session module.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace contextweaver::session_detail {

inline constexpr const char* kSessionMarkerName = ".initialised";
inline constexpr const char* kWorkspaceMarkerName = ".contextweaver-workspace";

// What identifies one version of a file: a change of its bytes by any means
// changes its ctime (which no user call sets).
struct FileStamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// The stamp of `path`, or nullopt when it cannot be stat-ed. Never throws.
std::optional<FileStamp> stamp_of(const std::filesystem::path& path) noexcept;

struct SessionMarker {
  bool present = false;
  std::optional<FileStamp> verified;  // session.db as last verified or written
};

// Reads the marker (absent or unreadable: not present; a line it does not
// understand: present, not verified). Never throws.
SessionMarker read_marker(const std::filesystem::path& path) noexcept;

// Replaces the marker atomically, recording `verified`. Best effort: a
// marker that cannot be written (a read-only folder) costs only a later
// integrity check. Never throws.
void write_marker(const std::filesystem::path& path, const std::optional<FileStamp>& verified) noexcept;

}  // namespace contextweaver::session_detail
