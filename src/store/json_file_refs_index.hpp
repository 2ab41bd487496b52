// The metadata index of a JsonFileArtifactStore folder, <base_dir>/.cwrefs.idx
// (docs/artifact-files.md, "The listing index"): what list_refs learnt about
// each <handle>.json, keyed by the file's stat identity, so that a later
// listing stats a file instead of opening and reading it. The folder stays
// the truth: an entry is used only while its file's identity is unchanged.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "json_file_identity.hpp"  // same folder: tests include this header by path

namespace contextweaver::json_file_detail {

inline constexpr const char* kRefsIndexName = ".cwrefs.idx";
// The previous index, rewritten into the next one (see write_index).
inline constexpr const char* kRefsIndexSpare = ".cwrefs.old";
// One listing's use of the index: loaded when the listing starts, given what
// the listing finds, rewritten at its end when it learnt something. Not
// shared between threads (each listing makes its own).
class RefsIndex {
 public:
  // Notes the current time (the build time of the index this listing may
  // write) and loads the folder's index. A missing, unreadable, corrupt,
  // truncated, other-version or other-folder index is ignored.
  explicit RefsIndex(int dir_fd);

  // Whether the loaded index has no entries (then a lookup cannot hit).
  bool empty() const { return slots_.empty(); }
  // How many entries it has (what a listing may reserve).
  std::size_t size() const { return slots_.size(); }

  // When `name` is indexed with identity `id` (and was not racy): appends its
  // ref to `refs`, or logs the skip it was (and sets `*skipped_why`, when
  // given, to why), and returns true.
  bool take(std::string_view name, const FileIdentity& id, std::vector<ArtifactRef>& refs,
            std::string* skipped_why = nullptr);

  // What the listing read from the file `name` of identity `id` (taken
  // before the read). Racy files are not remembered.
  void learn_ref(std::string_view name, const FileIdentity& id, const ArtifactRef& ref);
  void learn_skip(std::string_view name, const FileIdentity& id, std::string_view reason);

  // Replaces the index file (written into .cwrefs.old, then swapped in) when
  // the listing learnt an entry. Best effort: failures are logged at DEBUG
  // and ignored.
  void save(int dir_fd) const;

  // Entries used and learnt by this listing (for logs and tests).
  std::size_t hits() const { return hits_; }
  std::size_t learnt() const { return learnt_; }

 private:
  struct Slot {
    std::uint32_t begin;  // the entry's first byte (its name length) in loaded_
    std::uint32_t id;     // its identity
    std::uint32_t end;    // one past its last byte
  };
  // A piece of the next index: an entry of the loaded index or a learnt one.
  struct Piece {
    bool learnt;
    std::uint32_t begin;
    std::uint32_t end;
  };
  bool racy(const FileIdentity& id, std::int64_t build_ns) const;
  std::string_view name_of(const Slot& slot) const;
  // Starts a learnt entry (false: not remembered), then closes it.
  bool learn_header(std::string_view name, const FileIdentity& id, char kind);
  void learnt_entry();

  std::int64_t now_ns_ = 0;
  std::uint64_t dir_dev_ = 0;
  std::uint64_t dir_ino_ = 0;
  std::int64_t loaded_build_ns_ = 0;
  std::unique_ptr<char[]> loaded_;                             // the index file's bytes
  std::vector<Slot> slots_;                                    // in file order
  std::unordered_map<std::string_view, std::size_t> by_name_;  // slots by name, made on the first out-of-order lookup
  std::size_t next_ = 0;                                       // the slot after the last one found
  std::string learnt_bytes_;
  std::vector<Piece> pieces_;
  std::size_t hits_ = 0;
  std::size_t learnt_ = 0;
};

// Stable sort by handle (code point order = byte order of UTF-8), moving
// each ref once: sorting the refs themselves moves them about ten times.
void sort_by_handle(std::vector<ArtifactRef>& refs);

}  // namespace contextweaver::json_file_detail
