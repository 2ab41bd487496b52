#include "fault_sweep.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <map>

#include "contextweaver/core/errors.hpp"

namespace fs = std::filesystem;

namespace cwfaults {
namespace {

// The states of clean runs, which the faulted runs are held to.
struct Clean {
  std::string before;         // prepare
  std::string after;          // prepare, run(0)
  std::string before_then_1;  // prepare, run(1)
  std::string after_then_1;   // prepare, run(0), run(1)
  std::string one_then_0;     // prepare, run(1), run(0)
  long counts[CW_FAULT_OP_COUNT] = {};
};

void fresh(const std::string& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
}

// Copies the files of `from` into an empty `to`, without SQLite's "-shm".
void copy_files(const std::string& from, const std::string& to) {
  fs::remove_all(to);
  fs::create_directories(to);
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    const fs::path target = fs::path(to) / fs::relative(entry.path(), from);
    if (entry.is_directory()) {
      fs::create_directories(target);
    } else if (entry.is_regular_file() && !entry.path().string().ends_with("-shm")) {
      fs::copy_file(entry.path(), target);
    }
  }
}

// open, prepare, close, open: the operation under test starts on a freshly
// opened store, so that its first-write steps (WAL creation, …) are swept too.
std::unique_ptr<Subject> prepared(const std::string& dir, const Factory& factory) {
  fresh(dir);
  cw_faults_watch(dir.c_str());
  factory(dir)->prepare();
  auto s = factory(dir);
  s->warm_up();
  return s;
}

Clean clean_run(const std::string& dir, const Factory& factory) {
  Clean c;
  {
    auto s = prepared(dir, factory);
    c.before = s->state();
    cw_faults_reset_counts();
    s->run(0);
    for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) c.counts[op] = cw_faults_count(op);
    c.after = s->state();
    s->run(1);
    c.after_then_1 = s->state();
  }
  {
    auto s = prepared(dir, factory);
    s->run(1);
    c.before_then_1 = s->state();
    s->run(0);
    c.one_then_0 = s->state();
  }
  return c;
}

std::string describe(int op, long n, const Variant& v) {
  return std::string(cw_faults_op_name(op)) + " #" + std::to_string(n) + " " + (v.err == ENOSPC ? "ENOSPC" : "EIO") +
         (v.mode == CW_FAULT_SHORT ? " after a short write" : "");
}

}  // namespace

std::vector<int> all_ops() {
  std::vector<int> ops;
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) ops.push_back(op);
  return ops;
}

std::vector<Variant> default_variants() {
  return {{ENOSPC, CW_FAULT_ERROR}, {EIO, CW_FAULT_ERROR}, {ENOSPC, CW_FAULT_SHORT}};
}

std::string summary(const SweepReport& report) {
  std::string text;
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) {
    text += std::string(cw_faults_op_name(op)) + " " + std::to_string(report.counts[op]) + " ";
  }
  text += "| " + std::to_string(report.injections) + " injected: " + std::to_string(report.failed) + " failed, " +
          std::to_string(report.absorbed) + " absorbed";
  for (const std::string& at : report.absorbed_at) text += "\n  absorbed: " + at;
  return text;
}

