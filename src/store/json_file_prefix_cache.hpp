// The drill-down prefix cache of one JsonFileArtifactStore
// (docs/artifact-files.md, "Reading: the prefix cache"): the leading bytes of
// recently drilled artifacts, served again only while one fstatat shows the
// very file version they were read from.
#pragma once

#include <sys/stat.h>
#include <time.h>

#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "contextweaver/store/drilldown.hpp"
#include "json_file_identity.hpp"  // same folder: tests include this header by path

namespace contextweaver::json_file_detail {

// The longest prefix kept per artifact: enough for head of 2,048 characters
// and for the first ~100 lines of typical text.
inline constexpr std::size_t kMaxCachedPrefix = 8192;

// One cached prefix, shared by the cache and the calls serving from it.
struct CachedPrefix {
  static constexpr std::size_t kUnknown = static_cast<std::size_t>(-1) - 1;
  std::string bytes;
  bool at_eof = false;  // the whole file
  // How many lines `bytes` surely holds whole (see whole_lines), counted at
  // the first lines/rows hit (a head-only entry never pays for the scan).
  mutable std::atomic<std::size_t> lines{kUnknown};
};

// A point in time of CLOCK_REALTIME, the clock file timestamps come from.
using WallTime = struct timespec;
WallTime realtime_now();

// Thread-safe; the mutex guards only the map and the list (no system call
// runs under it, and the bytes are shared, so a selector runs unlocked).
// Holds bytes, never file descriptors (put's spare-file reuse checks that no
// one else has a file open).
class PrefixCache {
 public:
  // Either bound 0 turns the cache off.
  PrefixCache(std::size_t max_bytes, std::size_t max_entries);
  PrefixCache(const PrefixCache&) = delete;
  PrefixCache& operator=(const PrefixCache&) = delete;
  ~PrefixCache();

  bool enabled() const { return max_bytes_ > 0 && max_entries_ > 0; }

  // The leading bytes of the file version `id` of `handle` that suffice for
  // `need` (as the uncached read would pass to apply_selector), kept alive by
  // `keep`; false on a miss (not cached, another version, or too short).
  bool find(const std::string& handle, const FileIdentity& id, const SelectorNeed& need,
            std::shared_ptr<const CachedPrefix>& keep, std::string_view& prefix);
  // Keeps `bytes`, the leading bytes of the file version `st` (from fstat of
  // the descriptor they were read from), when that version was last modified
  // (mtime and ctime) more than kRacyMarginNs before `read_start` — a time
  // taken before that fstat — and the prefix is at most kMaxCachedPrefix.
  void remember(const std::string& handle, const struct stat& st, std::string_view bytes, const timespec& read_start);
  // Forgets `handle` (own writes and deletes: frees the memory at once).
  void erase(const std::string& handle);

  std::size_t entries() const;
  std::size_t bytes() const;  // what the bound counts: prefixes, keys and per-entry overhead

 private:
  struct Node {
    std::string handle;
    FileIdentity id;
    std::shared_ptr<const CachedPrefix> prefix;
    std::size_t charge = 0;
  };
  using List = std::list<Node>;

  // Moves `it` (and its map entry) out into `trash`, to be freed unlocked.
  void unlink(List::iterator it, List& trash);

  const std::size_t max_bytes_;
  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  List lru_;                                                    // most recently used first
  std::unordered_map<std::string_view, List::iterator> index_;  // keys view Node::handle
  std::size_t bytes_ = 0;
};

}  // namespace contextweaver::json_file_detail
