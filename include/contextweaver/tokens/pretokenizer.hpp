// Pre-tokenization: the regex split tiktoken applies before byte-pair merging.
//
// A hand-written matcher for the two patterns below, with the leftmost-first,
// greedy-with-backtracking semantics of the regex engine inside tiktoken and
// the Unicode 16.0 classes of its Rust regex crate (\s = White_Space, so
// U+0085 is whitespace and U+180E, U+FEFF are not). Hand-written rather than a
// regex library so that it runs at hundreds of MB/s and its Unicode tables are
// exactly the oracle's (PCRE2 10.42 has Unicode 14 and a \s that includes U+180E).
//
// cl100k_base:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// o200k_base:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace contextweaver {

enum class PretokenPattern { cl100k, o200k };

// The pattern whose tiktoken pat_str is exactly `pat_str`, or nullopt.
std::optional<PretokenPattern> pretoken_pattern_from_pat_str(std::string_view pat_str);

// tiktoken's pat_str for a pattern.
std::string_view pat_str(PretokenPattern pattern);

// Iterates the pieces of `text` in order. The pieces are views into `text`
// and concatenate to it exactly. Ill-formed UTF-8 is classified as U+FFFD
// (one per maximal subpart) and reported by saw_invalid_utf8(), so a caller
// that needs tiktoken's behaviour can re-run on the replaced text. A cursor:
// not thread-safe, one scanner per thread and text.
class PieceScanner {
 public:
  PieceScanner(PretokenPattern pattern, std::string_view text) : pattern_(pattern), text_(text) {}

  // Stores the next piece and returns true, or returns false at the end.
  bool next(std::string_view& piece);

  bool saw_invalid_utf8() const { return invalid_; }

 private:
  std::size_t match_cl100k(std::size_t pos);
  std::size_t match_o200k(std::size_t pos);

  PretokenPattern pattern_;
  std::string_view text_;
  std::size_t pos_ = 0;
  bool invalid_ = false;
};

// All pieces of `text` (convenience for tests and tools).
std::vector<std::string_view> pretokenize(PretokenPattern pattern, std::string_view text);

}  // namespace contextweaver
