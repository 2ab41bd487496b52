#include "contextweaver/store/json_file_artifact_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/drilldown.hpp"
#include "contextweaver/store/handle.hpp"
#include "store/json_file_metadata.hpp"
#include "store/posix_file.hpp"

namespace contextweaver {
namespace {

using store_detail::Fd;

constexpr const char* kLogger = "contextweaver.store";
// Temp files: ".cwtmp.<pid>.<seq>.tmp". They never end in ".data" or ".json",
// so no reader mistakes one for an artifact, and the pid lets a later open
// tell a crashed writer's leftovers from a live writer's work in progress.
constexpr std::string_view kTempPrefix = ".cwtmp.";
constexpr std::string_view kTempSuffix = ".tmp";
// Temp names are unique within the process (across instances: a spare
// outlives one put, so per-instance counters would collide).
std::atomic<unsigned long long> g_temp_seq{0};

std::string errno_text(int err) {
  return std::system_category().message(err);
}

[[noreturn]] void not_found(const std::string& handle) {
  throw ArtifactNotFoundError("Artifact not found: " + py_repr(handle));
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

JsonFileArtifactStore::JsonFileArtifactStore(std::filesystem::path base_dir, Durability durability)
    : base_dir_(std::move(base_dir)), durability_(durability) {
  const std::string shown = py_repr(base_dir_.string());
  std::error_code ec;
  if (std::filesystem::exists(base_dir_, ec) && !std::filesystem::is_directory(base_dir_, ec)) {
    throw StorageError("Artifact store folder " + shown + " exists and is not a directory");
  }
  std::filesystem::create_directories(base_dir_, ec);
  if (ec) throw StorageError("Cannot create artifact store folder " + shown + ": " + ec.message());
  dir_fd_ = ::open(base_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) throw StorageError("Cannot open artifact store folder " + shown + ": " + errno_text(errno));
  // Leftover temp files are removed by the first put or list_refs (which
  // scans the folder anyway), so opening stays O(1); readers ignore them.
  CW_LOG_DEBUG(kLogger, "json_file_artifacts.init: base_dir=" + base_dir_.string());
}

JsonFileArtifactStore::~JsonFileArtifactStore() {
  if (dir_fd_ < 0) return;
  const int pid = ::getpid();
  for (const Spare& spare : spares_) {
    if (!spare.name.empty() && spare.pid == pid) ::unlinkat(dir_fd_, spare.name.c_str(), 0);
  }
  ::close(dir_fd_);
}

void JsonFileArtifactStore::remove_if_stale(const char* name) const {
  const std::string_view view(name);
  if (!view.starts_with(kTempPrefix) || !ends_with(view, kTempSuffix)) return;
  const std::string pid_text(view.substr(kTempPrefix.size(), view.find('.', kTempPrefix.size()) - kTempPrefix.size()));
  const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
  // Only a writer that no longer runs has abandoned its temp file.
  if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
    ::unlinkat(dir_fd_, name, 0);
    CW_LOG_DEBUG(kLogger, "json_file_artifacts.recover: removed " + std::string(view));
  }
}

void JsonFileArtifactStore::remove_stale_temp_files() const {
  // A fresh open file description: a dup() would share its read offset with other listings.
  const int list_fd = ::openat(dir_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* dir = list_fd >= 0 ? ::fdopendir(list_fd) : nullptr;
  if (dir == nullptr) {
    if (list_fd >= 0) ::close(list_fd);
    return;  // recovery is best effort; reads and writes still work
  }
  while (const dirent* entry = ::readdir(dir)) remove_if_stale(entry->d_name);
  ::closedir(dir);
  recovered_.store(true, std::memory_order_relaxed);
}

struct JsonFileArtifactStore::TempFile {
  std::string name;
  Fd fd;
  long long old_size = -1;  // a reused spare's length; -1 for a new file
};

// A spare is reused only when no one else has it open: a reader that opened
// the old version before it was swapped out must keep reading those bytes.
JsonFileArtifactStore::TempFile JsonFileArtifactStore::open_temp(const std::string& handle, int kind) {
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
    if (temp.fd && store_detail::sole_open(temp.fd.get())) return temp;
    temp.fd = Fd();
    ::unlinkat(dir_fd_, temp.name.c_str(), 0);  // the reader keeps its inode
    temp.old_size = -1;
  }
  for (int attempt = 0;; ++attempt) {
    temp.name = std::string(kTempPrefix) + std::to_string(pid) + "." +
                std::to_string(g_temp_seq.fetch_add(1, std::memory_order_relaxed)) + std::string(kTempSuffix);
    temp.fd = Fd(::openat(dir_fd_, temp.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (temp.fd) return temp;
    const int err = errno;
    if (err == EEXIST && attempt < 100) continue;  // a leftover of an earlier process with our pid
    throw StorageError("Cannot write artifact " + py_repr(handle) + " (create temp file in " +
                       py_repr(base_dir_.string()) + "): " + errno_text(err));
  }
}

void JsonFileArtifactStore::keep_spare(int kind, std::string name, long long size) {
  {
    std::lock_guard lock(spare_mutex_);
    Spare& spare = spares_[kind];
    if (spare.name.empty()) {
      spare = Spare{std::move(name), size, ::getpid()};
      return;
    }
  }
  ::unlinkat(dir_fd_, name.c_str(), 0);  // another thread's put left one already
}

void JsonFileArtifactStore::write_atomic(const std::string& handle, const std::string& name, std::string_view bytes,
                                         int kind, bool expect_existing) {
  TempFile temp = open_temp(handle, kind);
  const auto fail = [&](const char* step, int err) {
    temp.fd = Fd();
    ::unlinkat(dir_fd_, temp.name.c_str(), 0);
    throw StorageError("Cannot write artifact " + py_repr(handle) + " (" + step + " " + py_repr(name) + " in " +
                       py_repr(base_dir_.string()) + "): " + errno_text(err));
  };
  if (const int err = store_detail::write_all(temp.fd.get(), bytes)) fail("write", err);
  // A shorter new version of a reused spare: cut the old tail. (Never to
  // zero for a non-empty file, and never when growing: both are no-ops.)
  if (temp.old_size > static_cast<long long>(bytes.size()) &&
      ::ftruncate(temp.fd.get(), static_cast<off_t>(bytes.size())) != 0) {
    fail("truncate", errno);
  }
  if (durability_ == Durability::full && ::fsync(temp.fd.get()) != 0) fail("fsync", errno);
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
    throw StorageError("Cannot sync artifact store folder " + py_repr(base_dir_.string()) + ": " + errno_text(errno));
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

int JsonFileArtifactStore::open_data(const std::string& handle) const {
  const std::string name = handle + ".data";
  Fd fd(::openat(dir_fd_, name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) return -1;
    throw StorageError("Cannot read artifact " + py_repr(handle) + ": " + errno_text(err));
  }
  return fd.release();
}

namespace {

// The size of a regular file, or -1 (not regular: a folder, a fifo, …).
long long regular_size(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  return static_cast<long long>(st.st_size);
}

std::string read_or_throw(int fd, std::size_t limit, std::size_t size, const std::string& handle) {
  std::string out;
  if (const int err = store_detail::read_prefix(fd, limit, size, out)) {
    throw StorageError("Cannot read artifact " + py_repr(handle) + ": " + errno_text(err));
  }
  return out;
}

}  // namespace

std::string JsonFileArtifactStore::get(const std::string& handle) const {
  validate_artifact_handle(handle);
  Fd fd(open_data(handle));
  const long long size = fd ? regular_size(fd.get()) : -1;
  if (size < 0) not_found(handle);
  return read_or_throw(fd.get(), std::string::npos, static_cast<std::size_t>(size), handle);
}

std::string JsonFileArtifactStore::drilldown(const std::string& handle, const Json& selector) const {
  validate_artifact_handle(handle);
  Fd fd(open_data(handle));
  const long long ssize = fd ? regular_size(fd.get()) : -1;
  if (ssize < 0) not_found(handle);
  const auto size = static_cast<std::size_t>(ssize);
  const SelectorNeed need = selector_need(selector);
  if (need.kind == SelectorNeed::prefix_bytes) {
    // A small prefix (head of up to 2,048 characters) goes through the stack: one pread, no allocation.
    char buf[8192];
    if (need.count <= sizeof buf) {
      ssize_t n;
      do {
        n = ::pread(fd.get(), buf, need.count, 0);
      } while (n < 0 && errno == EINTR);
      if (n < 0) throw StorageError("Cannot read artifact " + py_repr(handle) + ": " + errno_text(errno));
      return apply_selector(std::string_view(buf, static_cast<std::size_t>(n)), selector);
    }
    return apply_selector(read_or_throw(fd.get(), need.count, size, handle), selector);
  }
  if (need.kind == SelectorNeed::prefix_lines) {
    // Read a growing prefix until it holds the wanted lines (or the file ends).
    for (std::size_t chunk = 8192;; chunk *= 2) {
      const std::string bytes = read_or_throw(fd.get(), chunk, size, handle);
      const bool at_eof = bytes.size() < chunk;
      const std::size_t length = lines_prefix_length(bytes, need.count, at_eof);
      if (length != std::string_view::npos) return apply_selector(std::string_view(bytes).substr(0, length), selector);
      if (at_eof) return apply_selector(bytes, selector);
    }
  }
  return apply_selector(read_or_throw(fd.get(), std::string::npos, size, handle), selector);
}

ArtifactRef JsonFileArtifactStore::ref(const std::string& handle) const {
  validate_artifact_handle(handle);
  const std::string name = handle + ".json";
  Fd fd(::openat(dir_fd_, name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) not_found(handle);
    throw StorageError("Cannot read artifact metadata " + py_repr(handle) + ": " + errno_text(err));
  }
  const long long size = regular_size(fd.get());
  if (size < 0) not_found(handle);
  return store_detail::parse_artifact_metadata(
      read_or_throw(fd.get(), std::string::npos, static_cast<std::size_t>(size), handle));
}

bool JsonFileArtifactStore::exists(const std::string& handle) const {
  validate_artifact_handle(handle);
  const std::string name = handle + ".data";
  struct stat st {};
  if (::fstatat(dir_fd_, name.c_str(), &st, 0) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) return false;  // as Path.is_file()
    throw StorageError("Cannot check artifact " + py_repr(handle) + ": " + errno_text(err));
  }
  return S_ISREG(st.st_mode);
}

void JsonFileArtifactStore::delete_(const std::string& handle) {
  validate_artifact_handle(handle);
  bool removed = false;
  for (const char* ext : {".json", ".data"}) {
    const std::string name = handle + ext;
    if (::unlinkat(dir_fd_, name.c_str(), 0) == 0) {
      removed = true;
    } else if (errno != ENOENT && errno != ENOTDIR) {
      throw StorageError("Cannot delete artifact " + py_repr(handle) + " (" + name + "): " + errno_text(errno));
    }
  }
  if (!removed) not_found(handle);
  if (durability_ == Durability::full) ::fsync(dir_fd_);
}

std::vector<ArtifactRef> JsonFileArtifactStore::list_refs() const {
  // A fresh open file description per listing, so concurrent listings do not share an offset.
  const int list_fd = ::openat(dir_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* dir = list_fd >= 0 ? ::fdopendir(list_fd) : nullptr;
  if (dir == nullptr) {
    const int err = errno;
    if (list_fd >= 0) ::close(list_fd);
    throw StorageError("Cannot list artifact store folder " + py_repr(base_dir_.string()) + ": " + errno_text(err));
  }
  std::vector<ArtifactRef> refs;
  std::string text;
  char buf[4096];  // metadata files are small: one pread, no allocation
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name(entry->d_name);
    if (!ends_with(name, ".json")) {
      if (name.starts_with(kTempPrefix)) remove_if_stale(entry->d_name);
      continue;
    }
    Fd fd(::openat(dir_fd_, entry->d_name, O_RDONLY | O_CLOEXEC));
    int err = fd ? 0 : errno;
    std::string_view content;
    if (err == 0) {
      ssize_t n;
      do {
        n = ::pread(fd.get(), buf, sizeof buf, 0);
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        err = errno;
      } else if (static_cast<std::size_t>(n) < sizeof buf) {
        content = std::string_view(buf, static_cast<std::size_t>(n));
      } else {
        err = store_detail::read_prefix(fd.get(), std::string::npos, 2 * sizeof buf, text);
        content = text;
      }
    }
    if (err == ENOENT) continue;  // deleted since the listing began
    if (err != 0) {
      const std::string file_name(name);  // `name` points into `dir`, which closedir frees
      ::closedir(dir);
      throw StorageError("Cannot read artifact metadata " + py_repr(file_name) + " in " + py_repr(base_dir_.string()) +
                         ": " + errno_text(err));
    }
    try {
      refs.push_back(store_detail::parse_artifact_metadata(content));
    } catch (const ValueError& e) {  // JsonDecodeError and bad UTF-8 included
      CW_LOG_DEBUG(kLogger, "json_file_artifacts.list_refs: skip " + std::string(name) + " (" + e.what() + ")");
    } catch (const KeyError& e) {
      CW_LOG_DEBUG(kLogger, "json_file_artifacts.list_refs: skip " + std::string(name) + " (" + e.what() + ")");
    } catch (const TypeError& e) {
      CW_LOG_DEBUG(kLogger, "json_file_artifacts.list_refs: skip " + std::string(name) + " (" + e.what() + ")");
    }
  }
  ::closedir(dir);
  recovered_.store(true, std::memory_order_relaxed);
  std::stable_sort(refs.begin(), refs.end(),
                   [](const ArtifactRef& a, const ArtifactRef& b) { return a.handle < b.handle; });
  return refs;
}

}  // namespace contextweaver
