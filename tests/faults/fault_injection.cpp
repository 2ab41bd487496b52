// The libc interposer of fault_injection.hpp. No libc header that declares
// the interposed functions is included: with _FILE_OFFSET_BITS=64 or
// _FORTIFY_SOURCE they are macros or renamed declarations, and the
// definitions here must be exactly the plain C symbols.
#include "fault_injection.hpp"

#include <bits/types/struct_iovec.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <atomic>

extern "C" {
// Declared here, not from <unistd.h> (see above); not interposed.
ssize_t readlink(const char* path, char* buf, size_t size) noexcept;
char* getcwd(char* buf, size_t size) noexcept;
}

namespace {

// Linux's values (asm-generic/fcntl.h; the same on x86-64 and arm64).
constexpr int kWriteOnly = 01;
constexpr int kReadWrite = 02;
constexpr int kCreate = 0100;
constexpr int kTruncate = 01000;
constexpr int kTmpFile = 020000000;
constexpr int kAtFdCwd = -100;

constexpr const char* kOpNames[CW_FAULT_OP_COUNT] = {"write",  "pwrite", "fsync",     "fdatasync",
                                                     "rename", "link",   "ftruncate", "open"};

char g_dir[4096];  // canonical watched folder, no trailing slash; empty: none
std::atomic<std::size_t> g_dir_len{0};
std::atomic<long> g_counts[CW_FAULT_OP_COUNT];
std::atomic<int> g_armed_op{-1};
std::atomic<long> g_armed_n{0};
std::atomic<int> g_err{0};
std::atomic<int> g_mode{CW_FAULT_ERROR};
std::atomic<int> g_fired{0};
std::atomic<int> g_short_pending{0};
std::atomic<int> g_skip_syncs{0};  // a short write happened: the next write fails
char g_counts_file[4096];

template <typename F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

bool under_dir(const char* path, std::size_t len) {
  const std::size_t dl = g_dir_len.load(std::memory_order_acquire);
  if (dl == 0 || len < dl || memcmp(path, g_dir, dl) != 0) return false;
  return len == dl || path[dl] == '/';
}

// The path `fd` was opened with ("(deleted)" suffixes included).
std::size_t fd_path(int fd, char* out, std::size_t size) {
  char link[64] = "/proc/self/fd/";
  // Small unsigned to text, without stdio.
  char digits[16];
  int n = 0;
  unsigned v = static_cast<unsigned>(fd);
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 15);
  std::size_t pos = strlen(link);
  while (n > 0) link[pos++] = digits[--n];
  link[pos] = '\0';
  const ssize_t got = readlink(link, out, size - 1);
  if (got <= 0) return 0;
  out[got] = '\0';
  return static_cast<std::size_t>(got);
}

bool watched_fd(int fd) {
  if (g_dir_len.load(std::memory_order_acquire) == 0 || fd < 0) return false;
  char path[4096];
  const std::size_t len = fd_path(fd, path, sizeof path);
  return len != 0 && under_dir(path, len);
}

// `path` relative to `dir_fd` (or the working folder), made absolute.
bool watched_at(int dir_fd, const char* path) {
  if (g_dir_len.load(std::memory_order_acquire) == 0 || path == nullptr) return false;
  char full[8192];
  std::size_t len = 0;
  if (path[0] != '/') {
    if (dir_fd == kAtFdCwd) {
      if (getcwd(full, 4096) == nullptr) return false;
      len = strlen(full);
    } else {
      len = fd_path(dir_fd, full, 4096);
      if (len == 0) return false;
    }
    if (path[0] != '\0') full[len++] = '/';
  }
  const std::size_t plen = strlen(path);
  if (len + plen >= sizeof full) return false;
  memcpy(full + len, path, plen + 1);
  return under_dir(full, len + plen);
}

