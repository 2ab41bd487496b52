// Fault sweeps over the persistent stores (docs/reliability.md, "Fault
// injection"): every write, pwrite, fsync, fdatasync, rename, link, ftruncate
// and open-for-writing of an operation fails in turn (ENOSPC, EIO, or a short
// write then ENOSPC); the operation must fail with a typed error or succeed
// durably, the same instance must take the next operation, and the reopened
// store must hold exactly the acknowledged state.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/core/file_io.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "contextweaver/store/sqlite_artifact_store.hpp"
#include "contextweaver/store/sqlite_episodic_store.hpp"
#include "contextweaver/store/sqlite_event_log.hpp"
#include "contextweaver/store/sqlite_fact_store.hpp"
#include "fault_sweep.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;
using cwfaults::Subject;

ContextItem event(int i, std::size_t text_size) {
  ContextItem item;
  item.id = "ev" + std::to_string(i);
  item.kind = ItemKind::tool_result;
  item.text = "event " + std::to_string(i) + " " + std::string(text_size, static_cast<char>('a' + i % 26));
  item.metadata = Json::object({{"i", i}});
  return item;
}

std::string bytes_of(int seed, std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t k = 0; k < size; ++k)
    out[k] = static_cast<char>('A' + (k * 7 + static_cast<std::size_t>(seed)) % 26);
  return out;
}

void print(const std::string& name, const cwfaults::SweepReport& report) {
  std::cout << "[sweep] " << name << ": " << cwfaults::summary(report) << "\n";
}

// Sweeps every operation with every variant over a fresh folder, prints the
// report under `name`, and checks that the operation made injectable calls
// (the sweep itself fails the test on any broken promise).
void sweep_all(const std::string& name, const cwfaults::Factory& factory) {
  cwtest::TempDir dir;
  const auto report = cwfaults::sweep(dir.path().string(), factory, cwfaults::all_ops(), cwfaults::default_variants());
  print(name, report);
  EXPECT_GT(report.injections, 0);
}

// The same for closing the store (its checkpoint).
void sweep_close_all(const std::string& name, const cwfaults::Factory& factory) {
  cwtest::TempDir dir;
  const auto report =
      cwfaults::sweep_close(dir.path().string(), factory, cwfaults::all_ops(), cwfaults::default_variants());
  print(name, report);
  EXPECT_GT(report.injections, 0);
}

// ---------------------------------------------------------------------------
// SqliteEventLog: append (one item, with overflow pages) and append_many.

SqliteOptions options(Durability durability) {
  SqliteOptions o;
  o.durability = durability;
  return o;
}

class EventLogSubject : public Subject {
 public:
  EventLogSubject(const std::string& dir, bool many, Durability durability, bool warm = false)
      : log_(dir + "/events.db", options(durability)), many_(many), warm_(warm) {}
  void prepare() override {
    for (int i = 0; i < 3; ++i) log_.append(event(i, 300));
  }
  void warm_up() override {
    if (warm_) log_.append(event(50, 300));
  }
  void run(int variant) override {
    const int base = 100 + variant * 100;
    if (!many_) {
      log_.append(event(base, 6000));
      return;
    }
    std::vector<ContextItem> items;
    for (int i = 0; i < 40; ++i) items.push_back(event(base + i, 2000));
    log_.append_many(items);
  }
  std::string state() override {
    std::string text = std::to_string(log_.count()) + "\n";
    for (const ContextItem& item : log_.all()) text += dumps_sorted(item.to_dict()) + "\n";
    return text;
  }

 private:
  SqliteEventLog log_;
  bool many_;
  bool warm_;
};

TEST(StoreFaultSweep, SqliteEventLogAppend) {
  sweep_all("SqliteEventLog.append",
            [](const std::string& d) { return std::make_unique<EventLogSubject>(d, false, Durability::normal); });
}

TEST(StoreFaultSweep, SqliteEventLogAppendDurable) {
  sweep_all("SqliteEventLog.append (Durability::full)",
            [](const std::string& d) { return std::make_unique<EventLogSubject>(d, false, Durability::full); });
}

// The same with frames already in the WAL (the failed commit's frames follow
// published ones).
TEST(StoreFaultSweep, SqliteEventLogAppendDurableAfterAnother) {
  sweep_all("SqliteEventLog.append (Durability::full, WAL not empty)",
            [](const std::string& d) { return std::make_unique<EventLogSubject>(d, false, Durability::full, true); });
}

