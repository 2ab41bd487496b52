// JsonFileArtifactStore: the conformance suite plus the file-specific tests of
// tests/test_store_json_file_artifacts.py (store.md §4.5, §7) and DECISIONS S2/S3.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "contextweaver/core/log.hpp"
#include "contextweaver/store/drilldown.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "store/artifact_store_conformance.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;
namespace fs = std::filesystem;

struct JsonFileArtifactStoreFactory {
  cwtest::TempDir dir;
  std::unique_ptr<ArtifactStore> create() { return std::make_unique<JsonFileArtifactStore>(dir / "artifacts"); }
  std::unique_ptr<ArtifactStore> reopen() { return create(); }
};

struct JsonFileFullDurabilityFactory {
  cwtest::TempDir dir;
  std::unique_ptr<ArtifactStore> create() {
    return std::make_unique<JsonFileArtifactStore>(dir / "artifacts", Durability::full);
  }
  std::unique_ptr<ArtifactStore> reopen() { return create(); }
};

using JsonFileFactories = ::testing::Types<JsonFileArtifactStoreFactory, JsonFileFullDurabilityFactory>;

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(JsonFile, ArtifactStoreConformance, JsonFileFactories);

namespace {

class JsonFileArtifactStoreTest : public ::testing::Test {
 protected:
  fs::path base() const { return tmp_ / "store"; }
  cwtest::TempDir tmp_;
  JsonFileArtifactStore store_{tmp_ / "store"};
};

// test_put_creates_data_and_metadata_files: exact metadata bytes, no trailing newline.
TEST_F(JsonFileArtifactStoreTest, PutCreatesDataAndMetadataFiles) {
  store_.put("h1", "hello", "text/plain", "greeting");
  EXPECT_EQ(cwtest::read_file(base() / "h1.data"), "hello");
  EXPECT_EQ(cwtest::read_file(base() / "h1.json"),
            R"({"handle": "h1", "label": "greeting", "media_type": "text/plain", "size_bytes": 5})");
  store_.put("caf\xC3\xA9", "x", "text/plain", "\xF0\x9F\x98\x80");
  EXPECT_EQ(cwtest::read_file(base() / "caf\xC3\xA9.json"),
            R"({"handle": "caf\u00e9", "label": "\ud83d\ude00", "media_type": "text/plain", "size_bytes": 1})");
  // Only the two files per artifact: no temp file stays behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(base())) ++files;
  EXPECT_EQ(files, 4u);
}

// test_get_missing_raises / test_ref_missing_raises: the message names the handle.
TEST_F(JsonFileArtifactStoreTest, MissingMessagesNameTheHandle) {
  EXPECT_TRUE(
      cwconf::throws_with<ArtifactNotFoundError>([&] { store_.get("missing"); }, "Artifact not found: 'missing'"));
  EXPECT_TRUE(
      cwconf::throws_with<ArtifactNotFoundError>([&] { store_.ref("missing"); }, "Artifact not found: 'missing'"));
}

// test_delete: both files go.
TEST_F(JsonFileArtifactStoreTest, DeleteRemovesBothFiles) {
  store_.put("h1", "data");
  store_.delete_("h1");
  EXPECT_FALSE(fs::exists(base() / "h1.data"));
  EXPECT_FALSE(fs::exists(base() / "h1.json"));
  EXPECT_THROW(store_.get("h1"), ArtifactNotFoundError);
}

// test_list_refs_skips_malformed_metadata / test_list_refs_skips_non_mapping_json, and
// the other skip reasons (not UTF-8, missing key, bad size_bytes).
TEST_F(JsonFileArtifactStoreTest, ListRefsSkipsMalformedMetadata) {
  store_.put("ok", "fine");
  cwtest::write_file(base() / "broken.json", "not-json");
  cwtest::write_file(base() / "list.json", "[]");
  cwtest::write_file(base() / "null.json", "null");
  cwtest::write_file(base() / "str.json", "\"not a mapping\"");
  cwtest::write_file(base() / "latin1.json", "{\"handle\": \"caf\xE9\", \"media_type\": \"m\", \"size_bytes\": 1}");
  cwtest::write_file(base() / "nokey.json", R"({"handle": "x", "media_type": "m"})");
  cwtest::write_file(base() / "badsize.json", R"({"handle": "x", "media_type": "m", "size_bytes": "big"})");
  cwtest::write_file(base() / "nullsize.json", R"({"handle": "x", "media_type": "m", "size_bytes": null})");
  cwtest::write_file(base() / "notes.txt", "ignored: not *.json");
  std::vector<std::string> logged;
  set_log_sink([&](LogLevel, std::string_view, std::string_view message) { logged.emplace_back(message); });
  const auto refs = store_.list_refs();
  set_log_sink({});
  EXPECT_EQ(cwconf::handles_of(refs), (cwconf::Ids{"ok"}));
  EXPECT_EQ(std::count_if(logged.begin(), logged.end(),
                          [](const std::string& m) { return m.starts_with("json_file_artifacts.list_refs: skip "); }),
            8);
  // ref() lets the same errors through, as the reference does.
  EXPECT_THROW(store_.ref("broken"), JsonDecodeError);
  EXPECT_THROW(store_.ref("list"), TypeError);
  EXPECT_THROW(store_.ref("latin1"), ValueError);
  EXPECT_THROW(store_.ref("nokey"), KeyError);
}

// The handle listed is the one inside the metadata; S3 orders by it, duplicates stay.
TEST_F(JsonFileArtifactStoreTest, ListRefsUsesHandlesFromMetadataSortedByHandle) {
  cwtest::write_file(base() / "zzz.json", R"({"handle": "a", "media_type": "m", "size_bytes": 1})");
  cwtest::write_file(base() / "aaa.json", R"({"handle": "b", "media_type": "m", "size_bytes": 2, "extra": 1})");
  cwtest::write_file(base() / "mmm.json", R"({"handle": "a", "media_type": "m2", "size_bytes": 3})");
  const auto refs = store_.list_refs();
  EXPECT_EQ(cwconf::handles_of(refs), (cwconf::Ids{"a", "a", "b"}));
}

// Meta-only and data-only orphans behave as in the reference.
TEST_F(JsonFileArtifactStoreTest, OrphanFiles) {
  cwtest::write_file(base() / "meta.json", R"({"handle": "meta", "media_type": "m", "size_bytes": 4})");
  EXPECT_FALSE(store_.exists("meta"));
  EXPECT_EQ(store_.ref("meta").size_bytes, 4);
  EXPECT_THROW(store_.get("meta"), ArtifactNotFoundError);
  EXPECT_EQ(cwconf::handles_of(store_.list_refs()), (cwconf::Ids{"meta"}));
  cwtest::write_file(base() / "bytes.data", "raw");
  EXPECT_TRUE(store_.exists("bytes"));
  EXPECT_EQ(store_.get("bytes"), "raw");
  EXPECT_THROW(store_.ref("bytes"), ArtifactNotFoundError);
  store_.delete_("bytes");  // one file is enough to delete
  EXPECT_FALSE(fs::exists(base() / "bytes.data"));
}

// A folder where a file should be: not an artifact (get/exists), but list_refs
// fails loudly on a folder named *.json, as the reference's OSError does.
TEST_F(JsonFileArtifactStoreTest, FoldersInPlaceOfFiles) {
  fs::create_directory(base() / "dir.data");
  EXPECT_FALSE(store_.exists("dir"));
  EXPECT_THROW(store_.get("dir"), ArtifactNotFoundError);
  EXPECT_THROW(store_.drilldown("dir", loads(R"({"type":"head"})")), ArtifactNotFoundError);
  fs::create_directory(base() / "dir.json");
  EXPECT_THROW(store_.ref("dir"), ArtifactNotFoundError);
  EXPECT_THROW(store_.list_refs(), StorageError);
  // put never replaces a folder (even a non-empty one): StorageError, the
  // folder and its content stay, no temp file is left.
  cwtest::write_file(base() / "dir.data" / "inside", "keep");
  EXPECT_THROW(store_.put("dir", "bytes"), StorageError);
  EXPECT_TRUE(fs::is_directory(base() / "dir.data"));
  EXPECT_TRUE(fs::exists(base() / "dir.data" / "inside"));
  fs::remove_all(base() / "dir.data");
  // The .data is written; the folder named dir.json refuses the metadata.
  EXPECT_THROW(store_.put("dir", "bytes"), StorageError);
  EXPECT_TRUE(fs::is_directory(base() / "dir.json"));
}

// Overwrites replace both files atomically (RENAME_EXCHANGE path) and leave no
// temp file; an identical metadata file is kept as it is.
TEST_F(JsonFileArtifactStoreTest, OverwritesLeaveOnlyTheNewFiles) {
  store_.put("h", "first version", "text/plain", "one");
  store_.put("h", "second version", "text/plain", "one");  // size changes: metadata rewritten
  EXPECT_EQ(store_.get("h"), "second version");
  EXPECT_EQ(store_.ref("h").size_bytes, 14);
  store_.put("h", "third  version", "text/plain", "one");  // same size and fields: metadata kept
  EXPECT_EQ(store_.get("h"), "third  version");
  EXPECT_EQ(store_.ref("h").size_bytes, 14);
  store_.put("h", "fourth version", "text/plain", "two");  // label changes
  EXPECT_EQ(store_.ref("h").label, "two");
  EXPECT_EQ(cwtest::read_file(base() / "h.json"),
            R"({"handle": "h", "label": "two", "media_type": "text/plain", "size_bytes": 14})");
  // While the store is open, the previous version of each kind may stay as a
  // spare temp file (reused by the next put); closing the store removes it.
  std::size_t files = 0;
  std::size_t spares = 0;
  for (const auto& e : fs::directory_iterator(base())) {
    ++(e.path().filename().string().starts_with(".cwtmp.") ? spares : files);
  }
  EXPECT_EQ(files, 2u);
  EXPECT_LE(spares, 2u);
  {
    JsonFileArtifactStore other(base());  // a second instance in the same process: its own temp names
    other.put("h", "fifth version", "text/plain", "two");
    other.put("h", "sixth version!", "text/plain", "two");
    store_.put("h", "seventh version", "text/plain", "three");
    EXPECT_EQ(other.get("h"), "seventh version");
  }
  store_.~JsonFileArtifactStore();
  new (&store_) JsonFileArtifactStore(base());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(base())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"h.data", "h.json"}));
}