// Counts a call of `op` on a watched file; returns the errno to fail it with
// (0: run it), and sets `short_write` when it is the armed short write.
int decide(int op, bool* short_write = nullptr) {
  const long n = g_counts[op].fetch_add(1) + 1;
  const bool is_write = op == CW_FAULT_WRITE || op == CW_FAULT_PWRITE;
  if (is_write && g_short_pending.exchange(0) != 0) return g_err.load();
  if (g_armed_op.load() != op || g_armed_n.load() != n) return 0;
  g_fired.store(1);
  if (is_write && short_write != nullptr && g_mode.load() == CW_FAULT_SHORT) {
    *short_write = true;
    g_short_pending.store(1);
    return 0;
  }
  return g_err.load();
}

long env_long(const char* name, long fallback) {
  const char* v = getenv(name);
  return v != nullptr && *v != '\0' ? strtol(v, nullptr, 10) : fallback;
}

void write_counts();

__attribute__((constructor)) void configure_from_environment() {
  const char* dir = getenv("CW_FAULT_DIR");
  if (dir == nullptr || *dir == '\0') return;
  cw_faults_watch(dir);
  if (const char* file = getenv("CW_FAULT_COUNTS"); file != nullptr && strlen(file) < sizeof g_counts_file) {
    strcpy(g_counts_file, file);
  }
  if (const char* nosync = getenv("CW_FAULT_NOSYNC"); nosync != nullptr && strcmp(nosync, "1") == 0) {
    g_skip_syncs.store(1);
  }
  const char* op_name = getenv("CW_FAULT_OP");
  if (op_name == nullptr) return;
  int op = -1;
  for (int i = 0; i < CW_FAULT_OP_COUNT; ++i) {
    if (strcmp(op_name, kOpNames[i]) == 0) op = i;
  }
  const char* err_text = getenv("CW_FAULT_ERRNO");
  int err = EIO;
  if (err_text != nullptr && strcmp(err_text, "ENOSPC") == 0)
    err = ENOSPC;
  else if (err_text != nullptr && strcmp(err_text, "EIO") != 0 && *err_text != '\0')
    err = atoi(err_text);
  const char* mode = getenv("CW_FAULT_MODE");
  const int m = mode != nullptr && strcmp(mode, "short") == 0 ? CW_FAULT_SHORT : CW_FAULT_ERROR;
  if (op >= 0) cw_faults_arm(op, env_long("CW_FAULT_N", 0), err, m);
}

__attribute__((destructor)) void at_exit() {
  write_counts();
}

// A pwrite of `count` bytes on `fd`: the errno to fail it with, or 0 (then
// `count` may have been halved for the armed short write).
int pwrite_fault(int fd, size_t& count) {
  if (!watched_fd(fd)) return 0;
  bool short_write = false;
  const int err = decide(CW_FAULT_PWRITE, &short_write);
  if (err == 0 && short_write && count > 1) count /= 2;
  return err;
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t count) {
  static auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
  if (watched_fd(fd)) {
    bool short_write = false;
    if (const int err = decide(CW_FAULT_WRITE, &short_write); err != 0) {
      errno = err;
      return -1;
    }
    if (short_write && count > 1) count /= 2;
  }
  return real(fd, buf, count);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  static auto real = next<ssize_t (*)(int, const struct iovec*, int)>("writev");
  if (watched_fd(fd)) {
    if (const int err = decide(CW_FAULT_WRITE); err != 0) {
      errno = err;
      return -1;
    }
  }
  return real(fd, iov, iovcnt);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  static auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  if (const int err = pwrite_fault(fd, count); err != 0) {
    errno = err;
    return -1;
  }
  return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
  static auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
  if (const int err = pwrite_fault(fd, count); err != 0) {
    errno = err;
    return -1;
  }
  return real(fd, buf, count, offset);
}

ssize_t pwritev(int fd, const struct iovec* iov, int iovcnt, off_t offset) {
  static auto real = next<ssize_t (*)(int, const struct iovec*, int, off_t)>("pwritev");
  if (watched_fd(fd)) {
    if (const int err = decide(CW_FAULT_PWRITE); err != 0) {
      errno = err;
      return -1;
    }
  }
  return real(fd, iov, iovcnt, offset);
}

int fsync(int fd) {
  static auto real = next<int (*)(int)>("fsync");
  if (watched_fd(fd)) {
    if (const int err = decide(CW_FAULT_FSYNC); err != 0) {
      errno = err;
      return -1;
    }
  }
  if (g_skip_syncs.load() != 0) return 0;
  return real(fd);
}

