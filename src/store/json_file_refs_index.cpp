// The listing index file (docs/artifact-files.md, "The listing index"):
//   header   "CWREFIDX", u32 version, u32 entry count, u64 folder st_dev,
//            u64 folder st_ino, i64 build time (ns since the epoch)
//   entries  u32 name length, name, u64 st_dev, u64 st_ino, i64 st_size,
//            i64 mtime ns, i64 ctime ns, u8 kind, then for kind 'r' i64
//            size_bytes and four strings (handle, media_type, label,
//            content_hash), for kind 's' one string (why it is skipped);
//            a string is u32 length + bytes
//   trailer  u64 checksum of everything before it
// Integers are little-endian. Any mismatch makes the whole file ignored.
#include "json_file_refs_index.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <numeric>

#include "contextweaver/core/log.hpp"
#include "json_file_internal.hpp"
#include "contextweaver/core/posix_file.hpp"

namespace contextweaver::json_file_detail {
namespace {

constexpr std::string_view kMagic = "CWREFIDX";
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderSize = 40;
constexpr std::size_t kIdentitySize = 40;
constexpr std::size_t kChecksumSize = 8;
// Larger index files are neither read nor written (over ~600,000 artifacts).
constexpr std::size_t kMaxIndexSize = std::size_t{64} << 20;

template <typename T>
T byteswap(T v) {
  if constexpr (sizeof v == 8) return __builtin_bswap64(v);
  return __builtin_bswap32(v);
}

// Local file systems whose timestamps follow this machine's clock to within a
// jiffy (or a second, see racy()). Elsewhere (NFS, SMB, FUSE, FAT, …) the
// server's clock or a 2-second grain could make a changed file look unchanged,
// so no index is used there.
bool trusted_file_system(int dir_fd) {
  struct statfs fs {};
  if (::fstatfs(dir_fd, &fs) != 0) return false;
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0xEF53:      // ext2/3/4
    case 0x58465342:  // xfs
    case 0x9123683E:  // btrfs
    case 0x01021994:  // tmpfs
    case 0x858458F6:  // ramfs
    case 0xF2F52010:  // f2fs
    case 0x2FC12FC1:  // zfs
    case 0xCA451A4E:  // bcachefs
    case 0x794C7630:  // overlayfs (over one of these, in containers)
      return true;
    default:
      return false;
  }
}

// Little-endian on every host (one move each where the host is little-endian).
template <typename T>
T load_le(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = byteswap(v);
  return v;
}
template <typename T>
void put_le(std::string& out, T v) {
  if constexpr (std::endian::native == std::endian::big) v = byteswap(v);
  char b[sizeof v];
  std::memcpy(b, &v, sizeof v);
  out.append(b, sizeof v);
}
std::uint64_t load_u64(const char* p) {
  return load_le<std::uint64_t>(p);
}
std::uint32_t load_u32(const char* p) {
  return load_le<std::uint32_t>(p);
}
void put_u64(std::string& out, std::uint64_t v) {
  put_le(out, v);
}
void put_u32(std::string& out, std::uint32_t v) {
  put_le(out, v);
}
void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}
void put_identity(std::string& out, const FileIdentity& id) {
  put_u64(out, id.dev);
  put_u64(out, id.ino);
  put_u64(out, static_cast<std::uint64_t>(id.size));
  put_u64(out, static_cast<std::uint64_t>(id.mtime_ns));
  put_u64(out, static_cast<std::uint64_t>(id.ctime_ns));
}
FileIdentity load_identity(const char* p) {
  return FileIdentity{load_u64(p), load_u64(p + 8), static_cast<std::int64_t>(load_u64(p + 16)),
                      static_cast<std::int64_t>(load_u64(p + 24)), static_cast<std::int64_t>(load_u64(p + 32))};
}

