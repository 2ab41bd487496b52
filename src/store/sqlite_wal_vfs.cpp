#include "sqlite_wal_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace contextweaver::store_detail {
namespace {

constexpr const char* kVfsName = "contextweaver-walbatch";
// A WAL frame header (walWriteOneFrame writes it, then the page, separately).
constexpr int kFrameHeaderSize = 24;
// Pending frames of a large commit (append_many) are written once this much
// is gathered, and every write is at most this long: the unix VFS silently
// limits one write to 17 bits (128 KiB - 1) and reports the rest as a full disk.
constexpr std::size_t kMaxPending = 1 << 16;

sqlite3_vfs* g_root = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;

// Our part of an open file; SQLite's own file object follows it in memory.
// SQLite allocates the pair with 8-byte alignment only, so nothing here may
// ask for more, and the size keeps the file object after it 8-byte aligned.
struct ShimFile {
  sqlite3_file base;
  ShimFile* wal;   // on a database file: its open WAL (or null)
  ShimFile* main;  // on a WAL file: its database file (or null)
  bool is_wal;
  bool commit_next;            // the last write was the header of a commit frame
  bool write_locked;           // on a database file: this connection holds the WAL write lock
  std::vector<char>* pending;  // WAL only: contiguous bytes not yet written
  sqlite3_int64 pending_offset;
  int sticky_rc;        // a failed write that SQLite could not be told about yet
  volatile void* shm0;  // on a database file: shared-memory region 0 (the WAL-index header)
};
static_assert(alignof(ShimFile) <= 8 && sizeof(ShimFile) % 8 == 0);

sqlite3_file* real(sqlite3_file* f) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(ShimFile));
}
ShimFile* shim(sqlite3_file* f) {
  return reinterpret_cast<ShimFile*>(f);
}

// Writes the WAL's pending bytes (one pwrite); returns SQLite's result.
int flush(ShimFile* f) {
  int rc = f->sticky_rc;
  f->sticky_rc = SQLITE_OK;
  if (f->pending == nullptr || f->pending->empty()) return rc;
  sqlite3_file* r = real(&f->base);
  int wrc = SQLITE_OK;
  for (std::size_t done = 0; done < f->pending->size() && wrc == SQLITE_OK;) {
    const std::size_t piece = std::min(f->pending->size() - done, kMaxPending);
    wrc = r->pMethods->xWrite(r, f->pending->data() + done, static_cast<int>(piece),
                              f->pending_offset + static_cast<sqlite3_int64>(done));
    done += piece;
  }
  f->pending->clear();
  f->commit_next = false;
  return rc != SQLITE_OK ? rc : wrc;
}

// Before the database's shared memory publishes frames (or a lock changes):
// the frames must be in the WAL file. Normally nothing is pending here (the
// commit frame's write flushed); an error is kept for the next WAL call.
void flush_wal_of(sqlite3_file* db) {
  ShimFile* f = shim(db);
  if (f->wal == nullptr || f->wal->pending == nullptr || f->wal->pending->empty()) return;
  const int rc = flush(f->wal);
  if (rc != SQLITE_OK) f->wal->sticky_rc = rc;
}

