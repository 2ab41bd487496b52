// Fault injection by libc interposition, for the store fault sweeps
// (docs/reliability.md, "Fault injection").
//
// fault_injection.cpp defines write, pwrite, fsync, rename, ftruncate, open…
// with C linkage: linked into a test executable they take precedence over
// libc's for every library of the process (libsqlite3 included: its unix VFS
// calls libc through function pointers resolved at load time), and built as
// libcw_faults.so they do the same for a child process run with LD_PRELOAD.
// Each call on a file below the watched folder is counted per operation; the
// armed operation's n-th call fails with the chosen errno, or (kShort) writes
// half of its bytes and the next write call of the process fails instead.
// Nothing outside the watched folder is counted or failed.
#pragma once

extern "C" {

// The operations, as counted (the libc functions each one covers).
enum CwFaultOp {
  CW_FAULT_WRITE = 0,  // write, writev
  CW_FAULT_PWRITE,     // pwrite, pwrite64, pwritev
  CW_FAULT_FSYNC,      // fsync
  CW_FAULT_FDATASYNC,  // fdatasync
  CW_FAULT_RENAME,     // rename, renameat, renameat2
  CW_FAULT_LINK,       // link, linkat (how an unnamed temp file gets its name)
  CW_FAULT_FTRUNCATE,  // ftruncate, ftruncate64
  CW_FAULT_OPEN,       // open, open64, openat, openat64, creat: for writing only
  CW_FAULT_OP_COUNT
};

enum CwFaultMode {
  CW_FAULT_ERROR = 0,  // the call fails with the errno, changing nothing
  CW_FAULT_SHORT = 1,  // a write writes half its bytes; the next write fails
};

// Watches the folder `dir` (made canonical; nullptr or "" stops all counting)
// and resets the counts. The library reads CW_FAULT_DIR, CW_FAULT_OP (a name
// below), CW_FAULT_N, CW_FAULT_ERRNO (ENOSPC, EIO or a number), CW_FAULT_MODE
// (error|short) and CW_FAULT_COUNTS (a file that gets "name count" lines at
// exit) from the environment when it is loaded.
void cw_faults_watch(const char* dir);
// Makes the n-th call of `op` (counted from now; 1-based) fail; n <= 0 disarms.
void cw_faults_arm(int op, long n, int err, int mode);
void cw_faults_disarm(void);
// Calls of `op` on watched files since the last watch/arm/reset.
long cw_faults_count(int op);
void cw_faults_reset_counts(void);
// With `skip` set, fsync and fdatasync (of any file) return success at once
// without syncing (the sweeps simulate no power loss; real syncs only
// make them slow). CW_FAULT_NOSYNC=1 sets it in the library.
void cw_faults_skip_syncs(int skip);
// Whether the armed fault has been injected.
int cw_faults_fired(void);
// The name of an operation ("write", "pwrite", …) for messages and CW_FAULT_OP.
const char* cw_faults_op_name(int op);
}