int fdatasync(int fd) {
  static auto real = next<int (*)(int)>("fdatasync");
  if (watched_fd(fd)) {
    if (const int err = decide(CW_FAULT_FDATASYNC); err != 0) {
      errno = err;
      return -1;
    }
  }
  if (g_skip_syncs.load() != 0) return 0;
  return real(fd);
}

namespace {
int rename_fault(int old_dir, const char* old_path, int new_dir, const char* new_path) {
  if (!watched_at(old_dir, old_path) && !watched_at(new_dir, new_path)) return 0;
  return decide(CW_FAULT_RENAME);
}
}  // namespace

int rename(const char* old_path, const char* new_path) noexcept {
  static auto real = next<int (*)(const char*, const char*)>("rename");
  if (const int err = rename_fault(kAtFdCwd, old_path, kAtFdCwd, new_path); err != 0) {
    errno = err;
    return -1;
  }
  return real(old_path, new_path);
}

int renameat(int old_dir, const char* old_path, int new_dir, const char* new_path) noexcept {
  static auto real = next<int (*)(int, const char*, int, const char*)>("renameat");
  if (const int err = rename_fault(old_dir, old_path, new_dir, new_path); err != 0) {
    errno = err;
    return -1;
  }
  return real(old_dir, old_path, new_dir, new_path);
}

int renameat2(int old_dir, const char* old_path, int new_dir, const char* new_path, unsigned flags) noexcept {
  static auto real = next<int (*)(int, const char*, int, const char*, unsigned)>("renameat2");
  if (const int err = rename_fault(old_dir, old_path, new_dir, new_path); err != 0) {
    errno = err;
    return -1;
  }
  return real(old_dir, old_path, new_dir, new_path, flags);
}

int link(const char* old_path, const char* new_path) noexcept {
  static auto real = next<int (*)(const char*, const char*)>("link");
  if (watched_at(kAtFdCwd, new_path)) {
    if (const int err = decide(CW_FAULT_LINK); err != 0) {
      errno = err;
      return -1;
    }
  }
  return real(old_path, new_path);
}

int linkat(int old_dir, const char* old_path, int new_dir, const char* new_path, int flags) noexcept {
  static auto real = next<int (*)(int, const char*, int, const char*, int)>("linkat");
  if (watched_at(new_dir, new_path)) {
    if (const int err = decide(CW_FAULT_LINK); err != 0) {
      errno = err;
      return -1;
    }
  }
  return real(old_dir, old_path, new_dir, new_path, flags);
}

int ftruncate(int fd, off_t length) noexcept {
  static auto real = next<int (*)(int, off_t)>("ftruncate");
  if (watched_fd(fd)) {
    if (const int err = decide(CW_FAULT_FTRUNCATE); err != 0) {
      errno = err;
      return -1;
    }
  }
  return real(fd, length);
}

int ftruncate64(int fd, off64_t length) noexcept {
  static auto real = next<int (*)(int, off64_t)>("ftruncate64");
  if (watched_fd(fd)) {
    if (const int err = decide(CW_FAULT_FTRUNCATE); err != 0) {
      errno = err;
      return -1;
    }
  }
  return real(fd, length);
}

namespace {
bool for_writing(int flags) {
  return (flags & (kWriteOnly | kReadWrite | kCreate | kTruncate)) != 0 || (flags & kTmpFile) == kTmpFile;
}

int open_fault(int dir_fd, const char* path, int flags) {
  if (!for_writing(flags) || !watched_at(dir_fd, path)) return 0;
  return decide(CW_FAULT_OPEN);
}

mode_t mode_arg(int flags, va_list ap) {
  return (flags & kCreate) != 0 || (flags & kTmpFile) == kTmpFile ? static_cast<mode_t>(va_arg(ap, int)) : 0;
}
}  // namespace

