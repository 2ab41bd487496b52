// JsonFileArtifactStore's listing index (<base_dir>/.cwrefs.idx,
// docs/artifact-files.md "The listing index"): a listing with the index
// always equals a listing of the same files without one, whatever happened
// to the files or to the index in between.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/core/log.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "json_file_refs_index.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;
namespace fs = std::filesystem;

constexpr const char* kIndex = ".cwrefs.idx";

// Files written now are "racy" for an index built now; after this pause they
// are old enough to be indexed (the margin is 20 ms; sleeping longer is fine).
void settle() {
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
}

// What a listing used: refs taken from the index and entries it added.
struct Listing {
  std::vector<ArtifactRef> refs;
  int from_index = -1;
  int indexed = -1;
  int skips = 0;
};

Listing list(const fs::path& dir) {
  Listing out;
  set_log_sink([&](LogLevel, std::string_view, std::string_view message) {
    const std::string m(message);
    constexpr std::string_view kPrefix = "json_file_artifacts.list_refs: ";
    if (m.starts_with("json_file_artifacts.list_refs: skip ")) {
      ++out.skips;
    } else if (m.starts_with(kPrefix) && m.find(" from the index, ") != std::string::npos) {
      std::size_t refs = 0, hits = 0, learnt = 0;
      if (std::sscanf(m.c_str() + kPrefix.size(), "%zu refs, %zu from the index, %zu indexed", &refs, &hits, &learnt) ==
          3) {
        out.from_index = static_cast<int>(hits);
        out.indexed = static_cast<int>(learnt);
      }
    }
  });
  out.refs = JsonFileArtifactStore(dir).list_refs();
  set_log_sink({});
  return out;
}

// The same *.json files listed in a fresh folder, where no index exists.
std::vector<ArtifactRef> list_without_index(const fs::path& dir, const fs::path& scratch) {
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") fs::copy_file(e.path(), scratch / e.path().filename());
  }
  EXPECT_FALSE(fs::exists(scratch / kIndex));
  return JsonFileArtifactStore(scratch).list_refs();
}