// A fast 64-bit hash against torn or damaged files (not against forgery).
std::uint64_t checksum(std::string_view s) {
  constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ull;
  constexpr std::uint64_t k2 = 0xC2B2AE3D27D4EB4Full;
  std::uint64_t h = k2 ^ (s.size() * k1);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    h ^= load_u64(s.data() + i) * k1;
    h = ((h << 31) | (h >> 33)) * k2;
  }
  std::uint64_t tail = 0;
  for (std::size_t j = s.size(); j > i; --j) tail = (tail << 8) | static_cast<unsigned char>(s[j - 1]);
  h ^= tail * k1;
  h ^= h >> 29;
  h *= k2;
  h ^= h >> 32;
  return h;
}

// A bounds-checked reader over the loaded bytes.
struct Cursor {
  std::string_view s;
  std::size_t pos;
  bool ok = true;
  const char* take(std::size_t n) {
    if (!ok || s.size() - pos < n) {
      ok = false;
      return nullptr;
    }
    const char* p = s.data() + pos;
    pos += n;
    return p;
  }
  std::uint32_t u32() {
    const char* p = take(4);
    return p ? load_u32(p) : 0;
  }
  std::uint64_t u64() {
    const char* p = take(8);
    return p ? load_u64(p) : 0;
  }
  std::string_view string() {
    const std::uint32_t n = u32();
    const char* p = take(n);
    return p ? std::string_view(p, n) : std::string_view();
  }
};

// Makes `bytes` the index: written into the previous index, kept as
// .cwrefs.old, which is then swapped with .cwrefs.idx in one step. Readers
// see the old or the new index, never a partial one (a reader still holding
// an index from two rewrites ago may read it torn: its checksum then fails).
// Reusing the file costs no inode: creating one per rewrite took ~0.7 ms on
// a journal-less ext4 that freed inodes recently, and a rename over the old
// index made ext4 (auto_da_alloc) flush the new one. Returns 0 (also when
// another writer is at it) or an errno value, naming the failed step.
int write_index(int dir_fd, std::string_view bytes, const char*& step) {
  step = "open";
  posix::Fd fd(::openat(dir_fd, kRefsIndexSpare, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644));
  if (!fd) return errno;
  // One writer at a time; a listing that finds another writing leaves it to it.
  step = "lock";
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) return errno == EWOULDBLOCK ? 0 : errno;
  step = "check";
  struct stat mine {};
  struct stat named {};
  if (::fstat(fd.get(), &mine) != 0) return errno;
  if (!S_ISREG(mine.st_mode) || mine.st_nlink != 1) return EPERM;  // not ours to rewrite
  // Swapped in by another writer between our open and our lock: its turn.
  if (::fstatat(dir_fd, kRefsIndexSpare, &named, AT_SYMLINK_NOFOLLOW) != 0 || named.st_ino != mine.st_ino ||
      named.st_dev != mine.st_dev) {
    return 0;
  }
  step = "write";
  if (const int err = posix::write_all(fd.get(), bytes)) return err;
  // Cut a longer old tail after writing (never truncate to zero first: ext4 would flush on close).
  if (mine.st_size > static_cast<off_t>(bytes.size()) && ::ftruncate(fd.get(), static_cast<off_t>(bytes.size())) != 0) {
    return errno;
  }
  step = "swap";
  if (::renameat2(dir_fd, kRefsIndexSpare, dir_fd, kRefsIndexName, RENAME_EXCHANGE) == 0) {
    if (::fstatat(dir_fd, kRefsIndexSpare, &named, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(named.st_mode)) {
      // A folder stood there: put it back, as a plain rename would have failed.
      if (::renameat2(dir_fd, kRefsIndexSpare, dir_fd, kRefsIndexName, RENAME_EXCHANGE) != 0) return errno;
      return EISDIR;
    }
    return 0;
  }
  if (errno != ENOENT && errno != EINVAL && errno != ENOSYS) return errno;
  // No index yet (or no RENAME_EXCHANGE here): a plain rename.
  return ::renameat(dir_fd, kRefsIndexSpare, dir_fd, kRefsIndexName) == 0 ? 0 : errno;
}

}  // namespace

