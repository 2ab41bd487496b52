// Locating the tokenizer tables and the npm tiktoken oracle from the tests.
#pragma once

#include "contextweaver/tokens/bpe.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cwtest {

// The repository root, derived from this file's location.
std::filesystem::path repo_root();

// The extracted tiktoken npm package: $CONTEXTWEAVER_TIKTOKEN_NPM_DIR, else
// <repo>/.deps/tiktoken/package (scripts/bootstrap.d/20-tiktoken.sh), or
// nullopt when absent.
std::optional<std::filesystem::path> tiktoken_npm_dir();

// An encoding from the usual search path, else from the npm package's
// encoders folder; null when neither has it.
std::shared_ptr<const contextweaver::BpeEncoding> real_encoding(const std::string& name);

// True when `node` runs.
bool node_available();

// Runs tests/tokens/oracle/oracle.cjs over `texts`; nullopt (with `error`
// set) when node or the package fails.
std::optional<std::vector<std::vector<contextweaver::TokenId>>> run_oracle(const std::string& encoding,
                                                                           const std::string& mode,
                                                                           const std::vector<std::string>& texts,
                                                                           std::string& error);

// The escaped form of a text for failure messages.
std::string escaped(const std::string& text);

}  // namespace cwtest

// Skips the current test when the real table of `name` is not installed.
#define CW_REQUIRE_ENCODING(var, name)            \
  const auto var = ::cwtest::real_encoding(name); \
  if (!var) GTEST_SKIP() << "tokenizer table " name ".json is absent (run scripts/bootstrap); skipped"
