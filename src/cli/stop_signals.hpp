// SIGINT, SIGTERM and SIGHUP as an event a long-running command can wait for
// and clean up after (docs/cli.md#signals), instead of the default action
// that ends the process on the spot: the gateway then stops its upstreams,
// bench removes its temporary folder.
//
// Design: a self-pipe. The handler only stores the first signal's number in a
// lock-free atomic and writes one byte to a non-blocking pipe (both
// async-signal-safe; nothing is allocated or locked); the command polls the
// pipe's read end or asks received() at its checkpoints. Handlers are
// installed with SA_RESTART, so the other threads' system calls are not
// interrupted.
#pragma once

#include <csignal>
#include <string>

#include "contextweaver/core/errors.hpp"

namespace contextweaver::cli {

// Thrown by a command that stops because of a signal, after its cleanup ran:
// main() prints nothing more and exits with exit_status() (128 + signal, the
// shell's convention).
class Interrupted : public ContextWeaverError {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }
  int exit_status() const { return 128 + signal_; }
  const char* code() const noexcept override { return "CW_INTERRUPTED"; }

 private:
  int signal_;
};

// While an instance lives, SIGINT, SIGTERM and SIGHUP are caught rather than
// fatal. One instance at a time per process (a second one throws
// InternalError); the destructor restores the previous dispositions. A signal
// that arrived stays recorded after the destructor (so a command may still
// report it), until the next instance.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Readable once a signal arrived (never drained here: it stays readable).
  int fd() const;
  // The first signal caught (SIGINT, SIGTERM or SIGHUP); 0 while none.
  int received() const;
  // Throws Interrupted when a signal arrived: the cheap check for loops.
  void throw_if_received() const;

 private:
  struct sigaction previous_[3];
};

// "SIGINT", "SIGTERM", "SIGHUP", else "signal N".
std::string signal_name(int signal);

}  // namespace contextweaver::cli
