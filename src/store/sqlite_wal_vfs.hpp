// A SQLite VFS that writes each WAL commit with one system call.
#pragma once

namespace contextweaver::store_detail {

// The name of a VFS layered on SQLite's default ("unix") that is identical
// except for writes to WAL files: SQLite writes every frame as two pwrite()
// calls (its 24-byte header, then the page), and a commit of k pages as 2k
// calls; this VFS gathers the contiguous frames of one commit and writes them
// with one call when the commit frame's page arrives, so the error (disk
// full, I/O) is still returned by the write that SQLite checks. Pending frames
// are also written before any other operation on the WAL (read, sync,
// truncate, size, close, file control) and before the database's shared-memory
// barrier and lock changes, so no reader — in this or another process, with
// or without this VFS — can be told about frames that are not in the file.
// The on-disk format and locking are SQLite's own. Registered (not as the
// default) on first call, which also turns SQLite's memory statistics off
// when SQLite is not yet initialised (docs/storage.md). Thread-safe.
const char* wal_coalescing_vfs_name();

}  // namespace contextweaver::store_detail
