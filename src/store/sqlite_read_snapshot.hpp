// The thread that ends idle read snapshots of SqliteDatabase connections
// (SqliteOptions::read_snapshot_idle_us; docs/storage.md): internal to the
// store module.
#pragma once

#include <chrono>
#include <memory>

namespace contextweaver {
class SqliteDatabase;
}

namespace contextweaver::store_detail {

// Asks the process's idle-snapshot thread (started on first use) to call
// db->release_idle_snapshot() at `first_check`, and again whenever that
// returns a time, until it returns nullopt or the database is gone. The
// caller holds db's mutex; the thread never waits for it. Thread-safe; a
// forked child starts a thread of its own.
void watch_read_snapshot(std::weak_ptr<SqliteDatabase> db, std::chrono::steady_clock::time_point first_check);

}  // namespace contextweaver::store_detail
