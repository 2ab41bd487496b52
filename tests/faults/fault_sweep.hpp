// The fault sweep (docs/reliability.md, "Fault injection"): for every
// operation a store performs (write, pwrite, fsync, rename, …), count its
// calls in a clean run, then inject a failure at each of them in turn and
// check what the store promises.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fault_injection.hpp"

namespace cwfaults {

// One store under test, opened on a folder. The sweep drives it through:
//   open, prepare, close, open, warm_up, [fault armed] run(0), [disarmed] state,
//   run(1) on the same instance, close, open, state, run(0) again, state.
class Subject {
 public:
  virtual ~Subject() = default;
  // Acknowledged writes made before the operation under test (no faults).
  virtual void prepare() = 0;
  // Called on the instance the operation runs on, before it (e.g. one more
  // acknowledged write, so that the WAL already holds frames).
  virtual void warm_up() {}
  // The operation under test (variant 0) or the next one (variant 1, other ids).
  virtual void run(int variant) = 0;
  // Everything the store shows, canonically.
  virtual std::string state() = 0;
  // Whether `observed` is an acceptable state after operation 0 failed:
  // `without` is the state had it not run, `with` the state had it succeeded.
  // Exactly `without`, unless the operation is documented as not atomic
  // (then exactly a documented intermediate state).
  virtual bool matches_after_failure(const std::string& without, const std::string& with, const std::string& observed) {
    (void)with;
    return observed == without;
  }
};

using Factory = std::function<std::unique_ptr<Subject>(const std::string& dir)>;

struct Variant {
  int err;
  int mode;  // CW_FAULT_ERROR or CW_FAULT_SHORT
};

struct SweepReport {
  int injections = 0;                    // runs in which the fault was injected
  int failed = 0;                        // ... and the operation reported an error
  int absorbed = 0;                      // ... and the operation succeeded, its result durable
  long counts[CW_FAULT_OP_COUNT] = {};   // calls per operation in a clean run
  std::vector<std::string> absorbed_at;  // the faults the operation succeeded despite
};

// "write 3 pwrite 0 … | 12 injected: 11 failed, 1 absorbed", for the test log.
std::string summary(const SweepReport& report);

// Runs the sweep of `factory`'s operation 0 over every operation in `ops`
// (each with every variant; short writes only for write and pwrite), with
// gtest assertions. `root` is an empty scratch folder.
SweepReport sweep(const std::string& root, const Factory& factory, const std::vector<int>& ops,
                  const std::vector<Variant>& variants);

// The sweep of closing the store (the destructor: SQLite checkpoints the WAL
// into the database and removes it): after prepare and run(0), each call of
// the close fails in turn; the close must not throw or abort, and the
// reopened store must hold exactly what was acknowledged.
SweepReport sweep_close(const std::string& root, const Factory& factory, const std::vector<int>& ops,
                        const std::vector<Variant>& variants);

// All operations, and the errno variants of the sweeps: ENOSPC, EIO, and a
// short write followed by ENOSPC.
std::vector<int> all_ops();
std::vector<Variant> default_variants();

}  // namespace cwfaults