// Rewrites a file in place, as Python's Path.write_text does (same inode).
void rewrite_in_place(const fs::path& file, const std::string& bytes) {
  struct stat before {};
  ASSERT_EQ(::stat(file.c_str(), &before), 0);
  const int fd = ::open(file.c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
  struct stat after {};
  ASSERT_EQ(::stat(file.c_str(), &after), 0);
  ASSERT_EQ(before.st_ino, after.st_ino);
}

std::string meta(const std::string& handle, const std::string& label, int size) {
  return R"({"handle": ")" + handle + R"(", "label": ")" + label + R"(", "media_type": "text/plain", "size_bytes": )" +
         std::to_string(size) + "}";
}

class RefsIndexTest : public ::testing::Test {
 protected:
  fs::path base() const { return tmp_ / "store"; }
  std::vector<ArtifactRef> expected() { return list_without_index(base(), tmp_ / "plain"); }
  void fill(int n) {
    JsonFileArtifactStore store(base());
    for (int k = 0; k < n; ++k) store.put("h" + std::to_string(k), std::string(k + 1, 'x'), "text/plain", "v1");
  }
  cwtest::TempDir tmp_;
};

TEST_F(RefsIndexTest, BuiltByAListingThenUsedByTheNext) {
  fill(20);
  settle();
  const Listing first = list(base());
  EXPECT_EQ(first.from_index, 0);
  EXPECT_EQ(first.indexed, 20);
  EXPECT_TRUE(fs::is_regular_file(base() / kIndex));
  const Listing second = list(base());
  EXPECT_EQ(second.from_index, 20);
  EXPECT_EQ(second.indexed, 0);
  EXPECT_EQ(second.refs, first.refs);
  EXPECT_EQ(second.refs, expected());
  ASSERT_EQ(second.refs.size(), 20u);
  EXPECT_EQ(second.refs[0], (ArtifactRef{"h0", "text/plain", 1, "v1", ""}));
}

// Files just written are not trusted: an index built now remembers none of them.
TEST_F(RefsIndexTest, RacyFilesAreNotRemembered) {
  const int dir_fd = ::open(tmp_.path().c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dir_fd, 0);
  json_file_detail::RefsIndex index(dir_fd);
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const std::int64_t now_ns = static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
  const ArtifactRef ref{"a", "m", 1, "", ""};
  index.learn_ref("a.json", json_file_detail::FileIdentity{1, 2, 3, now_ns - 1'000'000'000, now_ns}, ref);
  index.learn_ref("c.json", json_file_detail::FileIdentity{1, 4, 3, now_ns - 15'000'000, now_ns - 15'000'000}, ref);
  EXPECT_EQ(index.learnt(), 0u);
  index.learn_ref("d.json", json_file_detail::FileIdentity{1, 5, 3, now_ns - 50'000'000, now_ns - 50'000'000}, ref);
  EXPECT_EQ(index.learnt(), 1u);
  // Only the ctime counts: an mtime set into the future (utimensat) changed
  // the ctime too, so an old ctime means an old file whatever its mtime.
  index.learn_ref("b.json", json_file_detail::FileIdentity{1, 3, 3, now_ns + 3'600'000'000'000, now_ns - 50'000'000},
                  ref);
  EXPECT_EQ(index.learnt(), 2u);
  // A ctime of whole seconds (a second-grained file system): a second more.
  const std::int64_t second = now_ns / 1'000'000'000 * 1'000'000'000;
  index.learn_ref("e.json", json_file_detail::FileIdentity{1, 6, 3, second - 50'000'000, second}, ref);
  EXPECT_EQ(index.learnt(), 2u);
  index.learn_ref("f.json", json_file_detail::FileIdentity{1, 7, 3, second - 2'000'000'000, second - 2'000'000'000},
                  ref);
  EXPECT_EQ(index.learnt(), 3u);
  ::close(dir_fd);
}

// An entry is used only for the exact identity it was learnt with: any field
// differing (whatever the timestamps say about raciness) means "read the file".
TEST_F(RefsIndexTest, IdentityMustMatchExactly) {
  using json_file_detail::FileIdentity;
  const int dir_fd = ::open(tmp_.path().c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dir_fd, 0);
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const std::int64_t old = (static_cast<std::int64_t>(now.tv_sec) - 60) * 1'000'000'000 + 123'456'789;
  const FileIdentity id{11, 22, 33, old, old + 1000};
  const ArtifactRef ref{"a", "text/plain", 33, "label", "abc123"};
  {
    json_file_detail::RefsIndex writer(dir_fd);
    writer.learn_ref("a.json", id, ref);
    writer.learn_skip("bad.json", FileIdentity{11, 23, 4, old, old}, "why");
    writer.save(dir_fd);
  }
  std::vector<FileIdentity> others(5, id);
  ++others[0].dev;
  ++others[1].ino;
  ++others[2].size;
  ++others[3].mtime_ns;
  ++others[4].ctime_ns;
  for (const FileIdentity& other : others) {
    json_file_detail::RefsIndex reader(dir_fd);
    std::vector<ArtifactRef> refs;
    EXPECT_FALSE(reader.take("a.json", other, refs));
    EXPECT_TRUE(refs.empty());
  }
  json_file_detail::RefsIndex reader(dir_fd);
  std::vector<ArtifactRef> refs;
  EXPECT_FALSE(reader.take("b.json", id, refs));  // another name
  EXPECT_TRUE(reader.take("a.json", id, refs));
  EXPECT_TRUE(reader.take("bad.json", FileIdentity{11, 23, 4, old, old}, refs));  // a remembered skip
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0], ref);
  EXPECT_EQ(reader.hits(), 2u);
  ::close(dir_fd);
}

TEST_F(RefsIndexTest, PutsOverwritesAndDeletesAreSeen) {
  fill(10);
  settle();
  list(base());
  {
    JsonFileArtifactStore store(base());
    store.put("new", "abc", "text/plain", "fresh");
    store.put("h3", "same size?", "application/json", "v2");  // different metadata
    store.put("h4", "xxxxx", "text/plain", "v1");             // same metadata, new bytes
    store.delete_("h5");
  }
  const Listing now = list(base());
  EXPECT_EQ(now.refs, expected());
  EXPECT_EQ(now.refs.size(), 10u);
  EXPECT_GE(now.from_index, 7);  // the untouched ones
  settle();
  const Listing later = list(base());
  EXPECT_EQ(later.refs, now.refs);
  settle();
  EXPECT_EQ(list(base()).from_index, 10);
}

// The reference rewrites metadata in place (same inode); with the same size,
// only the timestamps tell: inside and outside the racy window.
TEST_F(RefsIndexTest, InPlaceRewriteWithTheSameSizeIsSeen) {
  fill(3);
  const fs::path file = base() / "h1.json";
  list(base());  // racy: nothing (or not h1's next version) trusted
  rewrite_in_place(file, meta("h1", "v2", 2));
  EXPECT_EQ(list(base()).refs, expected());
  rewrite_in_place(file, meta("h1", "v3", 2));
  EXPECT_EQ(list(base()).refs[1].label, "v3");

  settle();
  const Listing indexed = list(base());
  EXPECT_EQ(indexed.indexed + indexed.from_index, 3);
  EXPECT_EQ(list(base()).from_index, 3);
  rewrite_in_place(file, meta("h1", "v4", 2));
  Listing after = list(base());
  EXPECT_EQ(after.refs[1].label, "v4");
  EXPECT_EQ(after.refs, expected());
  // Content changed, then the indexed mtime put back (cp -p, rsync -t): ctime still tells.
  settle();
  EXPECT_EQ(list(base()).indexed, 1);
  struct stat indexed_version {};
  ASSERT_EQ(::stat(file.c_str(), &indexed_version), 0);
  rewrite_in_place(file, meta("h1", "v5", 2));
  const timespec times[2] = {indexed_version.st_atim, indexed_version.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  after = list(base());
  EXPECT_EQ(after.refs[1].label, "v5");
  EXPECT_EQ(after.refs, expected());
}

TEST_F(RefsIndexTest, DamagedIndexIsIgnoredAndRebuilt) {
  fill(8);
  settle();
  list(base());
  const std::string good = cwtest::read_file(base() / kIndex);
  ASSERT_GT(good.size(), 100u);
  const std::vector<ArtifactRef> want = expected();
  std::vector<std::string> damaged = {
      "",                               // empty
      "not an index at all",            // foreign bytes
      good.substr(0, good.size() / 2),  // truncated
      good.substr(0, good.size() - 1),  // checksum cut
      good + "x",                       // trailing garbage
  };
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x20;  // inside some entry
  damaged.push_back(flipped);
  std::string version = good;
  version[8] = 2;  // another format version
  damaged.push_back(version);
  for (std::size_t k = 0; k < damaged.size(); ++k) {
    cwtest::write_file(base() / kIndex, damaged[k]);
    const Listing l = list(base());
    EXPECT_EQ(l.refs, want) << k;
    EXPECT_EQ(l.from_index, 0) << k;
    EXPECT_EQ(l.indexed, 8) << k;  // rebuilt (the files are old)
    EXPECT_EQ(list(base()).from_index, 8) << k;
  }
  // A folder in the index's place: listings still work, nothing is indexed.
  fs::remove(base() / kIndex);
  fs::create_directory(base() / kIndex);
  std::vector<std::string> logged;
  set_log_sink([&](LogLevel, std::string_view, std::string_view message) { logged.emplace_back(message); });
  EXPECT_EQ(JsonFileArtifactStore(base()).list_refs(), want);
  set_log_sink({});
  EXPECT_EQ(std::count_if(logged.begin(), logged.end(),
                          [](const std::string& m) {
                            return m.starts_with("json_file_artifacts.list_refs: index not saved (swap: ");
                          }),
            1);
  EXPECT_EQ(list(base()).refs, want);
  EXPECT_TRUE(fs::is_directory(base() / kIndex));
  for (const auto& e : fs::directory_iterator(base())) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".cwtmp.")) << e.path();
  }
}