RefsIndex::RefsIndex(int dir_fd) {
  auto now = timespec{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  now_ns_ = static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
  struct stat dir_st {};
  if (!trusted_file_system(dir_fd) || ::fstat(dir_fd, &dir_st) != 0) return;  // disabled: nothing loaded or saved
  dir_dev_ = static_cast<std::uint64_t>(dir_st.st_dev);
  dir_ino_ = static_cast<std::uint64_t>(dir_st.st_ino);
  posix::Fd fd(::openat(dir_fd, kRefsIndexName, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kHeaderSize + kChecksumSize || size > kMaxIndexSize) return;
  // No zero fill: the whole buffer is read over (a shorter read: ignored).
  loaded_ = std::make_unique_for_overwrite<char[]>(size);
  ssize_t n;
  do {
    n = ::pread(fd.get(), loaded_.get(), size, 0);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(size)) return;
  const std::string_view all(loaded_.get(), size);
  if (!all.starts_with(kMagic)) return;
  const std::string_view body = all.substr(0, all.size() - kChecksumSize);
  if (load_u64(all.data() + body.size()) != checksum(body)) return;
  if (load_u32(all.data() + 8) != kVersion || load_u64(all.data() + 16) != dir_dev_ ||
      load_u64(all.data() + 24) != dir_ino_) {
    return;  // another format, or copied from another folder
  }
  const std::uint32_t count = load_u32(all.data() + 12);
  loaded_build_ns_ = static_cast<std::int64_t>(load_u64(all.data() + 32));
  if (count > body.size() / (4 + kIdentitySize + 1)) return;
  std::vector<Slot> slots;
  slots.reserve(count);
  Cursor in{body, kHeaderSize};
  for (std::uint32_t k = 0; k < count && in.ok; ++k) {
    const auto begin = static_cast<std::uint32_t>(in.pos);
    in.string();  // the name
    const auto id = static_cast<std::uint32_t>(in.pos);
    in.take(kIdentitySize);
    const char* kind = in.take(1);
    if (kind != nullptr && *kind == 'r') {
      in.take(8);
      for (int f = 0; f < 4; ++f) in.string();
    } else if (kind != nullptr && *kind == 's') {
      in.string();
    } else {
      in.ok = false;
    }
    if (in.ok) slots.push_back(Slot{begin, id, static_cast<std::uint32_t>(in.pos)});
  }
  if (!in.ok || in.pos != body.size()) return;
  slots_ = std::move(slots);
}

bool RefsIndex::racy(const FileIdentity& id, std::int64_t build_ns) const {
  // Every change of a file (write, truncate, rename, utimensat) sets its
  // ctime to the (coarse) time of the change, so the ctime dates the last
  // change, even when an mtime was set into the future or the past. A change
  // after the build started may carry a timestamp up to a tick older than the
  // clock read then: anything near the build time is suspect. A ctime of
  // whole seconds means a second-grained file system (ext3, ext4 with small
  // inodes): then the margin grows by a second.
  const bool coarse = id.ctime_ns % 1'000'000'000 == 0;
  return id.ctime_ns >= build_ns - kRacyMarginNs - (coarse ? 1'000'000'000 : 0);
}

std::string_view RefsIndex::name_of(const Slot& slot) const {
  return std::string_view(loaded_.get() + slot.begin + 4, slot.id - slot.begin - 4);
}

bool RefsIndex::take(std::string_view name, const FileIdentity& id, std::vector<ArtifactRef>& refs,
                     std::string* skipped_why) {
  // The folder is most likely read in the order the index was written in:
  // try the entry after the last one found before hashing names.
  std::size_t at = next_;
  if (at >= slots_.size() || name_of(slots_[at]) != name) {
    if (by_name_.empty()) {
      by_name_.reserve(slots_.size());
      for (std::size_t k = 0; k < slots_.size(); ++k) by_name_.emplace(name_of(slots_[k]), k);
    }
    const auto it = by_name_.find(name);
    if (it == by_name_.end()) return false;
    at = it->second;
  }
  next_ = at + 1;
  const Slot& slot = slots_[at];
  if (load_identity(loaded_.get() + slot.id) != id || racy(id, loaded_build_ns_)) return false;
  Cursor in{std::string_view(loaded_.get(), slot.end), slot.id + kIdentitySize};
  const char kind = *in.take(1);
  if (kind == 'r') {
    ArtifactRef& ref = refs.emplace_back();
    ref.size_bytes = static_cast<std::int64_t>(in.u64());
    ref.handle.assign(in.string());
    ref.media_type.assign(in.string());
    ref.label.assign(in.string());
    ref.content_hash.assign(in.string());
  } else {
    const std::string_view why = in.string();
    CW_LOG_DEBUG(kLogger, "json_file_artifacts.list_refs: skip " + std::string(name) + " (" + std::string(why) + ")");
    if (skipped_why != nullptr) skipped_why->assign(why);
  }
  pieces_.push_back(Piece{false, slot.begin, slot.end});
  ++hits_;
  return true;
}

bool RefsIndex::learn_header(std::string_view name, const FileIdentity& id, char kind) {
  if (dir_ino_ == 0 || racy(id, now_ns_) || name.size() > 0xFFFF) return false;
  pieces_.push_back(Piece{true, static_cast<std::uint32_t>(learnt_bytes_.size()), 0});
  put_string(learnt_bytes_, name);
  put_identity(learnt_bytes_, id);
  learnt_bytes_.push_back(kind);
  return true;
}

void RefsIndex::learnt_entry() {
  pieces_.back().end = static_cast<std::uint32_t>(learnt_bytes_.size());
  ++learnt_;
}

void RefsIndex::learn_ref(std::string_view name, const FileIdentity& id, const ArtifactRef& ref) {
  if (!learn_header(name, id, 'r')) return;
  put_u64(learnt_bytes_, static_cast<std::uint64_t>(ref.size_bytes));
  put_string(learnt_bytes_, ref.handle);
  put_string(learnt_bytes_, ref.media_type);
  put_string(learnt_bytes_, ref.label);
  put_string(learnt_bytes_, ref.content_hash);
  learnt_entry();
}

void RefsIndex::learn_skip(std::string_view name, const FileIdentity& id, std::string_view reason) {
  if (!learn_header(name, id, 's')) return;
  put_string(learnt_bytes_, reason);
  learnt_entry();
}

void RefsIndex::save(int dir_fd) const {
  if (learnt_ == 0 || dir_ino_ == 0) return;  // nothing new (a rewrite would only move the build time)
  std::string out;
  std::size_t size = kHeaderSize + kChecksumSize;
  for (const Piece& p : pieces_) size += p.end - p.begin;
  if (size > kMaxIndexSize) return;  // would never be read
  out.reserve(size);
  out.append(kMagic);
  put_u32(out, kVersion);
  put_u32(out, static_cast<std::uint32_t>(pieces_.size()));
  put_u64(out, dir_dev_);
  put_u64(out, dir_ino_);
  put_u64(out, static_cast<std::uint64_t>(now_ns_));
  for (const Piece& p : pieces_) {
    const char* from = p.learnt ? learnt_bytes_.data() : loaded_.get();
    out.append(from + p.begin, p.end - p.begin);
  }
  put_u64(out, checksum(out));
  const char* step = nullptr;
  if (const int err = write_index(dir_fd, out, step)) {
    CW_LOG_DEBUG(kLogger, std::string("json_file_artifacts.list_refs: index not saved (") + step + ": " +
                              posix::errno_text(err) + ")");
  }
}

void sort_by_handle(std::vector<ArtifactRef>& refs) {
  std::vector<std::uint32_t> order(refs.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return refs[a].handle < refs[b].handle; });
  std::vector<ArtifactRef> sorted;
  sorted.reserve(refs.size());
  for (const std::uint32_t k : order) sorted.push_back(std::move(refs[k]));
  refs = std::move(sorted);
}

}  // namespace contextweaver::json_file_detail
