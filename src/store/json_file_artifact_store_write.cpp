// JsonFileArtifactStore::put: atomic files, spare temp files and unnamed
// temp files (docs/artifact-files.md, "Writing: atomic files").
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/handle.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "json_file_internal.hpp"
#include "json_file_prefix_cache.hpp"
#include "contextweaver/core/posix_file.hpp"
#include "posix_file.hpp"

namespace contextweaver {
namespace {

using namespace json_file_detail;
using posix::Fd;

// Temp names are unique within the process (across instances: a spare
// outlives one put, so per-instance counters would collide).
std::atomic<unsigned long long> g_temp_seq{0};
// Cleared when the file system refuses O_TMPFILE; named temp files then.
std::atomic<bool> g_unnamed_ok{true};

std::string temp_name(int pid) {
  return std::string(kTempPrefix) + std::to_string(pid) + "." +
         std::to_string(g_temp_seq.fetch_add(1, std::memory_order_relaxed)) + std::string(kTempSuffix);
}

// Gives the unnamed (O_TMPFILE) file `fd` the name `name`; fails with EEXIST
// when the name is taken. Returns 0 or an errno value.
int link_unnamed(int fd, int dir_fd, const char* name) {
  if (::linkat(fd, "", dir_fd, name, AT_EMPTY_PATH) == 0) return 0;
  if (errno != ENOENT && errno != EPERM) return errno;
  // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH before Linux 6.10: go through /proc.
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  return ::linkat(AT_FDCWD, path, dir_fd, name, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
}

}  // namespace

struct JsonFileArtifactStore::TempFile {
  std::string name;  // empty: an unnamed O_TMPFILE file, linked into place
  Fd fd;
  long long old_size = -1;  // a reused spare's length; -1 for a new file
};

// A spare is reused only when no one else has it open: a reader that opened
// the old version before it was swapped out must keep reading those bytes.
// Without a spare, a new handle's file starts unnamed (O_TMPFILE): linking it
// into place costs one directory entry instead of create + rename.
JsonFileArtifactStore::TempFile JsonFileArtifactStore::open_temp(const std::string& handle, int kind,
                                                                 bool allow_unnamed) {
  const int pid = ::getpid();
  TempFile temp;
  {
    std::lock_guard lock(spare_mutex_);
    Spare& spare = spares_[kind];
    if (!spare.name.empty() && spare.pid == pid) {
      temp.name = std::move(spare.name);
      temp.old_size = spare.size;
    }
    spare.name.clear();
  }
  if (!temp.name.empty()) {
    temp.fd = Fd(::openat(dir_fd_, temp.name.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    const int err = temp.fd ? store_detail::sole_open(temp.fd.get()) : errno;
    if (err == 0) return temp;
    // No leases here: the check can never pass, so stop keeping spares.
    if (err == EINVAL || err == ENOSYS) spares_enabled_.store(false, std::memory_order_relaxed);
    temp.fd = Fd();
    ::unlinkat(dir_fd_, temp.name.c_str(), 0);  // the reader keeps its inode
    temp.name.clear();
    temp.old_size = -1;
  }
  if (allow_unnamed && g_unnamed_ok.load(std::memory_order_relaxed)) {
    temp.fd = Fd(::openat(dir_fd_, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644));
    if (temp.fd) return temp;
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) g_unnamed_ok.store(false);
  }
  for (int attempt = 0;; ++attempt) {
    temp.name = temp_name(pid);
    temp.fd = Fd(::openat(dir_fd_, temp.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (temp.fd) return temp;
    const int err = errno;
    if (err == EEXIST && attempt < 100) continue;  // a leftover of an earlier process with our pid
    throw StorageError("Cannot write artifact " + py_repr(handle) + " (create temp file in " +
                       py_repr(base_dir_.string()) + "): " + posix::errno_text(err));
  }
}

void JsonFileArtifactStore::keep_spare(int kind, std::string name, long long size) {
  {
    std::lock_guard lock(spare_mutex_);
    Spare& spare = spares_[kind];
    if (spare.name.empty() && spares_enabled_.load(std::memory_order_relaxed)) {
      spare = Spare{std::move(name), size, ::getpid()};
      return;
    }
  }
  ::unlinkat(dir_fd_, name.c_str(), 0);  // another thread's put left one already, or no reuse here
}

void JsonFileArtifactStore::write_atomic(const std::string& handle, const std::string& name, std::string_view bytes,
                                         int kind, bool expect_existing) {
  TempFile temp = open_temp(handle, kind, !expect_existing);
  const auto fail = [&](const char* step, int err) {
    temp.fd = Fd();  // an unnamed file vanishes with its descriptor
    if (!temp.name.empty()) ::unlinkat(dir_fd_, temp.name.c_str(), 0);
    throw StorageError("Cannot write artifact " + py_repr(handle) + " (" + step + " " + py_repr(name) + " in " +
                       py_repr(base_dir_.string()) + "): " + posix::errno_text(err));
  };
  if (const int err = posix::write_all(temp.fd.get(), bytes)) fail("write", err);
  // A shorter new version of a reused spare: cut the old tail. (Never to
  // zero for a non-empty file, and never when growing: both are no-ops.)
  if (temp.old_size > static_cast<long long>(bytes.size()) &&
      ::ftruncate(temp.fd.get(), static_cast<off_t>(bytes.size())) != 0) {
    fail("truncate", errno);
  }
  if (durability_ == Durability::full && ::fsync(temp.fd.get()) != 0) fail("fsync", errno);
  if (temp.name.empty()) {
    // Unnamed: the link is the atomic step and fails if the name is taken.
    const int err = link_unnamed(temp.fd.get(), dir_fd_, name.c_str());
    if (err == 0) {
      temp.fd = Fd();
      if (durability_ == Durability::full && ::fsync(dir_fd_) != 0) {
        throw StorageError("Cannot sync artifact store folder " + py_repr(base_dir_.string()) + ": " +
                           posix::errno_text(errno));
      }
      return;
    }
    if (err != EEXIST) fail("rename to", err);
    // The name appeared after all: give the file a temp name and swap it in below.
    for (int attempt = 0;; ++attempt) {
      temp.name = temp_name(::getpid());
      const int e = link_unnamed(temp.fd.get(), dir_fd_, temp.name.c_str());
      if (e == 0) break;
      temp.name.clear();
      if (e != EEXIST || attempt >= 100) fail("rename to", e);
    }
    expect_existing = true;
  }
  if (::close(temp.fd.release()) != 0) fail("close", errno);
  // Replacing an existing file: swap the two names in one step; the old
  // version, now under the temp name, becomes this kind's spare. A plain
  // rename over an existing file makes ext4 (auto_da_alloc) start writing the
  // new data out before returning (4-5x the whole put), and unlinking the old
  // file frees an inode, which on a journal-less ext4 makes every later inode
  // allocation slower (recently freed inodes are skipped one by one). Readers
  // see the old or the new file, never neither. A new name: RENAME_NOREPLACE.
  const unsigned first = expect_existing ? RENAME_EXCHANGE : RENAME_NOREPLACE;
  int rc = ::renameat2(dir_fd_, temp.name.c_str(), dir_fd_, name.c_str(), first);
  int err = rc == 0 ? 0 : errno;
  bool exchanged = rc == 0 && first == RENAME_EXCHANGE;
  if (err == EEXIST) {  // appeared meanwhile
    rc = ::renameat2(dir_fd_, temp.name.c_str(), dir_fd_, name.c_str(), RENAME_EXCHANGE);
    err = rc == 0 ? 0 : errno;
    exchanged = rc == 0;
  }
  if (exchanged) {
    struct stat st {};
    const bool got = ::fstatat(dir_fd_, temp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (got && S_ISDIR(st.st_mode)) {
      // The target was a folder: swap it back, so that the plain rename
      // below fails as it always did and the folder stays where it was.
      if (::renameat2(dir_fd_, temp.name.c_str(), dir_fd_, name.c_str(), RENAME_EXCHANGE) != 0) fail("restore", errno);
      err = EISDIR;
    } else if (got && S_ISREG(st.st_mode) && st.st_nlink == 1) {  // not also linked elsewhere
      keep_spare(kind, std::move(temp.name), static_cast<long long>(st.st_size));
    } else {
      ::unlinkat(dir_fd_, temp.name.c_str(), 0);  // a symlink, special or hard-linked file: not reusable
    }
  } else if (err != 0 && err != ENOENT && err != EINVAL && err != ENOSYS && err != EISDIR && err != ENOTDIR) {
    fail(first == RENAME_EXCHANGE ? "exchange with" : "rename to", err);
  }
  // No target after all, a folder in the way, or no renameat2 flags: plain rename.
  if (err != 0 && ::renameat(dir_fd_, temp.name.c_str(), dir_fd_, name.c_str()) != 0) fail("rename to", errno);
  // The rename itself is durable only once the folder is synced.
  if (durability_ == Durability::full && ::fsync(dir_fd_) != 0) {
    throw StorageError("Cannot sync artifact store folder " + py_repr(base_dir_.string()) + ": " +
                       posix::errno_text(errno));
  }
}

ArtifactRef JsonFileArtifactStore::put(const std::string& handle, std::string_view content,
                                       const std::string& media_type, const std::string& label) {
  validate_artifact_handle(handle);
  if (!recovered_.load(std::memory_order_relaxed)) remove_stale_temp_files();
  ArtifactRef ref{handle, media_type, static_cast<std::int64_t>(content.size()), label, ""};
  const std::string meta = dumps_sorted(ref.to_dict());
  // An overwrite with the same size, type and label leaves the metadata file
  // byte-identical: reading it is cheaper than replacing it. Its absence also
  // tells a new handle (no previous .data to swap with, most likely).
  const Existing json = compare_file(handle + ".json", meta);
  // Bytes first, metadata last: metadata is what list_refs/ref see, so it
  // never points at bytes that are not fully written.
  write_atomic(handle, handle + ".data", content, 0, json != Existing::absent);
  prefix_cache_->erase(handle);  // stat would tell anyway; this frees the memory
  if (json != Existing::equal) write_atomic(handle, handle + ".json", meta, 1, json == Existing::different);
  CW_LOG_DEBUG(kLogger, "json_file_artifacts.put: handle=" + handle + ", size=" + std::to_string(content.size()));
  return ref;
}

JsonFileArtifactStore::Existing JsonFileArtifactStore::compare_file(const std::string& name,
                                                                    std::string_view bytes) const {
  Fd fd(::openat(dir_fd_, name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return errno == ENOENT ? Existing::absent : Existing::different;
  // One byte more than expected: a longer file is different.
  char buf[512];
  if (bytes.size() >= sizeof buf) return Existing::different;
  ssize_t n;
  do {
    n = ::pread(fd.get(), buf, bytes.size() + 1, 0);
  } while (n < 0 && errno == EINTR);
  const bool same = n == static_cast<ssize_t>(bytes.size()) && std::memcmp(buf, bytes.data(), bytes.size()) == 0;
  return same ? Existing::equal : Existing::different;
}

}  // namespace contextweaver
