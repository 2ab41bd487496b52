// JsonFileArtifactStore: artifacts as plain files in one folder, readable by
// the reference implementation (docs/artifact-files.md).
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/durability.hpp"

namespace contextweaver {

namespace json_file_detail {
class PrefixCache;
}

// Bounds of a JsonFileArtifactStore's drill-down prefix cache
// (docs/artifact-files.md, "Reading: the drill-down prefix cache"): the leading bytes
// (at most 8 KiB each) of recently drilled artifacts, least recently used
// evicted first. The defaults hold 1,000+ artifacts' 8 KiB prefixes. Either
// bound 0 turns the cache off.
struct JsonFilePrefixCacheLimits {
  std::size_t max_bytes = std::size_t{16} << 20;  // prefixes, keys and per-entry overhead
  std::size_t max_entries = 4096;
};

// Layout: <base_dir>/<handle>.data (raw bytes) and <base_dir>/<handle>.json
// (sorted-key Python JSON of the ref, no trailing newline). Every call reads
// the folder, so files written by another process or an earlier run are seen
// at once (list_refs' index file only saves re-reading unchanged files).
// Every handle-taking method validates the handle first (store/handle.hpp),
// exists() included. Filesystem failures raise StorageError naming the file.
// Thread-safe: each call is independent file operations with unique temp
// names. An instance keeps at most one spare temp file per kind
// (.data/.json): the previous version of an overwritten file, rewritten by the
// next put instead of allocating a new inode; it is removed by the destructor
// (or by the next open after a crash). head/lines/rows drilldowns may serve a
// cached prefix (JsonFilePrefixCacheLimits), but only after one fstatat shows
// the same file version as when it was read (inode, size, mtime and ctime to
// the nanosecond), so the promise above holds.
class JsonFileArtifactStore final : public ArtifactStore {
 public:
  // Creates `base_dir` (and parents) when missing. Temp files left by crashed
  // writers are removed by the first put() or list_refs() (never read
  // before). StorageError when it cannot be created, is not a folder, or
  // cannot be opened. `prefix_cache` bounds drilldown()'s prefix cache.
  explicit JsonFileArtifactStore(std::filesystem::path base_dir, Durability durability = Durability::normal,
                                 JsonFilePrefixCacheLimits prefix_cache = {});
  ~JsonFileArtifactStore() override;
  JsonFileArtifactStore(const JsonFileArtifactStore&) = delete;
  JsonFileArtifactStore& operator=(const JsonFileArtifactStore&) = delete;

  // The folder exactly as given to the constructor.
  const std::filesystem::path& base_dir() const { return base_dir_; }
  Durability durability() const { return durability_; }

  // Writes <handle>.data, then <handle>.json, each atomically. A crash between
  // the two leaves the new bytes under the previous metadata (or none, for a
  // new handle); see docs/artifact-files.md. StorageError (nothing changed)
  // when a file cannot be written.
  ArtifactRef put(const std::string& handle, std::string_view content,
                  const std::string& media_type = "application/octet-stream", const std::string& label = "") override;
  // The bytes of <handle>.data (a regular file, symlinks followed).
  std::string get(const std::string& handle) const override;
  // Parsed <handle>.json. Corrupt metadata propagates as in the reference:
  // JsonDecodeError/ValueError (not UTF-8), KeyError, TypeError, each naming
  // the file ("Corrupt artifact metadata file '<path>': <reason>").
  ArtifactRef ref(const std::string& handle) const override;
  // Removes both files (the .json first, so a crash leaves an unlisted
  // .data rather than a listed artifact without bytes). ArtifactNotFoundError
  // when neither exists.
  void delete_(const std::string& handle) override;
  // Every readable metadata file, ordered by handle (docs/compat.md S3). Files
  // that are not JSON, not UTF-8, not an object or miss a field are skipped;
  // temp files never match. Files whose stat identity matches the folder's
  // index (<base_dir>/.cwrefs.idx) are not re-read; the index is rewritten
  // (best effort) when the listing read files changed more than 20 ms ago
  // (docs/artifact-files.md, "The listing index").
  std::vector<ArtifactRef> list_refs() const override;
  // A metadata file list_refs() skipped, and why (the parse error).
  struct SkippedFile {
    std::string path;  // the folder joined with the file's name
    std::string reason;
  };
  // list_refs(), also appending to `skipped` every metadata file it skipped
  // (for front ends that report them, docs/cli.md), in folder order.
  std::vector<ArtifactRef> list_refs(std::vector<SkippedFile>& skipped) const;
  // Whether <handle>.data is a regular file. Raises on an invalid handle.
  bool exists(const std::string& handle) const override;
  // Reads only the prefix a head/lines/rows selector needs, and keeps it in
  // the prefix cache while the file version stays the same.
  std::string drilldown(const std::string& handle, const Json& selector) const override;

  // The prefix cache's current entries and charged bytes (diagnostics and
  // tests; 0 when the cache is off).
  std::size_t prefix_cache_entries() const;
  std::size_t prefix_cache_bytes() const;

 private:
  // What put found under a file's name before writing it.
  enum class Existing { absent, equal, different };
  // A temp file opened for writing: a claimed spare (`size` = its old length) or a new one.
  struct TempFile;
  struct Spare {
    std::string name;  // empty: none
    long long size = 0;
    int pid = 0;  // the process that owns it (a forked child must not reuse it)
  };

  // `kind` 0 = .data, 1 = .json (each kind has its own spare, so sizes match).
  void write_atomic(const std::string& handle, const std::string& name, std::string_view bytes, int kind,
                    bool expect_existing);
  TempFile open_temp(const std::string& handle, int kind, bool allow_unnamed);
  void keep_spare(int kind, std::string name, long long size);
  int open_data(const std::string& handle) const;  // -1 when absent
  // Whether the file `name` is absent, holds exactly `bytes`, or something else.
  Existing compare_file(const std::string& name, std::string_view bytes) const;
  // Removes temp files of writers that no longer run (crash leftovers).
  void remove_stale_temp_files() const;
  void remove_if_stale(const char* name) const;

  std::filesystem::path base_dir_;
  Durability durability_;
  int dir_fd_ = -1;
  std::mutex spare_mutex_;
  Spare spares_[2];
  std::atomic<bool> spares_enabled_{true};      // false where the sole-opener check is unavailable
  mutable std::atomic<bool> recovered_{false};  // stale temp files removed (first put or list_refs)

  // drilldown()'s prefix cache (never null; off when a bound is 0).
  std::unique_ptr<json_file_detail::PrefixCache> prefix_cache_;
};

}  // namespace contextweaver