std::uint32_t be32(const void* p) {
  const auto* b = static_cast<const unsigned char*>(p);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

int x_close(sqlite3_file* file) {
  ShimFile* f = shim(file);
  int rc = flush(f);
  if (f->is_wal) {
    if (f->main != nullptr && f->main->wal == f) f->main->wal = nullptr;
  } else if (f->wal != nullptr) {
    f->wal->main = nullptr;
  }
  delete f->pending;
  f->pending = nullptr;
  sqlite3_file* r = real(file);
  const int crc = r->pMethods->xClose(r);
  return rc != SQLITE_OK ? rc : crc;
}

int x_read(sqlite3_file* file, void* buf, int amount, sqlite3_int64 offset) {
  if (const int rc = flush(shim(file)); rc != SQLITE_OK) return rc;
  sqlite3_file* r = real(file);
  return r->pMethods->xRead(r, buf, amount, offset);
}

int x_write(sqlite3_file* file, const void* buf, int amount, sqlite3_int64 offset) {
  ShimFile* f = shim(file);
  sqlite3_file* r = real(file);
  if (!f->is_wal) return r->pMethods->xWrite(r, buf, amount, offset);
  std::vector<char>& pending = *f->pending;
  if (!pending.empty() && offset != f->pending_offset + static_cast<sqlite3_int64>(pending.size())) {
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (pending.empty()) f->pending_offset = offset;
  try {
    const auto* bytes = static_cast<const char*>(buf);
    pending.insert(pending.end(), bytes, bytes + amount);
  } catch (const std::bad_alloc&) {
    const int rc = flush(f);
    if (rc != SQLITE_OK) return rc;
    return r->pMethods->xWrite(r, buf, amount, offset);
  }
  bool write_now = pending.size() >= kMaxPending;
  if (amount == kFrameHeaderSize) {
    // Bytes 4..7 of a frame header: the database size after a commit, 0 otherwise.
    f->commit_next = be32(static_cast<const char*>(buf) + 4) != 0;
  } else {
    write_now = write_now || f->commit_next;
    f->commit_next = false;
  }
  return write_now ? flush(f) : SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = flush(shim(file)); rc != SQLITE_OK) return rc;
  sqlite3_file* r = real(file);
  return r->pMethods->xTruncate(r, size);
}

// After a failed sync of the WAL by the connection that holds the write lock
// (a commit at synchronous=FULL): the commit is reported as failed and rolled
// back, but its frames are in the file, and a process that recovers the WAL
// after a crash would find them valid and resurrect the transaction. Zeroing
// the header of the first frame that the WAL-index does not publish ends any
// recovery there. Only this connection can have written frames past the
// published ones while it holds the write lock; best effort (docs/reliability.md).
void forget_unpublished_frames(ShimFile* f) {
  ShimFile* db = f->main;
  if (db == nullptr || !db->write_locked || db->shm0 == nullptr) return;
  // The WAL-index header (first copy): szPage (u16) at 14, mxFrame (u32) at 16.
  const auto* bytes = const_cast<const unsigned char*>(static_cast<const volatile unsigned char*>(db->shm0));
  const std::uint16_t page_field =
      __atomic_load_n(reinterpret_cast<const std::uint16_t*>(bytes + 14), __ATOMIC_ACQUIRE);
  const std::uint32_t max_frame = __atomic_load_n(reinterpret_cast<const std::uint32_t*>(bytes + 16), __ATOMIC_ACQUIRE);
  // A WAL that has published no frame yet (szPage still 0) starts its frames at 32.
  const sqlite3_int64 page = page_field == 1 ? 65536 : page_field;
  if (page == 0 && max_frame != 0) return;
  const sqlite3_int64 offset = 32 + static_cast<sqlite3_int64>(max_frame) * (kFrameHeaderSize + page);
  sqlite3_file* r = real(&f->base);
  sqlite3_int64 size = 0;
  if (r->pMethods->xFileSize(r, &size) != SQLITE_OK || size <= offset) return;
  const char zeros[kFrameHeaderSize] = {};
  r->pMethods->xWrite(r, zeros, kFrameHeaderSize, offset);
}

int x_sync(sqlite3_file* file, int flags) {
  if (const int rc = flush(shim(file)); rc != SQLITE_OK) return rc;
  sqlite3_file* r = real(file);
  const int rc = r->pMethods->xSync(r, flags);
  if (rc != SQLITE_OK && shim(file)->is_wal) forget_unpublished_frames(shim(file));
  return rc;
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = flush(shim(file)); rc != SQLITE_OK) return rc;
  sqlite3_file* r = real(file);
  return r->pMethods->xFileSize(r, size);
}

int x_lock(sqlite3_file* file, int level) {
  sqlite3_file* r = real(file);
  return r->pMethods->xLock(r, level);
}

