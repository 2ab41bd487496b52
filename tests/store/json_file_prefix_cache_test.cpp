// JsonFileArtifactStore's drill-down prefix cache (docs/artifact-files.md,
// "Reading: the prefix cache"): cached answers equal uncached ones, every
// change of the file is seen, recent files are not cached, the bounds hold.
//
// ctime cannot be backdated (utimensat sets it to now), so files leave the
// racy window only by age: age() sleeps just past the margin (~25 ms).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/drilldown.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;
namespace fs = std::filesystem;

constexpr JsonFilePrefixCacheLimits kNoCache{0, 0};

// Lets every file written so far out of the racy window (20 ms).
void age() {
  std::this_thread::sleep_for(std::chrono::milliseconds(25));
}

// Sets the file's mtime to `seconds` from now (negative: the past).
void set_mtime(const fs::path& path, long seconds) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  timespec times[2] = {now, now};
  times[1].tv_sec += seconds;
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

// Rewrites the file in place (same inode, O_TRUNC), as the Python reference does.
void rewrite_in_place(const fs::path& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

const std::vector<Json>& selectors() {
  static const std::vector<Json> all = [] {
    std::vector<Json> out;
    for (const char* text :
         {R"({"type":"head","chars":500})", R"({"type":"head"})", R"({"type":"head","chars":0})",
          R"({"type":"head","chars":1})", R"({"type":"head","chars":2048})", R"({"type":"head","chars":2049})",
          R"({"type":"head","chars":-3})", R"({"type":"lines","start":10,"end":60})",
          R"({"type":"lines","start":0,"end":1})", R"({"type":"lines","end":400})",
          R"({"type":"rows","start":0,"end":50})", R"({"type":"rows","start":-2,"end":5})",
          R"({"type":"lines","start":3})", R"({"type":"json_keys","keys":["id","meta"]})"}) {
      out.push_back(loads(text));
    }
    return out;
  }();
  return all;
}

// Random text: lines of ASCII, UTF-8, CR/CRLF/U+2028 terminators and stray bytes.
std::string random_artifact(std::mt19937& rng) {
  static const char* pieces[] = {"abc",  "caf\xC3\xA9", "\xF0\x9F\x98\x80", "\n",   "\r\n",  "\r", "\xE2\x80\xA8",
                                 "\xFF", "\xE2\x82",    "{\"id\": 7}",      "word", "  x  ", "\t"};
  const std::size_t target = std::uniform_int_distribution<std::size_t>(0, 20000)(rng);
  std::string out;
  if (rng() % 4 == 0) out = R"({"id": "a", "meta": {"k": [1, 2]}, "pad": ")";
  while (out.size() < target) out += pieces[rng() % std::size(pieces)];
  if (out.starts_with("{\"id\"")) out += "\"}";
  return out;
}

class PrefixCacheTest : public ::testing::Test {
 protected:
  fs::path base() const { return tmp_ / "store"; }
  fs::path data(const std::string& handle) const { return base() / (handle + ".data"); }
  cwtest::TempDir tmp_;
  JsonFileArtifactStore store_{tmp_ / "store"};
};

TEST_F(PrefixCacheTest, CachedDrilldownsEqualUncachedOnes) {
  std::mt19937 rng(12345);
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {
    texts.push_back(random_artifact(rng));
    store_.put("r" + std::to_string(i), texts.back());
  }
  store_.put("empty", "");
  texts.emplace_back();
  age();
  JsonFileArtifactStore uncached(base(), Durability::normal, kNoCache);
  for (int pass = 0; pass < 2; ++pass) {  // the first fills the cache, the second is served from it
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const std::string handle = i + 1 == texts.size() ? "empty" : "r" + std::to_string(i);
      for (const Json& sel : selectors()) {
        const std::string want = apply_selector(texts[i], sel);
        EXPECT_EQ(store_.drilldown(handle, sel), want) << handle << " " << sel.dump() << " pass " << pass;
        EXPECT_EQ(uncached.drilldown(handle, sel), want) << handle << " " << sel.dump();
      }
    }
  }
  EXPECT_EQ(store_.prefix_cache_entries(), texts.size());
  EXPECT_EQ(uncached.prefix_cache_entries(), 0u);
  EXPECT_EQ(uncached.prefix_cache_bytes(), 0u);
}

// Cached 8 KiB prefixes whose last bytes hold a "\r\n" or a U+2028 cut or
// not: lines counts around the cut are served from the cache or read again,
// always as the whole text gives them.
TEST_F(PrefixCacheTest, LinesAcrossTheCachedPrefixEnd) {
  std::string base_text;
  for (int i = 0; base_text.size() < 9000; ++i) base_text += "row " + std::to_string(i) + "\n";
  std::vector<std::string> texts;
  for (std::size_t cut = 8185; cut < 8195; ++cut) {
    for (const char* term : {"\r\n", "\xE2\x80\xA8", "\r"}) {
      texts.push_back(base_text.substr(0, cut) + term + "tail\nend");
      store_.put("t" + std::to_string(texts.size()), texts.back());
    }
  }
  age();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::size_t lines_before = 0;
    for (std::size_t j = 0; j < 8185; ++j) lines_before += texts[i][j] == '\n';
    for (std::size_t extra = 0; extra < 5; ++extra) {
      for (const char* type : {"lines", "rows"}) {
        const Json sel = {{"type", type}, {"start", lines_before - 2}, {"end", lines_before + extra}};
        for (int pass = 0; pass < 2; ++pass) {
          EXPECT_EQ(store_.drilldown("t" + std::to_string(i + 1), sel), apply_selector(texts[i], sel))
              << i << " " << sel.dump();
        }
      }
    }
  }
}

