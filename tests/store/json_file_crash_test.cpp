// JsonFileArtifactStore under failure: a writer killed mid-put, a folder that
// refuses writes, and a write that runs out of room. Nothing acknowledged may
// be lost and nothing half-written may become visible.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"
#include "support/test_support.hpp"

namespace {

using namespace contextweaver;
namespace fs = std::filesystem;

// Artifact i: a size that varies up to ~200 KiB and bytes that identify i and the offset.
std::string payload(std::uint32_t i) {
  std::string out((i * 7919u) % 200000u + 1, '\0');
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = static_cast<char>((i * 31u + k * 7u) & 0xFF);
  return out;
}

std::string handle_of(std::uint32_t i) {
  return "artifact:h" + std::to_string(i);
}

// Child: put artifacts forever, reporting each acknowledged index on the pipe.
[[noreturn]] void writer(const fs::path& dir, int fd) {
  try {
    JsonFileArtifactStore store(dir);
    for (std::uint32_t i = 0;; ++i) {
      store.put(handle_of(i), payload(i), "application/x-test", "label " + std::to_string(i));
      if (::write(fd, &i, sizeof i) != static_cast<ssize_t>(sizeof i)) ::_exit(3);
    }
  } catch (...) {
    ::_exit(2);
  }
}

TEST(JsonFileCrash, KilledWriterLosesNothingAcknowledgedAndLeavesNothingPartial) {
  cwtest::TempDir tmp;
  const fs::path dir = tmp / "store";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    writer(dir, fds[1]);
  }
  ::close(fds[1]);
  // Let it acknowledge a few dozen puts, then kill it without warning.
  std::vector<std::uint32_t> acked;
  std::uint32_t i = 0;
  while (acked.size() < 40 && ::read(fds[0], &i, sizeof i) == static_cast<ssize_t>(sizeof i)) acked.push_back(i);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited on its own with status " << status;
  // Acknowledgements written before the kill are still in the pipe.
  while (::read(fds[0], &i, sizeof i) == static_cast<ssize_t>(sizeof i)) acked.push_back(i);
  ::close(fds[0]);
  ASSERT_GE(acked.size(), 40u);

  JsonFileArtifactStore store(dir);
  for (std::uint32_t k : acked) {
    const std::string h = handle_of(k);
    ASSERT_TRUE(store.exists(h)) << h;
    EXPECT_EQ(store.get(h), payload(k)) << h;
    const ArtifactRef ref = store.ref(h);
    EXPECT_EQ(ref, (ArtifactRef{h, "application/x-test", static_cast<std::int64_t>(payload(k).size()),
                                "label " + std::to_string(k), ""}));
  }
  // Every listed ref has its complete bytes; at most the one in-flight put is
  // unacknowledged, and whatever of it is visible is complete too.
  const auto refs = store.list_refs();
  EXPECT_GE(refs.size(), acked.size());
  EXPECT_LE(refs.size(), acked.size() + 1);
  for (const auto& ref : refs) {
    const std::uint32_t k = static_cast<std::uint32_t>(std::stoul(ref.handle.substr(std::string("artifact:h").size())));
    EXPECT_EQ(store.get(ref.handle), payload(k)) << ref.handle;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find(".cwtmp."), std::string::npos) << "temp file left after recovery: " << name;
    if (name.ends_with(".data")) {
      const auto k = static_cast<std::uint32_t>(std::stoul(name.substr(10, name.size() - 15)));
      EXPECT_EQ(cwtest::read_file(entry.path()), payload(k)) << name;
    }
  }
}

// The same with overwrites of a few handles, so that spare temp files are
// rewritten when the kill lands: each handle holds its last acknowledged
// version or the one in flight, whole, and no temp file survives recovery.
TEST(JsonFileCrash, KilledOverwriterLeavesWholeVersions) {
  cwtest::TempDir tmp;
  const fs::path dir = tmp / "store";
  constexpr std::uint32_t kHandles = 3;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    try {
      JsonFileArtifactStore store(dir);
      for (std::uint32_t i = 0;; ++i) {
        store.put("h" + std::to_string(i % kHandles), payload(i), "application/x-test", "v" + std::to_string(i));
        if (::write(fds[1], &i, sizeof i) != static_cast<ssize_t>(sizeof i)) ::_exit(3);
      }
    } catch (...) {
      ::_exit(2);
    }
  }
  ::close(fds[1]);
  std::uint32_t last = 0;
  std::uint32_t count = 0;
  while (count < 60 && ::read(fds[0], &last, sizeof last) == static_cast<ssize_t>(sizeof last)) ++count;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  while (::read(fds[0], &last, sizeof last) == static_cast<ssize_t>(sizeof last)) ++count;
  ::close(fds[0]);
  ASSERT_GE(count, 60u);

  JsonFileArtifactStore store(dir);
  for (std::uint32_t h = 0; h < kHandles; ++h) {
    // The last acknowledged put of this handle, and the next one (maybe in flight).
    std::uint32_t acked = last - (last + kHandles - h) % kHandles;
    const std::string bytes = store.get("h" + std::to_string(h));
    EXPECT_TRUE(bytes == payload(acked) || bytes == payload(acked + kHandles)) << h;
    const ArtifactRef ref = store.ref("h" + std::to_string(h));
    EXPECT_TRUE(ref.label == "v" + std::to_string(acked) || ref.label == "v" + std::to_string(acked + kHandles)) << h;
  }
  EXPECT_EQ(store.list_refs().size(), kHandles);
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".cwtmp."), std::string::npos) << entry.path();
  }
}

// A folder that refuses writes: StorageError, and the earlier artifact is intact.
TEST(JsonFileCrash, ReadOnlyFolderRaisesStorageErrorAndLosesNothing) {
  cwtest::TempDir tmp;
  JsonFileArtifactStore store(tmp / "store");
  store.put("h", "original", "text/plain", "v1");
  fs::permissions(tmp / "store", fs::perms::owner_read | fs::perms::owner_exec);
  // Root ignores permission bits; then the folder is not read-only to us.
  const int probe = ::open((tmp / "store" / "probe").c_str(), O_WRONLY | O_CREAT, 0644);
  if (probe >= 0) {
    ::close(probe);
    GTEST_SKIP() << "running with privileges that ignore folder permissions";
  }
  EXPECT_THROW(store.put("h", "replacement", "text/plain", "v2"), StorageError);
  EXPECT_THROW(store.put("new", "x"), StorageError);
  EXPECT_EQ(store.get("h"), "original");
  EXPECT_EQ(store.ref("h").label, "v1");
  EXPECT_FALSE(store.exists("new"));
}

// A write that fails part-way (file size limit, which binds even root): the
// put raises StorageError, the old artifact stays whole, no temp file remains.
TEST(JsonFileCrash, FailedWriteLeavesOldArtifactAndNoTempFile) {
  cwtest::TempDir tmp;
  const fs::path dir = tmp / "store";
  {
    JsonFileArtifactStore store(dir);
    store.put("h", std::string(1000, 'a'), "text/plain", "v1");
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // In the child only: cap file size at 4 KiB and turn SIGXFSZ into EFBIG.
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    int code = 0;
    try {
      JsonFileArtifactStore store(dir);
      try {
        store.put("h", std::string(64 * 1024, 'b'), "text/plain", "v2");
        code = 10;  // should have failed
      } catch (const StorageError&) {
      }
      if (store.get("h") != std::string(1000, 'a')) code = 11;
      if (store.ref("h").label != "v1") code = 12;
    } catch (...) {
      code = 13;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"h.data", "h.json"}));
}

}  // namespace