// A reused spare is the previous version of some file: it is rewritten only
// when no one has it open, so a reader that opened an old version keeps
// reading exactly those bytes however many puts follow. A file that is also
// linked under another name is never rewritten either.
TEST_F(JsonFileArtifactStoreTest, SpareTempFilesNeverChangeBytesSomeoneReads) {
  const std::string v1(100000, '1');
  store_.put("h", v1, "text/plain");
  const int reader = ::open((base() / "h.data").c_str(), O_RDONLY);
  ASSERT_GE(reader, 0);
  for (int i = 2; i <= 6; ++i) {
    store_.put("h", std::string(100000 - i, static_cast<char>('0' + i)), "text/plain");
    store_.put("other", std::string(50000 + i, static_cast<char>('a' + i)), "text/plain");
  }
  std::string seen(200000, '\0');
  const ssize_t n = ::pread(reader, seen.data(), seen.size(), 0);
  ::close(reader);
  ASSERT_EQ(n, 100000);
  seen.resize(100000);
  EXPECT_EQ(seen, v1);
  EXPECT_EQ(store_.get("h"), std::string(99994, '6'));
  EXPECT_EQ(store_.get("other"), std::string(50006, 'g'));

  fs::create_hard_link(base() / "h.data", tmp_ / "backup.data");
  store_.put("h", "new", "text/plain");
  store_.put("h", "newer", "text/plain");
  store_.put("h", "newest", "text/plain");
  EXPECT_EQ(cwtest::read_file(tmp_ / "backup.data"), std::string(99994, '6'));
  EXPECT_EQ(store_.get("h"), "newest");
  EXPECT_EQ(store_.ref("h").size_bytes, 6);
}