int x_unlock(sqlite3_file* file, int level) {
  sqlite3_file* r = real(file);
  return r->pMethods->xUnlock(r, level);
}

int x_check_reserved_lock(sqlite3_file* file, int* out) {
  sqlite3_file* r = real(file);
  return r->pMethods->xCheckReservedLock(r, out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  if (const int rc = flush(shim(file)); rc != SQLITE_OK) return rc;
  sqlite3_file* r = real(file);
  return r->pMethods->xFileControl(r, op, arg);
}

int x_sector_size(sqlite3_file* file) {
  sqlite3_file* r = real(file);
  return r->pMethods->xSectorSize(r);
}

int x_device_characteristics(sqlite3_file* file) {
  sqlite3_file* r = real(file);
  return r->pMethods->xDeviceCharacteristics(r);
}

int x_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  sqlite3_file* r = real(file);
  const int rc = r->pMethods->xShmMap(r, region, size, extend, out);
  if (rc == SQLITE_OK && region == 0 && *out != nullptr) shim(file)->shm0 = *out;
  return rc;
}

int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  flush_wal_of(file);
  sqlite3_file* r = real(file);
  const int rc = r->pMethods->xShmLock(r, offset, n, flags);
  // Slot 0 is the WAL write lock (taken exclusively by the one writer).
  if (rc == SQLITE_OK && offset == 0) {
    if ((flags & SQLITE_SHM_UNLOCK) != 0) {
      shim(file)->write_locked = false;
    } else if ((flags & SQLITE_SHM_EXCLUSIVE) != 0) {
      shim(file)->write_locked = true;
    }
  }
  return rc;
}

void x_shm_barrier(sqlite3_file* file) {
  flush_wal_of(file);
  sqlite3_file* r = real(file);
  r->pMethods->xShmBarrier(r);
}

int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  flush_wal_of(file);
  shim(file)->shm0 = nullptr;
  sqlite3_file* r = real(file);
  return r->pMethods->xShmUnmap(r, delete_flag);
}

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  if (const int rc = flush(shim(file)); rc != SQLITE_OK) return rc;
  sqlite3_file* r = real(file);
  return r->pMethods->xFetch(r, offset, amount, out);
}

int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  sqlite3_file* r = real(file);
  return r->pMethods->xUnfetch(r, offset, p);
}

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  ShimFile* f = shim(file);
  f->wal = nullptr;
  f->main = nullptr;
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->commit_next = false;
  f->write_locked = false;
  f->pending = nullptr;
  f->pending_offset = 0;
  f->sticky_rc = SQLITE_OK;
  f->shm0 = nullptr;
  sqlite3_file* r = real(file);
  const int rc = g_root->xOpen(g_root, name, r, flags, out_flags);
  // SQLite calls xClose only when pMethods is set; mirror the real file.
  file->pMethods = r->pMethods != nullptr ? &g_methods : nullptr;
  if (rc != SQLITE_OK || r->pMethods == nullptr) return rc;
  if (f->is_wal) {
    f->pending = new (std::nothrow) std::vector<char>();
    if (f->pending == nullptr) {
      f->is_wal = false;  // unbuffered: still correct
    } else if (sqlite3_file* db = sqlite3_database_file_object(name); db != nullptr && db->pMethods == &g_methods) {
      f->main = shim(db);
      f->main->wal = f;
    }
  }
  return rc;
}

// The remaining VFS methods are the root's, called with the root VFS.
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_root->xDelete(g_root, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_root->xAccess(g_root, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_root->xFullPathname(g_root, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) {
  return g_root->xDlOpen(g_root, name);
}
void x_dl_error(sqlite3_vfs*, int n, char* out) {
  g_root->xDlError(g_root, n, out);
}
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return g_root->xDlSym(g_root, h, sym);
}
void x_dl_close(sqlite3_vfs*, void* h) {
  g_root->xDlClose(g_root, h);
}
int x_randomness(sqlite3_vfs*, int n, char* out) {
  return g_root->xRandomness(g_root, n, out);
}
int x_sleep(sqlite3_vfs*, int us) {
  return g_root->xSleep(g_root, us);
}
int x_current_time(sqlite3_vfs*, double* out) {
  return g_root->xCurrentTime(g_root, out);
}
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
  return g_root->xGetLastError(g_root, n, out);
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_root->xCurrentTimeInt64(g_root, out);
}