TEST_F(PrefixCacheTest, ReplacementByAnotherInstanceIsSeen) {
  const std::string v1(5000, 'a');
  const std::string v2(5000, 'b');
  const Json head = loads(R"({"type":"head","chars":100})");
  store_.put("h", v1);
  age();
  EXPECT_EQ(store_.drilldown("h", head), std::string(100, 'a'));
  EXPECT_EQ(store_.prefix_cache_entries(), 1u);
  JsonFileArtifactStore other(base());
  other.put("h", v2);  // renamed into place: a new inode
  EXPECT_EQ(store_.drilldown("h", head), std::string(100, 'b'));
  age();
  EXPECT_EQ(store_.drilldown("h", head), std::string(100, 'b'));  // cached again
  // The other instance's spare is the first version's inode: rewritten in place and swapped back.
  other.put("h", v1);
  EXPECT_EQ(store_.drilldown("h", head), std::string(100, 'a'));
  other.put("h", v2);
  EXPECT_EQ(store_.drilldown("h", head), std::string(100, 'b'));
}

TEST_F(PrefixCacheTest, RawRenameIsSeen) {
  store_.put("h", "one\ntwo\n");
  age();
  const Json lines = loads(R"({"type":"lines","start":0,"end":1})");
  EXPECT_EQ(store_.drilldown("h", lines), "one");
  cwtest::write_file(base() / "h.tmp", "uno\ndos\n");
  set_mtime(base() / "h.tmp", -3600);
  fs::rename(base() / "h.tmp", data("h"));
  EXPECT_EQ(store_.drilldown("h", lines), "uno");
}

TEST_F(PrefixCacheTest, InPlaceRewriteWithSameSizeAndMtimeIsSeen) {
  store_.put("h", "first version");
  set_mtime(data("h"), -3600);
  age();
  const Json head = loads(R"({"type":"head","chars":5})");
  EXPECT_EQ(store_.drilldown("h", head), "first");
  EXPECT_EQ(store_.prefix_cache_entries(), 1u);
  struct stat before {};
  ASSERT_EQ(::stat(data("h").c_str(), &before), 0);
  // Same inode, same size, and the old mtime put back: only ctime tells.
  rewrite_in_place(data("h"), "other version");
  timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, data("h").c_str(), times, 0), 0);
  EXPECT_EQ(store_.drilldown("h", head), "other");
}

// A version modified within the racy window is served from the file, not
// cached, so a second same-size rewrite within one timestamp tick is seen.
TEST_F(PrefixCacheTest, RecentlyModifiedFilesAreNotCached) {
  const Json head = loads(R"({"type":"head","chars":3})");
  const auto start = std::chrono::steady_clock::now();
  store_.put("h", "aaa-1");
  EXPECT_EQ(store_.drilldown("h", head), "aaa");
  rewrite_in_place(data("h"), "bbb-2");
  EXPECT_EQ(store_.drilldown("h", head), "bbb");
  if (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(15)) {
    EXPECT_EQ(store_.prefix_cache_entries(), 0u);  // (a very slow machine may have aged them)
  }
  // An mtime in the future is always "recent".
  store_.put("f", "future");
  set_mtime(data("f"), 3600);
  age();
  EXPECT_EQ(store_.drilldown("f", head), "fut");
  EXPECT_EQ(store_.drilldown("h", head), "bbb");
  EXPECT_EQ(store_.prefix_cache_entries(), 1u);  // "h" only
  rewrite_in_place(data("h"), "ccc-3");
  EXPECT_EQ(store_.drilldown("h", head), "ccc");
}

TEST_F(PrefixCacheTest, OwnWritesAndDeletesDropTheEntry) {
  const Json head = loads(R"({"type":"head","chars":4})");
  store_.put("h", "old bytes");
  store_.put("k", "kept");
  age();
  EXPECT_EQ(store_.drilldown("h", head), "old ");
  EXPECT_EQ(store_.drilldown("k", head), "kept");
  EXPECT_EQ(store_.prefix_cache_entries(), 2u);
  store_.put("h", "new bytes");
  EXPECT_EQ(store_.prefix_cache_entries(), 1u);
  EXPECT_EQ(store_.drilldown("h", head), "new ");
  store_.delete_("k");
  EXPECT_EQ(store_.prefix_cache_entries(), 0u);
  EXPECT_THROW(store_.drilldown("k", head), ArtifactNotFoundError);
  // Deleted by someone else: the stat fails before the cache is consulted.
  age();
  EXPECT_EQ(store_.drilldown("h", head), "new ");
  EXPECT_EQ(store_.prefix_cache_entries(), 1u);
  fs::remove(data("h"));
  EXPECT_THROW(store_.drilldown("h", head), ArtifactNotFoundError);
  fs::create_directory(data("h"));
  EXPECT_THROW(store_.drilldown("h", head), ArtifactNotFoundError);
}