// A put with no metadata file yet writes an unnamed file and links it into
// place; a name that exists after all (bytes without metadata, a folder)
// takes the exchange path: replaced, or StorageError with the folder intact.
TEST_F(JsonFileArtifactStoreTest, NewHandleOverOrphanBytesOrFolder) {
  cwtest::write_file(base() / "orphan.data", "old bytes");
  store_.put("orphan", "new bytes", "text/plain", "l");
  EXPECT_EQ(store_.get("orphan"), "new bytes");
  EXPECT_EQ(store_.ref("orphan").label, "l");
  fs::create_directory(base() / "dir.data");
  cwtest::write_file(base() / "dir.data" / "inside", "keep");
  EXPECT_THROW(store_.put("dir", "bytes"), StorageError);
  EXPECT_TRUE(fs::exists(base() / "dir.data" / "inside"));
  EXPECT_FALSE(fs::exists(base() / "dir.json"));
  store_.put("fresh", "abc");
  EXPECT_EQ(store_.get("fresh"), "abc");
  store_.~JsonFileArtifactStore();
  new (&store_) JsonFileArtifactStore(base());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(base())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"dir.data", "fresh.data", "fresh.json", "orphan.data", "orphan.json"}));
}

// Writers overwriting a few handles (spares passed between them) while
// readers read: every read is one complete version, never a mix.
TEST_F(JsonFileArtifactStoreTest, ConcurrentOverwritesNeverShowMixedBytes) {
  const auto version = [](int v) {
    return std::string(1000 + static_cast<std::size_t>(v), static_cast<char>('a' + v % 26));
  };
  for (int h = 0; h < 3; ++h) store_.put("h" + std::to_string(h), version(0));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int v = 1; v <= 300; ++v) store_.put("h" + std::to_string((v + w) % 3), version(v), "text/plain");
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      for (int i = 0; !stop.load(); ++i) {
        const std::string got = store_.get("h" + std::to_string((i + r) % 3));
        const char c = got.empty() ? '?' : got[0];
        const bool whole = got.size() >= 1000 && got.find_first_not_of(c) == std::string::npos &&
                           static_cast<int>((got.size() - 1000) % 26) == c - 'a';
        if (!whole) ++bad;
      }
    });
  }
  threads[0].join();
  threads[1].join();
  stop = true;
  threads[2].join();
  threads[3].join();
  EXPECT_EQ(bad.load(), 0);
}

