// Helpers shared by the test suites: temporary folders and the reference data.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace cwtest {

// A fresh, empty folder removed (recursively) when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The shared reference folder (CW_SHARED_DIR, else ../shared from the source
// tree), or nullopt when it is absent.
std::optional<std::filesystem::path> shared_dir();

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);

// The message of the E that f() throws, or "" when it throws nothing (any
// other exception propagates and fails the test).
template <typename E, typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

}  // namespace cwtest

// Skips the current test, saying why, when ../shared is not there.
#define CW_REQUIRE_SHARED(var)                                                               \
  const auto var##_opt = ::cwtest::shared_dir();                                             \
  if (!var##_opt) GTEST_SKIP() << "../shared reference data is absent; parity test skipped"; \
  const std::filesystem::path var = *var##_opt
