// Exact, offline tiktoken BPE encodings (cl100k_base, o200k_base).
//
// The rank tables come from the `tiktoken` npm package's encoder files
// (encoders/<name>.json: {"pat_str", "special_tokens", "bpe_ranks"}), which
// scripts/bootstrap fetches and CMake copies into the build tree; nothing is
// downloaded at run time. Encoding reproduces tiktoken token for token
// (tests/tokens/oracle_test.cpp checks it against the npm package itself).
#pragma once

#include "contextweaver/tokens/pretokenizer.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace contextweaver {

using TokenId = std::uint32_t;

namespace tokens_detail {
class RankTable;
}

// Immutable once loaded: every const method may run concurrently on one
// encoding (their scratch buffers are thread_local), and the loaders are
// thread-safe (the load_file cache is behind a mutex).
class BpeEncoding {
 public:
  // Parses an encoder JSON document (tiktoken npm format). Throws
  // JsonDecodeError when it is not JSON, ValueError when a field is missing,
  // malformed or inconsistent (duplicate token or rank, a single byte without
  // a token, a special token colliding with a rank), or when pat_str is not
  // one of the patterns this tokenizer implements.
  static std::shared_ptr<const BpeEncoding> from_json(std::string_view json_text, std::string name);

  // Reads and parses an encoder file; StorageError when it cannot be read.
  // Loads are cached per canonical path, so estimators can be created freely.
  static std::shared_ptr<const BpeEncoding> load_file(const std::filesystem::path& file, std::string name);

  // Where the table of `name` ("cl100k_base", …) is found, first hit wins:
  // `explicit_path` (a file, or a folder holding <name>.json), then
  // $CONTEXTWEAVER_TOKENIZER_DIR/<name>.json, then the build tree's copy
  // (compiled in), then <prefix>/share/contextweaver/tokenizer/<name>.json.
  // nullopt when none exists. An explicit path or environment folder that
  // lacks the file does not stop the search; it is reported by load().
  static std::optional<std::filesystem::path> find_table(
      std::string_view name, const std::optional<std::filesystem::path>& explicit_path = std::nullopt);

  // find_table + load_file. StorageError naming every place searched when the
  // table is nowhere.
  static std::shared_ptr<const BpeEncoding> load(
      std::string_view name, const std::optional<std::filesystem::path>& explicit_path = std::nullopt);

  ~BpeEncoding();
  BpeEncoding(const BpeEncoding&) = delete;
  BpeEncoding& operator=(const BpeEncoding&) = delete;

  const std::string& name() const { return name_; }
  PretokenPattern pattern() const { return pattern_; }

  // tiktoken's encode_ordinary: special-token strings are ordinary text.
  // Ill-formed UTF-8 is first replaced as bytes.decode(errors="replace")
  // would (a JS or Python caller can only pass well-formed text).
  std::vector<TokenId> encode_ordinary(std::string_view text) const;

  // tiktoken's encode(text, allowed_special="all"): special-token strings
  // become their special ids, the rest is encoded as by encode_ordinary.
  std::vector<TokenId> encode_with_special_tokens(std::string_view text) const;

  // encode_ordinary(text).size(), without building the vector.
  std::size_t count(std::string_view text) const;

  // The bytes of the tokens, concatenated (special ids give their text).
  // ValueError on an id that is neither a token nor a special token.
  std::string decode(std::span<const TokenId> tokens) const;

  // Number of ordinary tokens (special tokens excluded).
  std::size_t vocab_size() const;
  const std::vector<std::pair<std::string, TokenId>>& special_tokens() const { return special_; }

 private:
  BpeEncoding();
  template <class Sink>
  void encode_pieces(std::string_view text, Sink& sink) const;

  std::string name_;
  PretokenPattern pattern_ = PretokenPattern::cl100k;
  std::unique_ptr<tokens_detail::RankTable> table_;
  std::vector<std::pair<std::string, TokenId>> special_;
};

}  // namespace contextweaver