TEST_F(PrefixCacheTest, BoundsHold) {
  const Json head = loads(R"({"type":"head","chars":500})");
  for (int i = 0; i < 10; ++i) store_.put("h" + std::to_string(i), std::string(3000, static_cast<char>('a' + i)));
  age();
  JsonFileArtifactStore by_count(base(), Durability::normal, {std::size_t{1} << 20, 3});
  JsonFileArtifactStore by_bytes(base(), Durability::normal, {5000, 100});
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 10; ++i) {
      const std::string want(500, static_cast<char>('a' + i));
      EXPECT_EQ(by_count.drilldown("h" + std::to_string(i), head), want);
      EXPECT_EQ(by_bytes.drilldown("h" + std::to_string(i), head), want);
      EXPECT_LE(by_count.prefix_cache_entries(), 3u);
      EXPECT_LE(by_bytes.prefix_cache_bytes(), 5000u);
    }
  }
  EXPECT_EQ(by_count.prefix_cache_entries(), 3u);
  EXPECT_EQ(by_bytes.prefix_cache_entries(), 2u);  // 2,000-byte prefixes plus overhead: two fit in 5,000
  // A prefix larger than the whole bound is never kept.
  JsonFileArtifactStore tiny(base(), Durability::normal, {100, 100});
  EXPECT_EQ(tiny.drilldown("h1", head), std::string(500, 'b'));
  EXPECT_EQ(tiny.prefix_cache_entries(), 0u);
  // Long prefixes are read but not kept (at most 8 KiB each).
  store_.put("big", std::string(40000, 'z'));
  age();
  EXPECT_EQ(by_count.drilldown("big", loads(R"({"type":"head","chars":5000})")), std::string(5000, 'z'));
  EXPECT_EQ(by_count.drilldown("big", head), std::string(500, 'z'));
  // A small file read whole for a long head is kept, and serves any head.
  JsonFileArtifactStore fresh(base());
  EXPECT_EQ(fresh.drilldown("h2", loads(R"({"type":"head","chars":5000})")), std::string(3000, 'c'));
  EXPECT_EQ(fresh.prefix_cache_entries(), 1u);
  EXPECT_EQ(fresh.drilldown("h2", loads(R"({"type":"head","chars":9000})")), std::string(3000, 'c'));
  EXPECT_EQ(fresh.drilldown("h2", loads(R"({"type":"lines","end":1})")), std::string(3000, 'c'));
}

// Readers drill while a writer replaces versions (some old enough to be
// cached): every answer is the whole drilldown of one version, never a mix.
// (Named *Thread* so that scripts/run-tests runs it under TSan.)
TEST_F(PrefixCacheTest, ThreadsDrillWhileAnotherPuts) {
  constexpr int kVersions = 8;
  const auto version = [](int v) {
    std::string out;
    for (int line = 0; out.size() < 6000; ++line)
      out += "v" + std::to_string(v) + " line " + std::to_string(line) + "\n";
    return out.substr(0, 6000);  // all versions have the same size
  };
  const std::vector<Json> sels = {loads(R"({"type":"head","chars":700})"),
                                  loads(R"({"type":"lines","start":10,"end":60})"),
                                  loads(R"({"type":"rows","start":0,"end":200})")};
  std::vector<std::vector<std::string>> expected(sels.size());
  for (std::size_t s = 0; s < sels.size(); ++s) {
    for (int v = 0; v < kVersions; ++v) expected[s].push_back(apply_selector(version(v), sels[s]));
  }
  for (int h = 0; h < 4; ++h) store_.put("h" + std::to_string(h), version(0));
  age();
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      for (int i = 0; !stop.load(); ++i) {
        const std::size_t s = static_cast<std::size_t>(i + r) % sels.size();
        const std::string got = store_.drilldown("h" + std::to_string((i + r) % 4), sels[s]);
        if (std::find(expected[s].begin(), expected[s].end(), got) == expected[s].end()) ++bad;
      }
    });
  }
  JsonFileArtifactStore other(base());
  for (int v = 1; v < 40; ++v) {
    (v % 2 ? store_ : other).put("h" + std::to_string(v % 4), version(v % kVersions));
    if (v % 8 == 0) age();  // let some versions be cached between bursts
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  for (int h = 0; h < 4; ++h) {
    const std::string bytes = store_.get("h" + std::to_string(h));
    for (const Json& sel : sels) EXPECT_EQ(store_.drilldown("h" + std::to_string(h), sel), apply_selector(bytes, sel));
  }
}

}  // namespace