// test_directory_created_if_missing / test_base_dir_property
TEST(JsonFileArtifactStore, DirectoryCreatedIfMissingAndBaseDirProperty) {
  cwtest::TempDir tmp;
  const fs::path deep = tmp / "deep/nested/artifacts";
  JsonFileArtifactStore store(deep);
  EXPECT_TRUE(fs::is_directory(deep));
  EXPECT_EQ(store.base_dir(), deep);
  EXPECT_EQ(store.durability(), Durability::normal);
  const fs::path relative_looking = tmp.path().string() + "//x/./y/";
  JsonFileArtifactStore store2(relative_looking);
  EXPECT_EQ(store2.base_dir().string(), relative_looking.string());  // as given, not normalised
}

TEST(JsonFileArtifactStore, RegularFileInPlaceOfFolderIsStorageError) {
  cwtest::TempDir tmp;
  cwtest::write_file(tmp / "file", "x");
  try {
    JsonFileArtifactStore store(tmp / "file");
    FAIL() << "no error";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("is not a directory"), std::string::npos) << e.what();
  }
  EXPECT_THROW(JsonFileArtifactStore(tmp / "file" / "sub"), StorageError);
}

// test_put_rejects_unsafe_handles[6], test_read_path_methods_reject_unsafe_handles[30],
// test_drilldown_rejects_unsafe_handle, and S2 (drive-relative handles).
TEST_F(JsonFileArtifactStoreTest, RejectsUnsafeHandlesInEveryMethod) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "Artifact handle must be non-empty"},
      {".", "Invalid artifact handle: '.'"},
      {"..", "Invalid artifact handle: '..'"},
      {"foo/bar", "Invalid artifact handle (contains path separator or null byte): 'foo/bar'"},
      {"a\\b", "Invalid artifact handle (contains path separator or null byte): 'a\\\\b'"},
      {std::string("x\0y", 3), "Invalid artifact handle (contains path separator or null byte): 'x\\x00y'"},
      {"../secret", "Invalid artifact handle (contains path separator or null byte): '../secret'"},
      {"/etc/passwd", "Invalid artifact handle (contains path separator or null byte): '/etc/passwd'"},
      {"C:x", "Invalid artifact handle (drive-relative or absolute path): 'C:x'"},
      {"z:", "Invalid artifact handle (drive-relative or absolute path): 'z:'"},
  };
  const Json head = loads(R"({"type":"head"})");
  for (const auto& [handle, message] : cases) {
    const std::vector<std::pair<const char*, std::function<void()>>> calls = {
        {"put", [&] { store_.put(handle, "x"); }},
        {"get", [&] { store_.get(handle); }},
        {"ref", [&] { store_.ref(handle); }},
        {"metadata", [&] { store_.metadata(handle); }},
        {"exists", [&] { store_.exists(handle); }},
        {"delete", [&] { store_.delete_(handle); }},
        {"drilldown", [&] { store_.drilldown(handle, head); }},
    };
    for (const auto& [name, call] : calls) {
      EXPECT_TRUE(cwconf::throws_with<ContextWeaverError>(call, message, /*exact=*/true)) << name << " " << handle;
    }
  }
  EXPECT_TRUE(store_.list_refs().empty());
  EXPECT_EQ(std::distance(fs::directory_iterator(base()), fs::directory_iterator()), 0);
}

TEST_F(JsonFileArtifactStoreTest, OverlongHandleIsStorageError) {
  const std::string handle(300, 'a');
  EXPECT_THROW(store_.put(handle, "x"), StorageError);
  EXPECT_THROW(store_.exists(handle), StorageError);  // Path.is_file() raises ENAMETOOLONG too
  EXPECT_THROW(store_.get(handle), StorageError);
  EXPECT_TRUE(store_.list_refs().empty());
}