TEST(StoreFaultSweep, SqliteEventLogAppendMany) {
  sweep_all("SqliteEventLog.append_many",
            [](const std::string& d) { return std::make_unique<EventLogSubject>(d, true, Durability::normal); });
}

// Closing checkpoints the WAL into the database: a fault there loses nothing
// that was acknowledged (the WAL stays and is recovered at the next open).
TEST(StoreFaultSweep, SqliteEventLogClose) {
  sweep_close_all("SqliteEventLog close (checkpoint)",
                  [](const std::string& d) { return std::make_unique<EventLogSubject>(d, true, Durability::normal); });
}

TEST(StoreFaultSweep, SqliteEventLogCloseDurable) {
  sweep_close_all("SqliteEventLog close (checkpoint, Durability::full)",
                  [](const std::string& d) { return std::make_unique<EventLogSubject>(d, false, Durability::full); });
}

// ---------------------------------------------------------------------------
// Artifact stores: the state is the listing, with every artifact's bytes.

// Bytes shown by size and FNV-1a hash: states stay short enough to read.
std::string digest(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return std::to_string(bytes.size()) + " bytes, fnv " + std::to_string(h);
}

std::string artifact_state(ArtifactStore& store, const std::string& target) {
  std::vector<ArtifactRef> refs = store.list_refs();
  std::sort(refs.begin(), refs.end(), [](const ArtifactRef& a, const ArtifactRef& b) { return a.handle < b.handle; });
  std::string text;
  for (const ArtifactRef& ref : refs) {
    text += dumps_sorted(ref.to_dict()) + "\n";
    if (ref.handle != target) text += digest(store.get(ref.handle)) + "\n";
  }
  text += "#target:";
  text += store.exists(target) ? digest(store.get(target)) : std::string("<absent>");
  return text;
}

class SqliteArtifactSubject : public Subject {
 public:
  explicit SqliteArtifactSubject(const std::string& dir) : store_(dir + "/artifacts.db") {}
  void prepare() override {
    store_.put("a1", bytes_of(1, 3000), "text/plain", "one");
    store_.put("a2", bytes_of(2, 100));
  }
  void run(int variant) override {
    store_.put(variant == 0 ? "h0" : "h1", bytes_of(10 + variant, 20000), "text/plain", "new");
  }
  std::string state() override { return artifact_state(store_, "h0"); }

 private:
  SqliteArtifactStore store_;
};

TEST(StoreFaultSweep, SqliteArtifactStorePut) {
  cwtest::TempDir dir;
  const auto report = cwfaults::sweep(
      dir.path().string(), [](const std::string& d) { return std::make_unique<SqliteArtifactSubject>(d); },
      cwfaults::all_ops(), cwfaults::default_variants());
  print("SqliteArtifactStore.put", report);
  EXPECT_GT(report.injections, 0);
}

// JsonFileArtifactStore::put writes two files, each atomically
// (docs/artifact-files.md, "Writing: atomic files"): a failure after the bytes
// are in place leaves the new bytes under the previous metadata (an
// overwrite) or unlisted (a new handle). That is the documented prefix the
// sweep accepts: the listing is exactly the previous one, and the target's
// bytes are either the previous ones or the new ones. A failure after the
// metadata is in place (the folder's fsync, Durability::full) leaves the whole
// put visible: "files already in place are untouched".
class JsonFileSubject : public Subject {
 public:
  JsonFileSubject(const std::string& dir, bool overwrite, Durability durability)
      : store_(dir + "/artifacts", durability), overwrite_(overwrite) {}
  void prepare() override {
    store_.put("a1", bytes_of(1, 3000), "text/plain", "one");
    store_.put("a2", bytes_of(2, 100));
    if (overwrite_) store_.put("h0", bytes_of(3, 500), "application/json", "old");
  }
  void run(int variant) override {
    store_.put(variant == 0 ? "h0" : "h1", bytes_of(10 + variant, 20000), "text/plain", "new");
  }
  std::string state() override { return artifact_state(store_, "h0"); }
  bool matches_after_failure(const std::string& without, const std::string& with,
                             const std::string& observed) override {
    if (observed == without || observed == with) return true;
    const auto split = [](const std::string& s) {
      const std::size_t at = s.rfind("#target:");
      return std::pair{s.substr(0, at), s.substr(at + 8)};
    };
    const auto [listing, target] = split(observed);
    const auto [want_listing, want_target] = split(without);
    return listing == want_listing && target == split(with).second;
  }