TEST_F(RefsIndexTest, EntriesOfDeletedFilesAreNotListed) {
  fill(10);
  settle();
  list(base());
  for (int k = 0; k < 10; k += 2) fs::remove(base() / ("h" + std::to_string(k) + ".json"));
  const Listing l = list(base());
  EXPECT_EQ(l.refs.size(), 5u);
  EXPECT_EQ(l.from_index, 5);
  EXPECT_EQ(l.refs, expected());
}

// An index copied from another folder (same file names, other contents) is not trusted.
TEST_F(RefsIndexTest, IndexFromAnotherFolderIsIgnored) {
  const fs::path other = tmp_ / "other";
  {
    JsonFileArtifactStore a(other);
    JsonFileArtifactStore b(base());
    for (int k = 0; k < 5; ++k) {
      a.put("h" + std::to_string(k), "aa", "text/plain", "from-other");
      b.put("h" + std::to_string(k), "bb", "text/plain", "mine");
    }
  }
  settle();
  list(other);
  fs::copy_file(other / kIndex, base() / kIndex);
  const Listing l = list(base());
  EXPECT_EQ(l.from_index, 0);
  ASSERT_EQ(l.refs.size(), 5u);
  for (const auto& ref : l.refs) EXPECT_EQ(ref.label, "mine");
  EXPECT_EQ(l.refs, expected());
}