void register_vfs() {
  // Before SQLite initialises: no global statistics (a mutex and counters
  // on every allocation). Refused harmlessly if SQLite is already running.
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  // A multi-row INSERT (append_many) keeps a statement journal (the pages it
  // changes, to undo just that statement on a constraint error); by default
  // one over 64 KiB is moved to a temporary file, which cost a write per page.
  // Kept in memory up to 4 MiB.
  sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20);
  g_root = sqlite3_vfs_find(nullptr);
  if (g_root == nullptr || g_root->iVersion < 2) {
    g_root = nullptr;
    return;
  }
  g_methods = sqlite3_io_methods{};
  g_methods.iVersion = 3;
  g_methods.xClose = x_close;
  g_methods.xRead = x_read;
  g_methods.xWrite = x_write;
  g_methods.xTruncate = x_truncate;
  g_methods.xSync = x_sync;
  g_methods.xFileSize = x_file_size;
  g_methods.xLock = x_lock;
  g_methods.xUnlock = x_unlock;
  g_methods.xCheckReservedLock = x_check_reserved_lock;
  g_methods.xFileControl = x_file_control;
  g_methods.xSectorSize = x_sector_size;
  g_methods.xDeviceCharacteristics = x_device_characteristics;
  g_methods.xShmMap = x_shm_map;
  g_methods.xShmLock = x_shm_lock;
  g_methods.xShmBarrier = x_shm_barrier;
  g_methods.xShmUnmap = x_shm_unmap;
  g_methods.xFetch = x_fetch;
  g_methods.xUnfetch = x_unfetch;

  g_vfs = sqlite3_vfs{};
  g_vfs.iVersion = 2;
  g_vfs.szOsFile = static_cast<int>(sizeof(ShimFile)) + g_root->szOsFile;
  g_vfs.mxPathname = g_root->mxPathname;
  g_vfs.zName = kVfsName;
  g_vfs.xOpen = x_open;
  g_vfs.xDelete = x_delete;
  g_vfs.xAccess = x_access;
  g_vfs.xFullPathname = x_full_pathname;
  g_vfs.xDlOpen = x_dl_open;
  g_vfs.xDlError = x_dl_error;
  g_vfs.xDlSym = x_dl_sym;
  g_vfs.xDlClose = x_dl_close;
  g_vfs.xRandomness = x_randomness;
  g_vfs.xSleep = x_sleep;
  g_vfs.xCurrentTime = x_current_time;
  g_vfs.xGetLastError = x_get_last_error;
  g_vfs.xCurrentTimeInt64 = x_current_time_int64;
  if (sqlite3_vfs_register(&g_vfs, 0) != SQLITE_OK) g_root = nullptr;
}

}  // namespace

std::optional<WalStamp> wal_stamp(sqlite3* db) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || file == nullptr ||
      file->pMethods != &g_methods) {
    return std::nullopt;
  }
  const volatile void* shm = shim(file)->shm0;
  if (shm == nullptr) return std::nullopt;
  // Word by word with atomic loads: other connections of this process write
  // the header concurrently (SQLite's own readers copy it the same way and
  // compare the two copies; here a torn copy only compares unequal).
  auto* words = const_cast<std::uint32_t*>(static_cast<const volatile std::uint32_t*>(shm));
  WalStamp stamp;
  for (std::size_t i = 0; i < stamp.size(); ++i) stamp[i] = __atomic_load_n(words + i, __ATOMIC_ACQUIRE);
  return stamp;
}

const char* wal_coalescing_vfs_name() {
  static std::once_flag once;
  std::call_once(once, register_vfs);
  return g_root != nullptr ? kVfsName : nullptr;
}

}  // namespace contextweaver::store_detail