 private:
  JsonFileArtifactStore store_;
  bool overwrite_;
};

TEST(StoreFaultSweep, JsonFileArtifactStorePutNew) {
  sweep_all("JsonFileArtifactStore.put (new handle, Durability::full)",
            [](const std::string& d) { return std::make_unique<JsonFileSubject>(d, false, Durability::full); });
}

TEST(StoreFaultSweep, JsonFileArtifactStorePutOverwrite) {
  sweep_all("JsonFileArtifactStore.put (overwrite, Durability::full)",
            [](const std::string& d) { return std::make_unique<JsonFileSubject>(d, true, Durability::full); });
}

TEST(StoreFaultSweep, JsonFileArtifactStorePutOverwriteNormal) {
  sweep_all("JsonFileArtifactStore.put (overwrite, Durability::normal)",
            [](const std::string& d) { return std::make_unique<JsonFileSubject>(d, true, Durability::normal); });
}

// The listing index is a cache (docs/artifact-files.md, "The listing index"):
// any failure to write it is ignored, so list_refs never fails for it and
// always lists exactly the artifacts; the next listing and a reopened store
// list them too.
TEST(StoreFaultSweep, JsonFileListingIndexWriteNeverFailsAListing) {
  cwtest::TempDir dir;
  const std::string base = (dir / "artifacts").string();
  const auto prepare = [&] {
    std::filesystem::remove_all(base);
    std::filesystem::create_directories(base);
    cw_faults_watch(base.c_str());
    JsonFileArtifactStore store(base);
    for (int i = 0; i < 5; ++i) store.put("a" + std::to_string(i), bytes_of(i, 200 + i), "text/plain");
    // Files younger than the index's racy margin are not remembered (and no
    // index is written): let them age.
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  };
  cw_faults_skip_syncs(1);
  prepare();
  std::string expected;
  long counts[CW_FAULT_OP_COUNT] = {};
  {
    JsonFileArtifactStore store(base);
    cw_faults_reset_counts();
    expected = artifact_state(store, "none");
    for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) counts[op] = cw_faults_count(op);
  }
  long total = 0;
  for (long c : counts) total += c;
  // The index is written only on local file systems that keep exact timestamps
  // (docs/artifact-files.md, "The listing index").
  if (total == 0) {
    cw_faults_watch(nullptr);
    cw_faults_skip_syncs(0);
    GTEST_SKIP() << "no listing index is written in this folder's file system: nothing to sweep";
  }
  int injections = 0;
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) {
    for (const auto& v : cwfaults::default_variants()) {
      if (v.mode == CW_FAULT_SHORT && op != CW_FAULT_WRITE && op != CW_FAULT_PWRITE) continue;
      for (long n = 1; n <= counts[op]; ++n) {
        SCOPED_TRACE(std::string(cw_faults_op_name(op)) + " #" + std::to_string(n));
        prepare();
        JsonFileArtifactStore store(base);
        cw_faults_arm(op, n, v.err, v.mode);
        std::string listed;
        try {
          listed = artifact_state(store, "none");
        } catch (const std::exception& e) {
          ADD_FAILURE() << "the listing failed: " << e.what();
        }
        injections += cw_faults_fired();
        cw_faults_disarm();
        EXPECT_EQ(listed, expected);
        EXPECT_EQ(artifact_state(store, "none"), expected);
        JsonFileArtifactStore reopened(base);
        EXPECT_EQ(artifact_state(reopened, "none"), expected);
      }
    }
  }
  cw_faults_watch(nullptr);
  cw_faults_skip_syncs(0);
  std::cout << "[sweep] JsonFileArtifactStore.list_refs (index rewrite): " << injections << " injected\n";
  EXPECT_GT(injections, 0);
}

// ---------------------------------------------------------------------------
// SqliteFactStore::put and SqliteEpisodicStore::add.

