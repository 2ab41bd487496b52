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
#include "json_file_internal.hpp"
#include "json_file_metadata.hpp"
#include "json_file_prefix_cache.hpp"
#include "json_file_refs_index.hpp"
#include "contextweaver/core/posix_file.hpp"

namespace contextweaver {
namespace {

using posix::Fd;

using namespace json_file_detail;

[[noreturn]] void not_found(const std::string& handle) {
  throw ArtifactNotFoundError("Artifact not found: " + py_repr(handle));
}

// The folder opened for one listing: a fresh open file description per
// listing, so concurrent listings do not share an offset. StorageError when
// it cannot be opened.
DIR* open_listing(int dir_fd, const std::filesystem::path& base_dir) {
  const int list_fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* dir = list_fd >= 0 ? ::fdopendir(list_fd) : nullptr;
  if (dir == nullptr) {
    const int err = errno;
    if (list_fd >= 0) ::close(list_fd);
    throw StorageError("Cannot list artifact store folder " + py_repr(base_dir.string()) + ": " +
                       posix::errno_text(err));
  }
  return dir;
}

// Where list_refs reads one metadata file: `buf` for a file that fits
// (metadata files are small: one pread, no allocation), `text` beyond.
struct MetadataBuffers {
  char buf[4096];
  std::string text;
};

// Reads the metadata file `name` into `content` (a view into `buffers`) and,
// unless already `identified`, takes `id` from the open file when it is a
// regular file. Returns 0, or the errno of the failure (ENOENT: deleted since
// the listing began).
int read_metadata_file(int dir_fd, const char* name, FileIdentity& id, bool& identified, MetadataBuffers& buffers,
                       std::string_view& content) {
  Fd fd(::openat(dir_fd, name, O_RDONLY | O_CLOEXEC));
  if (!fd) return errno;
  struct stat st {};
  if (!identified && ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode)) {
    id = FileIdentity::of(st);
    identified = true;
  }
  ssize_t n;
  do {
    n = ::pread(fd.get(), buffers.buf, sizeof buffers.buf, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno;
  if (static_cast<std::size_t>(n) < sizeof buffers.buf) {
    content = std::string_view(buffers.buf, static_cast<std::size_t>(n));
    return 0;
  }
  const int err = posix::read_prefix(fd.get(), std::string::npos, 2 * sizeof buffers.buf, buffers.text);
  content = buffers.text;
  return err;
}

}  // namespace

JsonFileArtifactStore::JsonFileArtifactStore(std::filesystem::path base_dir, Durability durability,
                                             JsonFilePrefixCacheLimits prefix_cache)
    : base_dir_(std::move(base_dir)),
      durability_(durability),
      prefix_cache_(std::make_unique<PrefixCache>(prefix_cache.max_bytes, prefix_cache.max_entries)) {
  const std::string shown = py_repr(base_dir_.string());
  std::error_code ec;
  if (std::filesystem::exists(base_dir_, ec) && !std::filesystem::is_directory(base_dir_, ec)) {
    throw StorageError("Artifact store folder " + shown + " exists and is not a directory");
  }
  std::filesystem::create_directories(base_dir_, ec);
  if (ec) throw StorageError("Cannot create artifact store folder " + shown + ": " + ec.message());
  dir_fd_ = ::open(base_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) throw StorageError("Cannot open artifact store folder " + shown + ": " + posix::errno_text(errno));
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

int JsonFileArtifactStore::open_data(const std::string& handle) const {
  const std::string name = handle + ".data";
  Fd fd(::openat(dir_fd_, name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) return -1;
    throw StorageError("Cannot read artifact " + py_repr(handle) + ": " + posix::errno_text(err));
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
  if (const int err = posix::read_prefix(fd, limit, size, out)) {
    throw StorageError("Cannot read artifact " + py_repr(handle) + ": " + posix::errno_text(err));
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
  const SelectorNeed need = selector_need(selector);
  // A prefix need may be served from the cache, once fstatat shows the
  // cached file version; on a miss, the prefix read below is remembered.
  const bool cached = need.kind != SelectorNeed::whole && prefix_cache_->enabled();
  auto read_start = timespec{};
  if (cached) {
    const std::string name = handle + ".data";
    struct stat st {};
    if (::fstatat(dir_fd_, name.c_str(), &st, 0) != 0) {
      const int err = errno;
      if (err == ENOENT || err == ENOTDIR || err == ELOOP) not_found(handle);
      throw StorageError("Cannot read artifact " + py_repr(handle) + ": " + posix::errno_text(err));
    }
    if (!S_ISREG(st.st_mode)) not_found(handle);
    std::shared_ptr<const CachedPrefix> keep;
    std::string_view prefix;
    if (prefix_cache_->find(handle, FileIdentity::of(st), need, keep, prefix)) return apply_selector(prefix, selector);
    read_start = realtime_now();  // before the fstat below: the racy-clean rule's reference
  }
  Fd fd(open_data(handle));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) not_found(handle);
  const auto size = static_cast<std::size_t>(st.st_size);
  const auto remember = [&](std::string_view bytes) {
    if (cached) prefix_cache_->remember(handle, st, bytes, read_start);
  };
  if (need.kind == SelectorNeed::prefix_bytes) {
    // A small prefix (head of up to 2,048 characters) goes through the stack: one pread, no allocation.
    char buf[8192];
    if (need.count <= sizeof buf) {
      ssize_t n;
      do {
        n = ::pread(fd.get(), buf, need.count, 0);
      } while (n < 0 && errno == EINTR);
      if (n < 0) throw StorageError("Cannot read artifact " + py_repr(handle) + ": " + posix::errno_text(errno));
      const std::string_view bytes(buf, static_cast<std::size_t>(n));
      remember(bytes);
      return apply_selector(bytes, selector);
    }
    const std::string bytes = read_or_throw(fd.get(), need.count, size, handle);
    remember(bytes);  // kept only when short (the whole of a small file)
    return apply_selector(bytes, selector);
  }
  if (need.kind == SelectorNeed::prefix_lines) {
    // Read a growing prefix until it holds the wanted lines (or the file ends).
    for (std::size_t chunk = 8192;; chunk *= 2) {
      const std::string bytes = read_or_throw(fd.get(), chunk, size, handle);
      const bool at_eof = bytes.size() < chunk;
      const std::size_t length = lines_prefix_length(bytes, need.count, at_eof);
      if (length == std::string_view::npos && !at_eof) continue;
      remember(bytes);
      return apply_selector(std::string_view(bytes).substr(0, length == std::string_view::npos ? bytes.size() : length),
                            selector);
    }
  }
  return apply_selector(read_or_throw(fd.get(), std::string::npos, size, handle), selector);
}

std::size_t JsonFileArtifactStore::prefix_cache_entries() const {
  return prefix_cache_->entries();
}

std::size_t JsonFileArtifactStore::prefix_cache_bytes() const {
  return prefix_cache_->bytes();
}

ArtifactRef JsonFileArtifactStore::ref(const std::string& handle) const {
  validate_artifact_handle(handle);
  const std::string name = handle + ".json";
  Fd fd(::openat(dir_fd_, name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) not_found(handle);
    throw StorageError("Cannot read artifact metadata " + py_repr(handle) + ": " + posix::errno_text(err));
  }
  const long long size = regular_size(fd.get());
  if (size < 0) not_found(handle);
  const std::string text = read_or_throw(fd.get(), std::string::npos, static_cast<std::size_t>(size), handle);
  // The same error type as the reference's, naming the file the user must fix.
  const auto where = [&](const std::exception& e) {
    return "Corrupt artifact metadata file " + py_repr((base_dir_ / name).string()) + ": " + e.what();
  };
  try {
    return store_detail::parse_artifact_metadata(text);
  } catch (const JsonDecodeError& e) {
    throw JsonDecodeError(where(e));
  } catch (const ValueError& e) {
    throw ValueError(where(e));
  } catch (const KeyError& e) {
    throw KeyError(where(e));
  } catch (const TypeError& e) {
    throw TypeError(where(e));
  }
}

bool JsonFileArtifactStore::exists(const std::string& handle) const {
  validate_artifact_handle(handle);
  const std::string name = handle + ".data";
  struct stat st {};
  if (::fstatat(dir_fd_, name.c_str(), &st, 0) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR || err == ELOOP) return false;  // as Path.is_file()
    throw StorageError("Cannot check artifact " + py_repr(handle) + ": " + posix::errno_text(err));
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
      throw StorageError("Cannot delete artifact " + py_repr(handle) + " (" + name + "): " + posix::errno_text(errno));
    }
  }
  prefix_cache_->erase(handle);  // stat would tell anyway; this frees the memory
  if (!removed) not_found(handle);
  if (durability_ == Durability::full) ::fsync(dir_fd_);
}

std::vector<ArtifactRef> JsonFileArtifactStore::list_refs() const {
  std::vector<SkippedFile> skipped;
  return list_refs(skipped);
}

std::vector<ArtifactRef> JsonFileArtifactStore::list_refs(std::vector<SkippedFile>& skipped) const {
  // Loaded before the folder is read: entries it learns are dated by this listing's start.
  RefsIndex index(dir_fd_);
  DIR* dir = open_listing(dir_fd_, base_dir_);
  std::vector<ArtifactRef> refs;
  refs.reserve(index.size());
  MetadataBuffers buffers;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name(entry->d_name);
    if (!ends_with(name, ".json")) {
      if (name.starts_with(kTempPrefix)) remove_if_stale(entry->d_name);
      continue;
    }
    // The identity of the version about to be read (taken before reading it), if a regular file.
    FileIdentity id;
    bool identified = false;
    if (!index.empty()) {  // a stat is enough when the index knows this version
      struct stat st {};
      if (::fstatat(dir_fd_, entry->d_name, &st, 0) != 0) {
        if (errno == ENOENT) continue;  // deleted since the listing began
      } else if (S_ISREG(st.st_mode)) {
        id = FileIdentity::of(st);
        identified = true;
        std::string why;
        if (index.take(name, id, refs, &why)) {
          if (!why.empty()) skipped.push_back({(base_dir_ / std::string(name)).string(), std::move(why)});
          continue;
        }
      }
    }
    std::string_view content;
    const int err = read_metadata_file(dir_fd_, entry->d_name, id, identified, buffers, content);
    if (err == ENOENT) continue;  // deleted since the listing began
    if (err != 0) {
      const std::string file_name(name);  // `name` points into `dir`, which closedir frees
      ::closedir(dir);
      throw StorageError("Cannot read artifact metadata " + py_repr(file_name) + " in " + py_repr(base_dir_.string()) +
                         ": " + posix::errno_text(err));
    }
    const auto skip = [&](const char* why) {
      CW_LOG_DEBUG(kLogger, "json_file_artifacts.list_refs: skip " + std::string(name) + " (" + why + ")");
      if (identified) index.learn_skip(name, id, why);
      skipped.push_back({(base_dir_ / std::string(name)).string(), why});
    };
    try {
      refs.push_back(store_detail::parse_artifact_metadata(content));
      if (identified) index.learn_ref(name, id, refs.back());
    } catch (const ValueError& e) {  // JsonDecodeError and bad UTF-8 included
      skip(e.what());
    } catch (const KeyError& e) {
      skip(e.what());
    } catch (const TypeError& e) {
      skip(e.what());
    }
  }
  ::closedir(dir);
  recovered_.store(true, std::memory_order_relaxed);
  index.save(dir_fd_);
  CW_LOG_DEBUG(kLogger, "json_file_artifacts.list_refs: " + std::to_string(refs.size()) + " refs, " +
                            std::to_string(index.hits()) + " from the index, " + std::to_string(index.learnt()) +
                            " indexed");
  sort_by_handle(refs);
  return refs;
}

}  // namespace contextweaver