int open(const char* path, int flags, ...) {
  static auto real = next<int (*)(const char*, int, ...)>("open");
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (const int err = open_fault(kAtFdCwd, path, flags); err != 0) {
    errno = err;
    return -1;
  }
  return real(path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  static auto real = next<int (*)(const char*, int, ...)>("open64");
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (const int err = open_fault(kAtFdCwd, path, flags); err != 0) {
    errno = err;
    return -1;
  }
  return real(path, flags, mode);
}

int openat(int dir_fd, const char* path, int flags, ...) {
  static auto real = next<int (*)(int, const char*, int, ...)>("openat");
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (const int err = open_fault(dir_fd, path, flags); err != 0) {
    errno = err;
    return -1;
  }
  return real(dir_fd, path, flags, mode);
}

int openat64(int dir_fd, const char* path, int flags, ...) {
  static auto real = next<int (*)(int, const char*, int, ...)>("openat64");
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (const int err = open_fault(dir_fd, path, flags); err != 0) {
    errno = err;
    return -1;
  }
  return real(dir_fd, path, flags, mode);
}

int creat(const char* path, mode_t mode) {
  return open(path, kWriteOnly | kCreate | kTruncate, mode);
}

int creat64(const char* path, mode_t mode) {
  return open64(path, kWriteOnly | kCreate | kTruncate, mode);
}

// ---------------------------------------------------------------------------
// Control

void cw_faults_watch(const char* dir) {
  g_dir_len.store(0, std::memory_order_release);
  cw_faults_disarm();
  cw_faults_reset_counts();
  if (dir == nullptr || *dir == '\0') return;
  char resolved[4096];
  const char* canonical = realpath(dir, resolved) != nullptr ? resolved : dir;
  std::size_t len = strlen(canonical);
  while (len > 1 && canonical[len - 1] == '/') --len;
  if (len >= sizeof g_dir) return;
  memcpy(g_dir, canonical, len);
  g_dir[len] = '\0';
  g_dir_len.store(len, std::memory_order_release);
}

void cw_faults_arm(int op, long n, int err, int mode) {
  cw_faults_disarm();
  cw_faults_reset_counts();
  if (op < 0 || op >= CW_FAULT_OP_COUNT || n <= 0) return;
  g_err.store(err);
  g_mode.store(mode);
  g_armed_n.store(n);
  g_armed_op.store(op);
}

void cw_faults_disarm(void) {
  g_armed_op.store(-1);
  g_armed_n.store(0);
  g_fired.store(0);
  g_short_pending.store(0);
}

long cw_faults_count(int op) {
  return op >= 0 && op < CW_FAULT_OP_COUNT ? g_counts[op].load() : 0;
}

void cw_faults_reset_counts(void) {
  for (auto& c : g_counts) c.store(0);
}

void cw_faults_skip_syncs(int skip) {
  g_skip_syncs.store(skip);
}

int cw_faults_fired(void) {
  return g_fired.load();
}

const char* cw_faults_op_name(int op) {
  return op >= 0 && op < CW_FAULT_OP_COUNT ? kOpNames[op] : "?";
}

}  // extern "C"

namespace {

// "name count" lines into CW_FAULT_COUNTS (libc's own write: nothing counted).
void write_counts() {
  if (g_counts_file[0] == '\0') return;
  static auto real_open = next<int (*)(const char*, int, ...)>("open");
  static auto real_write = next<ssize_t (*)(int, const void*, size_t)>("write");
  static auto real_close = next<int (*)(int)>("close");
  const int fd = real_open(g_counts_file, kWriteOnly | kCreate | kTruncate, 0644);
  if (fd < 0) return;
  char text[1024];
  std::size_t pos = 0;
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) {
    const std::size_t nl = strlen(kOpNames[op]);
    memcpy(text + pos, kOpNames[op], nl);
    pos += nl;
    text[pos++] = ' ';
    char digits[24];
    int n = 0;
    unsigned long v = static_cast<unsigned long>(g_counts[op].load());
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) text[pos++] = digits[--n];
    text[pos++] = '\n';
  }
  text[pos++] = g_fired.load() != 0 ? 'F' : '-';
  text[pos++] = '\n';
  (void)!real_write(fd, text, pos);
  real_close(fd);
}

}  // namespace