class FactSubject : public Subject {
 public:
  explicit FactSubject(const std::string& dir) : store_(dir + "/facts.db") {}
  void prepare() override {
    store_.put(Fact{"f1", "customer.name", "Ada", {"t"}, Json::object({{"source", "a"}})});
    store_.put(Fact{"f2", "customer.plan", "pro", {}, Json::object()});
  }
  void run(int variant) override {
    store_.put(Fact{variant == 0 ? "g0" : "g1",
                    "order." + std::to_string(variant),
                    std::string(3000, 'v'),
                    {"x", "y"},
                    Json::object({{"n", variant}})});
  }
  std::string state() override {
    std::string text;
    for (const Fact& fact : store_.all()) text += dumps_sorted(fact.to_dict()) + "\n";
    return text;
  }

 private:
  SqliteFactStore store_;
};

TEST(StoreFaultSweep, SqliteFactStorePut) {
  cwtest::TempDir dir;
  const auto report = cwfaults::sweep(
      dir.path().string(), [](const std::string& d) { return std::make_unique<FactSubject>(d); }, cwfaults::all_ops(),
      cwfaults::default_variants());
  print("SqliteFactStore.put", report);
  EXPECT_GT(report.injections, 0);
}

class EpisodeSubject : public Subject {
 public:
  explicit EpisodeSubject(const std::string& dir) : store_(dir + "/episodes.db") {}
  void prepare() override { store_.add(Episode{"e1", "the first episode", {"t"}, Json::object()}); }
  void run(int variant) override {
    store_.add(Episode{variant == 0 ? "x0" : "x1",
                       "episode summary " + std::string(2000, 's'),
                       {"a"},
                       Json::object({{"v", variant}})});
  }
  std::string state() override {
    std::string text;
    for (const Episode& episode : store_.all()) text += dumps_sorted(episode.to_dict()) + "\n";
    return text;
  }

 private:
  SqliteEpisodicStore store_;
};

TEST(StoreFaultSweep, SqliteEpisodicStoreAdd) {
  cwtest::TempDir dir;
  const auto report = cwfaults::sweep(
      dir.path().string(), [](const std::string& d) { return std::make_unique<EpisodeSubject>(d); },
      cwfaults::all_ops(), cwfaults::default_variants());
  print("SqliteEpisodicStore.add", report);
  EXPECT_GT(report.injections, 0);
}

// ---------------------------------------------------------------------------
// write_file_atomic (`export --out`, `ingest --out`): temp file, fsync, rename.
// A failure at any step reports the error, leaves the previous file as it was
// and no temp file behind; the next write succeeds.
TEST(StoreFaultSweep, WriteFileAtomic) {
  cwtest::TempDir dir;
  const std::filesystem::path folder = dir / "out";
  const std::filesystem::path target = folder / "session.json";
  const std::string old_bytes = bytes_of(1, 5000);
  const std::string new_bytes = bytes_of(2, 7000);
  const auto prepare = [&] {
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    cwtest::write_file(target, old_bytes);
    cw_faults_watch(folder.c_str());
  };
  const auto listing = [&] {
    std::string names;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      names += entry.path().filename().string() + " ";
    return names;
  };
  cw_faults_skip_syncs(1);
  prepare();
  ASSERT_FALSE(write_file_atomic(target, new_bytes));
  long counts[CW_FAULT_OP_COUNT] = {};
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) counts[op] = cw_faults_count(op);
  int injections = 0;
  for (int op = 0; op < CW_FAULT_OP_COUNT; ++op) {
    for (const auto& v : cwfaults::default_variants()) {
      if (v.mode == CW_FAULT_SHORT && op != CW_FAULT_WRITE && op != CW_FAULT_PWRITE) continue;
      for (long n = 1; n <= counts[op]; ++n) {
        SCOPED_TRACE(std::string(cw_faults_op_name(op)) + " #" + std::to_string(n));
        prepare();
        cw_faults_arm(op, n, v.err, v.mode);
        const std::error_code error = write_file_atomic(target, new_bytes);
        const bool fired = cw_faults_fired() != 0;
        cw_faults_disarm();
        if (!fired) continue;
        ++injections;
        EXPECT_TRUE(error) << "a failed step reported success";
        EXPECT_EQ(cwtest::read_file(target), old_bytes);
        EXPECT_EQ(listing(), "session.json ");
        EXPECT_FALSE(write_file_atomic(target, new_bytes));
        EXPECT_EQ(cwtest::read_file(target), new_bytes);
      }
    }
  }
  cw_faults_watch(nullptr);
  cw_faults_skip_syncs(0);
  std::cout << "[sweep] write_file_atomic: " << injections << " injected\n";
  EXPECT_GT(injections, 0);
}

}  // namespace