// Temp files never show, and those of dead writers are removed on open.
TEST_F(JsonFileArtifactStoreTest, TempFilesIgnoredAndRecoveredOnOpen) {
  store_.put("a", "x");
  const std::string dead = ".cwtmp.999999999.0.tmp";  // above any pid_max: that writer is gone
  const std::string live = ".cwtmp." + std::to_string(::getpid()) + ".99.tmp";
  cwtest::write_file(base() / dead, R"({"handle": "ghost", "media_type": "m", "size_bytes": 1})");
  cwtest::write_file(base() / live, "partial");
  EXPECT_EQ(cwconf::handles_of(store_.list_refs()), (cwconf::Ids{"a"}));
  JsonFileArtifactStore reopened(base());
  EXPECT_EQ(cwconf::handles_of(reopened.list_refs()), (cwconf::Ids{"a"}));  // the listing removes it
  EXPECT_FALSE(fs::exists(base() / dead));
  EXPECT_TRUE(fs::exists(base() / live));  // a running writer's file is left alone
  // A store that only writes removes them at its first put.
  cwtest::write_file(base() / dead, "partial");
  JsonFileArtifactStore writer(base());
  EXPECT_TRUE(fs::exists(base() / dead));  // opening alone reads nothing
  EXPECT_EQ(writer.get("a"), "x");
  writer.put("b", "y");
  EXPECT_FALSE(fs::exists(base() / dead));
  EXPECT_TRUE(fs::exists(base() / live));
}

// Partial reads (head / bounded lines) give exactly what the whole text gives,
// including terminators that straddle the read chunks.
TEST_F(JsonFileArtifactStoreTest, DrilldownPrefixReadsMatchWholeText) {
  std::string text;
  for (int i = 0; text.size() < 70000; ++i) {
    text += "line " + std::to_string(i) + " caf\xC3\xA9";
    text += (i % 7 == 0) ? "\r\n" : (i % 11 == 0 ? "\xE2\x80\xA8" : "\n");
    if (i % 13 == 0) text += "\xFF";
  }
  // A CRLF exactly across the first 8 KiB boundary.
  text.replace(8191, 2, "\r\n");
  store_.put("big", text);
  for (const char* sel :
       {R"({"type":"head","chars":500})", R"({"type":"head","chars":0})", R"({"type":"head","chars":70000})",
        R"({"type":"head","chars":2048})", R"({"type":"lines","start":10,"end":60})",
        R"({"type":"lines","start":0,"end":300})", R"({"type":"rows","end":5000})", R"({"type":"lines","end":0})",
        R"({"type":"lines","start":-5,"end":300})", R"({"type":"lines","start":400,"end":1200})"}) {
    EXPECT_EQ(store_.drilldown("big", loads(sel)), apply_selector(text, loads(sel))) << sel;
  }
  // head reads only 4 bytes per character: ill-formed and truncated sequences
  // around that cut decode exactly as in the whole text.
  const std::string odd[] = {
      "\xF0\x9F\x98",     "\xE2\x82", "\x80",     "\xC3",         "\xED\xA0\x80", "\xF4\x90\x80\x80",
      "\xF0\x9F\x98\x80", "a",        "\xC0\xAF", "\xE0\x80\xAF", "\xFF"};
  for (std::size_t shift = 0; shift < 11; ++shift) {
    std::string mixed;
    for (std::size_t i = 0; mixed.size() < 9000; ++i) mixed += odd[(i * 7 + shift) % 11];
    store_.put("odd", mixed);
    for (int chars : {1, 2, 3, 5, 100, 499, 500, 501, 1000, 2047, 2048, 2049, 3000}) {
      const Json sel = {{"type", "head"}, {"chars", chars}};
      EXPECT_EQ(store_.drilldown("odd", sel), apply_selector(mixed, sel)) << shift << " " << chars;
    }
  }
  for (std::size_t cut = 8185; cut < 8200; ++cut) {
    const std::string t = text.substr(0, cut) + "\r\nend\n";
    store_.put("cut", t);
    std::size_t lines_before = 0;
    for (std::size_t i = 0; i + 1 < cut + 2; ++i) lines_before += t[i] == '\n';
    const Json sel = {{"type", "lines"}, {"start", 0}, {"end", lines_before + 1}};
    EXPECT_EQ(store_.drilldown("cut", sel), apply_selector(t, sel)) << cut;
  }
}

}  // namespace
