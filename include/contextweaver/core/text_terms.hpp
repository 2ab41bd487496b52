// Text terms: the reference's lexical term splitter (_utils.tokenize_list /
// tokenize) and Jaccard similarity over term sets, shared by the episodic
// store, the context engine and the routing engine.
//
// "Tokenize" here is the reference's word: lowercased words and path pieces
// with stopwords dropped, compared as sets. It is not the model tokenizer:
// counting the tokens a prompt costs is the BPE encoder's job (the tokens
// module, contextweaver/tokens/), and the router's search-field analysis is
// the ranking analyzer's. The names tokenize / tokenize_list are kept because
// ported code and docs/ use them.
//
// One scanner serves both entry points: tokenize_list / tokenize return
// strings, TokenVocabulary returns interned integer ids of the same set (for
// batch work such as scoring and deduplicating thousands of items, where
// per-token strings and string comparisons dominated).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace contextweaver {

// The reference's 128 stopwords.
bool is_stopword(std::string_view token);

// Lowercase, split on runs outside [a-z0-9_./-], trim "./-" from each piece;
// a piece holding '.', '/' or '-' yields itself and its parts. Tokens shorter
// than 2 code points and stopwords are dropped. Occurrence order, duplicates kept.
std::vector<std::string> tokenize_list(std::string_view text);

// set(tokenize_list(text)), as a sorted vector of unique tokens.
std::vector<std::string> tokenize(std::string_view text);

// |a ∩ b| / |a ∪ b| over two sorted unique token vectors; 0.0 when both are empty.
double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b);

// The same over two ascending, unique id vectors from one TokenVocabulary
// (equal ids <=> equal tokens, so the value is identical); sort the output of
// TokenVocabulary::token_ids first.
double id_jaccard(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

// Interns tokens to dense ids (0, 1, … in order of first appearance) so that a
// batch of texts can be compared as integer sets. Not thread-safe; ids are only
// meaningful within one vocabulary.
class TokenVocabulary {
 public:
  TokenVocabulary();

  // Replaces `out` with the ids of tokenize(text) (the same set), each once,
  // in order of first occurrence in the text (not sorted). Reuses internal
  // buffers: no allocation per token.
  void token_ids(std::string_view text, std::vector<std::uint32_t>& out);
  std::vector<std::uint32_t> token_ids(std::string_view text);

  // Number of ids handed out so far (ids are < size()); also counts pieces
  // interned only to remember that they are dropped (stopwords).
  std::size_t size() const { return entries_.size(); }
  // The token of an id.
  std::string_view token(std::uint32_t id) const {
    return std::string_view(chars_).substr(entries_[id].offset, entries_[id].length);
  }

 private:
  struct Entry {
    std::uint64_t head;  // first 8 bytes, zero-padded
    std::uint32_t offset;
    std::uint32_t length;
    std::uint32_t hash;
    std::uint32_t seen;  // stamp of the last token_ids call that took it
    bool kept;           // a token (not a stopword)
  };
  std::uint32_t intern(std::string_view piece);  // the id, with entries_[id].kept
  // Appends a new entry for `piece` (hash h, first word head) at free slot `slot`.
  std::uint32_t add_entry(std::string_view piece, std::uint32_t h, std::uint64_t head, std::size_t slot);
  void grow();

  std::string chars_;           // the entries' bytes, then slack (see add_entry)
  std::size_t chars_used_ = 0;  // bytes of chars_ holding entries
  std::vector<Entry> entries_;
  std::vector<std::uint64_t> slots_;  // hash << 32 | (id + 1), 0 = empty; power-of-two size
  std::uint32_t stamp_ = 0;
  std::string lowered_;  // scratch
};

}  // namespace contextweaver
