// How a session is opened: what the opener may do, and so which lock it holds
// (docs/sessions.md#lock).
#pragma once

namespace contextweaver {

enum class SessionAccess {
  // Reading: the session must exist; the lock is shared for the handle's
  // lifetime, so readers run together and never see half of a write.
  read,
  // Writing: the session is created when missing; the lock is exclusive for
  // the handle's lifetime, so writers run one after the other.
  write,
  // A long-running writer (the MCP gateway): created when missing, but no
  // lock is held between writes; each Session::write takes the exclusive lock
  // for its own duration, so readers work while the writer runs. WAL
  // checkpoints of the session database run on a background thread.
  record,
};

}  // namespace contextweaver