// Corrupt metadata stays skipped, logged each time, whether read or indexed.
TEST_F(RefsIndexTest, CorruptMetadataStaysSkipped) {
  fill(2);
  cwtest::write_file(base() / "broken.json", "not-json");
  cwtest::write_file(base() / "list.json", "[]");
  cwtest::write_file(base() / "latin1.json", "{\"handle\": \"caf\xE9\", \"media_type\": \"m\", \"size_bytes\": 1}");
  cwtest::write_file(base() / "nokey.json", R"({"handle": "x", "media_type": "m"})");
  settle();
  const Listing first = list(base());
  EXPECT_EQ(first.skips, 4);
  EXPECT_EQ(first.indexed, 6);
  const Listing second = list(base());
  EXPECT_EQ(second.skips, 4);
  EXPECT_EQ(second.from_index, 6);
  EXPECT_EQ(second.refs, first.refs);
  EXPECT_EQ(second.refs, expected());
  // Fixed in place: listed from then on.
  rewrite_in_place(base() / "broken.json", meta("broken", "", 0));
  const Listing fixed = list(base());
  EXPECT_EQ(fixed.skips, 3);
  EXPECT_EQ(fixed.refs.size(), 3u);
  EXPECT_EQ(fixed.refs, expected());
}

// Two threads listing (and rewriting the index) at once: every listing is
// complete, and the index left behind is valid.
TEST_F(RefsIndexTest, ConcurrentListingsFromTwoThreads) {
  fill(30);
  settle();
  const std::vector<ArtifactRef> want = expected();
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      JsonFileArtifactStore store(base());
      for (int i = 0; i < 20; ++i) {
        if (i % 5 == 0) ::unlink((base() / kIndex).c_str());  // force rebuilds
        if (store.list_refs() != want) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  list(base());
  const Listing l = list(base());
  EXPECT_EQ(l.from_index, 30);
  EXPECT_EQ(l.refs, want);
  for (const auto& e : fs::directory_iterator(base())) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".cwtmp.")) << e.path();
  }
}

// The same with two processes (each swaps in whole index files).
TEST_F(RefsIndexTest, ConcurrentListingsFromTwoProcesses) {
  fill(30);
  settle();
  const std::vector<ArtifactRef> want = expected();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  const auto run = [&] {
    int wrong = 0;
    JsonFileArtifactStore store(base());
    for (int i = 0; i < 20; ++i) {
      if (i % 4 == 0) ::unlink((base() / kIndex).c_str());
      if (store.list_refs() != want) ++wrong;
    }
    return wrong;
  };
  if (child == 0) ::_exit(run() == 0 ? 0 : 1);
  EXPECT_EQ(run(), 0);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  list(base());
  EXPECT_EQ(list(base()).from_index, 30);
}