SweepReport sweep(const std::string& root, const Factory& factory, const std::vector<int>& ops,
                  const std::vector<Variant>& variants) {
  SweepReport report;
  cw_faults_skip_syncs(1);
  const std::string dir = root + "/store";
  const Clean clean = clean_run(dir, factory);
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) report.counts[op] = clean.counts[op];
  EXPECT_NE(clean.before, clean.after) << "operation 0 changes nothing: the sweep would check nothing";
  for (const int op : ops) {
    for (const Variant& v : variants) {
      const bool is_write = op == CW_FAULT_WRITE || op == CW_FAULT_PWRITE;
      if (v.mode == CW_FAULT_SHORT && !is_write) continue;
      for (long n = 1; n <= clean.counts[op]; ++n) {
        SCOPED_TRACE(describe(op, n, v));
        auto s = prepared(dir, factory);
        cw_faults_arm(op, n, v.err, v.mode);
        bool failed = false;
        try {
          s->run(0);
        } catch (const contextweaver::ContextWeaverError&) {
          failed = true;  // the typed error every failure must be
        } catch (const std::exception& e) {
          ADD_FAILURE() << "an untyped exception: " << e.what();
          failed = true;
        }
        const bool fired = cw_faults_fired() != 0;
        cw_faults_disarm();
        if (!fired) {
          // A clean run of the same steps made fewer calls this time; nothing
          // was injected, so the operation must simply have worked.
          EXPECT_FALSE(failed);
          continue;
        }
        ++report.injections;
        failed ? ++report.failed : ++report.absorbed;
        if (!failed) report.absorbed_at.push_back(describe(op, n, v));
        // Success is acknowledged: then the result must be there, exactly.
        const std::string& expected0 = failed ? clean.before : clean.after;
        const std::string live = s->state();
        if (failed) {
          EXPECT_TRUE(s->matches_after_failure(expected0, clean.after, live)) << "live state after the failure:\n"
                                                                              << live;
        } else {
          EXPECT_EQ(live, expected0) << "the operation reported success";
        }
        // A crash right now (kill -9, the instance never closed): what a new
        // process finds in a copy of the files (the shared-memory index aside,
        // which a first opener rebuilds anyway).
        {
          const std::string crash = root + "/crash";
          copy_files(dir, crash);
          const std::string recovered = factory(crash)->state();
          if (failed) {
            EXPECT_TRUE(s->matches_after_failure(expected0, clean.after, recovered))
                << "a crash after the failure recovers:\n"
                << recovered;
          } else {
            EXPECT_EQ(recovered, expected0) << "a crash after the success recovers";
          }
        }
        // The fault is gone: the same instance takes the next operation.
        try {
          s->run(1);
        } catch (const std::exception& e) {
          ADD_FAILURE() << "the next operation on the same instance failed: " << e.what();
          continue;
        }
        s.reset();
        // Reopened: exactly the acknowledged state.
        s = factory(dir);
        const std::string& expected1 = failed ? clean.before_then_1 : clean.after_then_1;
        const std::string reopened = s->state();
        if (failed) {
          EXPECT_TRUE(s->matches_after_failure(expected1, clean.one_then_0, reopened)) << "reopened:\n"
                                                                                       << reopened << "\nexpected:\n"
                                                                                       << expected1;
          // And the failed operation, retried, succeeds.
          try {
            s->run(0);
            EXPECT_EQ(s->state(), clean.one_then_0) << "after the retry";
          } catch (const std::exception& e) {
            ADD_FAILURE() << "the retried operation failed: " << e.what();
          }
        } else {
          EXPECT_EQ(reopened, expected1);
        }
        if (::testing::Test::HasFailure()) {  // one broken step is enough to read
          cw_faults_watch(nullptr);
          cw_faults_skip_syncs(0);
          return report;
        }
      }
    }
  }
  cw_faults_watch(nullptr);
  cw_faults_skip_syncs(0);
  return report;
}

SweepReport sweep_close(const std::string& root, const Factory& factory, const std::vector<int>& ops,
                        const std::vector<Variant>& variants) {
  SweepReport report;
  cw_faults_skip_syncs(1);
  const std::string dir = root + "/store";
  std::string expected;
  {
    auto s = prepared(dir, factory);
    s->run(0);
    expected = s->state();
    cw_faults_reset_counts();
  }
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) report.counts[op] = cw_faults_count(op);
  for (const int op : ops) {
    for (const Variant& v : variants) {
      const bool is_write = op == CW_FAULT_WRITE || op == CW_FAULT_PWRITE;
      if (v.mode == CW_FAULT_SHORT && !is_write) continue;
      for (long n = 1; n <= report.counts[op]; ++n) {
        SCOPED_TRACE(describe(op, n, v));
        {
          auto s = prepared(dir, factory);
          s->run(0);
          cw_faults_arm(op, n, v.err, v.mode);
        }  // closed here, with the fault armed
        const bool fired = cw_faults_fired() != 0;
        cw_faults_disarm();
        if (!fired) continue;
        ++report.injections;
        auto s = factory(dir);
        EXPECT_EQ(s->state(), expected) << "after a failed close, reopened";
        try {
          s->run(1);
        } catch (const std::exception& e) {
          ADD_FAILURE() << "the next operation failed: " << e.what();
        }
      }
    }
  }
  cw_faults_watch(nullptr);
  cw_faults_skip_syncs(0);
  return report;
}

}  // namespace cwfaults
