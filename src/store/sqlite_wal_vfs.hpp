// A SQLite VFS that writes each WAL commit with one system call.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

struct sqlite3;

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
// and keeps statement journals in memory up to 4 MiB when SQLite is not yet
// initialised (docs/storage.md). Thread-safe.
const char* wal_coalescing_vfs_name();

// A copy of the WAL-index header (48 bytes of the database's shared memory)
// of `db`'s main file, opened through this VFS, or nullopt when the shared
// memory is not mapped (in-memory database, no read yet). SQLite rewrites the
// header on every commit by any connection (its change counter, frame count
// and checksums change) and on every WAL reset, so two equal stamps mean that
// no connection committed in between. Read without locks (a commit being
// published reads as either the old or a different header); the caller holds
// the connection's mutex.
using WalStamp = std::array<std::uint32_t, 12>;
std::optional<WalStamp> wal_stamp(sqlite3* db);

}  // namespace contextweaver::store_detail
