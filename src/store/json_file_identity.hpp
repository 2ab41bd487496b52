// The stat identity of one version of a file in a JsonFileArtifactStore
// folder, shared by the listing index and the drill-down prefix cache
// (docs/artifact-files.md): internal to the store module.
#pragma once

#include <sys/stat.h>

#include <cstdint>

namespace contextweaver::json_file_detail {

// What identifies one version of a file: any write, truncate, rename onto the
// name or utimensat changes ctime (which cannot be set back), a new file has
// a new inode. Equal identities mean equal bytes, except for a second write
// within one (coarse) timestamp tick of the version seen — see kRacyMarginNs.
struct FileIdentity {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  static FileIdentity of(const struct stat& st) {
    return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                        static_cast<std::int64_t>(st.st_size),
                        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                        static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec};
  }
  bool operator==(const FileIdentity&) const = default;
};

// A file changed less than this long before it was read may change again
// within the same timestamp tick (jiffy-coarse on Linux, up to 10 ms) without
// its identity changing, so neither cache trusts it (git's "racily clean"
// rule).
inline constexpr std::int64_t kRacyMarginNs = 20'000'000;

}  // namespace contextweaver::json_file_detail
