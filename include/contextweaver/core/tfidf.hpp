// The reference's TfIdfScorer (_utils.py): the one TF-IDF of the project,
// used by the episodic stores and by the reference router's default backend
// (TfIdfRetriever). Scores are bit-identical to the reference: binary
// document term frequency, idf = ln((1+N)/(1+df)) + 1, summed over the sorted
// query tokens in that order. Documents are held as interned token ids, so
// fitting a 10,000-document corpus does not build a string per token.
//
// Thread-safety: const members may run concurrently; fit() needs exclusive
// access.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace contextweaver {

// Not thread-safe while fit() runs; between fits, the const methods may run
// concurrently (they only read).
class TfIdfScorer {
 public:
  // Fits on an ordered corpus; replaces any earlier fit.
  void fit(const std::vector<std::string>& corpus);

  // Score of document `index` for `query` (0.0 when either has no tokens).
  // Throws ValueError for an index outside the corpus.
  double score(std::string_view query, std::size_t index) const;

  // score() for every document, in corpus order; tokenizes the query once.
  std::vector<double> score_all(std::string_view query) const;

  std::size_t size() const { return docs_.size(); }

  // A query's sorted unique tokens resolved once, to score many documents:
  // per token, its id (-1 when no document has it) and idf.
  struct Query {
    std::vector<std::int64_t> ids;
    std::vector<double> idf;
  };
  Query prepare(std::string_view query) const;
  // score() of a prepared query; `index` must be in range.
  double score(const Query& query, std::size_t index) const;

  // score() with the query already tokenized (tokenize(query): sorted, unique),
  // so a caller scoring many documents tokenizes once. ValueError for an index
  // outside the corpus.
  double score_tokens(const std::vector<std::string>& query_tokens, std::size_t index) const;

 private:
  Query resolve(const std::vector<std::string>& query_tokens) const;

  std::vector<std::vector<std::uint32_t>> docs_;       // unique token ids per document, ascending
  std::unordered_map<std::string, std::uint32_t> id_;  // tokens with df > 0
  std::vector<double> idf_;                            // by id (df > 0 only)
  double default_idf_ = 1.0;
};

}  // namespace contextweaver
