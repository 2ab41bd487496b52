// The errors of sessions on disk that are no longer (or no longer intact) what
// was opened (docs/sessions.md#integrity). Part of the one hierarchy of
// core/errors.hpp: each derives from StorageError or DatabaseError, so a
// caller catching those (or ContextWeaverError) still catches them.
#pragma once

#include <string>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {

// The session folder or its session.db was removed or replaced (e.g. `rm -rf`
// of the folder, or `contextweaver demo` resetting it) while a Session was
// open: writing on would go into a file no one can read. Nothing was written.
class SessionReplacedError : public StorageError {
 public:
  explicit SessionReplacedError(const std::string& message) : StorageError(message) {}
  const char* code() const noexcept override { return "CW_SESSION_REPLACED"; }
};

// A session whose database had been initialised (its marker file says so)
// has a missing, empty or schemaless session.db: its contents were lost, and
// it is not opened as an empty session. Nothing was written.
class SessionDataLostError : public DatabaseError {
 public:
  explicit SessionDataLostError(const std::string& message) : DatabaseError(message) {}
  const char* code() const noexcept override { return "CW_SESSION_DATA_LOST"; }
};

// A session database that failed SQLite's integrity check (or that a read
// found corrupt): it is not written to. Nothing was written.
class SessionCorruptError : public DatabaseError {
 public:
  explicit SessionCorruptError(const std::string& message) : DatabaseError(message) {}
  const char* code() const noexcept override { return "CW_SESSION_CORRUPT"; }
};

// A folder given as a workspace that holds other things and was not made a
// workspace by contextweaver (docs/sessions.md#workspace-folders). Nothing
// was created in it.
class NotAWorkspaceError : public StorageError {
 public:
  explicit NotAWorkspaceError(const std::string& message) : StorageError(message) {}
  const char* code() const noexcept override { return "CW_NOT_A_WORKSPACE"; }
};

}  // namespace contextweaver