// put and delete_ leave the index alone (listings notice their changes).
TEST_F(RefsIndexTest, PutAndDeleteDoNotTouchTheIndex) {
  fill(3);
  settle();
  list(base());
  struct stat before {};
  ASSERT_EQ(::stat((base() / kIndex).c_str(), &before), 0);
  const std::string bytes = cwtest::read_file(base() / kIndex);
  {
    JsonFileArtifactStore store(base());
    store.put("h0", "changed", "text/plain", "v2");
    store.put("new", "x");
    store.delete_("h1");
    EXPECT_EQ(store.get("h0"), "changed");
    EXPECT_EQ(store.ref("h0").label, "v2");
  }
  struct stat after {};
  ASSERT_EQ(::stat((base() / kIndex).c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_EQ(cwtest::read_file(base() / kIndex), bytes);
  std::vector<std::string> handles;
  for (const auto& ref : list(base()).refs) handles.push_back(ref.handle);
  EXPECT_EQ(handles, (std::vector<std::string>{"h0", "h2", "new"}));
}

// Rewrites go into the previous index (.cwrefs.old), swapped in: the same two
// inodes serve every rewrite. A leftover .cwrefs.old (a crash mid-write) is
// never read; one that is a folder or linked elsewhere is left alone.
TEST_F(RefsIndexTest, RewritesReuseThePreviousIndexFile) {
  const fs::path old_index = base() / ".cwrefs.old";
  const auto inode = [](const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
  };
  fill(4);
  cwtest::write_file(old_index, "torn leftover of a crashed rewrite");
  settle();
  EXPECT_EQ(list(base()).indexed, 4);
  std::set<ino_t> inodes;
  for (int round = 0; round < 4; ++round) {
    {
      JsonFileArtifactStore store(base());
      store.put("h" + std::to_string(round), "round " + std::to_string(round), "text/plain", "r");
    }
    settle();
    const Listing l = list(base());
    EXPECT_EQ(l.indexed, 1) << round;
    EXPECT_EQ(l.refs, expected()) << round;
    inodes.insert(inode(base() / kIndex));
    inodes.insert(inode(old_index));
  }
  EXPECT_EQ(inodes.size(), 2u);
  EXPECT_EQ(list(base()).from_index, 4);

  // Linked elsewhere: not rewritten; the listing still works.
  fs::create_hard_link(old_index, tmp_ / "elsewhere");
  const std::string linked = cwtest::read_file(tmp_ / "elsewhere");
  { JsonFileArtifactStore(base()).put("h0", "again", "text/plain", "r2"); }
  settle();
  EXPECT_EQ(list(base()).refs, expected());
  EXPECT_EQ(cwtest::read_file(tmp_ / "elsewhere"), linked);
  fs::remove(tmp_ / "elsewhere");
  // A folder: nothing saved, nothing moved.
  fs::remove(old_index);
  fs::remove(base() / kIndex);
  fs::create_directory(old_index);
  EXPECT_EQ(list(base()).refs, expected());
  EXPECT_TRUE(fs::is_directory(old_index));
  EXPECT_FALSE(fs::exists(base() / kIndex));
}

// The index is no artifact, and temp files of dead writers still go.
TEST_F(RefsIndexTest, IndexFileIsNotAnArtifactAndTempLeftoversGo) {
  fill(2);
  settle();
  list(base());
  ASSERT_TRUE(fs::exists(base() / kIndex));
  const std::string dead = ".cwtmp.999999999.refs0.tmp";
  cwtest::write_file(base() / dead, "partial index");
  JsonFileArtifactStore store(base());
  EXPECT_EQ(store.list_refs().size(), 2u);
  EXPECT_FALSE(fs::exists(base() / dead));
}

}  // namespace
