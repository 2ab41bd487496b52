// How hard a persistent store works to survive a power failure.
#pragma once

namespace contextweaver {

// Both levels write atomically, so a crashed process never leaves a
// half-written record, artifact or metadata file (docs/storage.md).
enum class Durability {
  normal,  // SQLite synchronous=NORMAL, no fsync for files: survives process crashes;
           // the OS may lose the most recent writes on power loss
  full,    // SQLite synchronous=FULL, fsync of files and folders: survives power loss
};

}  // namespace contextweaver
