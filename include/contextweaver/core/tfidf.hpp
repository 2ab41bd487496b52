// The reference's TfIdfScorer (_utils.py), used by the episodic store and the
// routing engine. Scores are bit-identical to the reference: binary document
// term frequency, idf = ln((1+N)/(1+df)) + 1, summed over the sorted query
// tokens in that order.
#pragma once

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

  // score() with the query already tokenized (tokenize(query): sorted, unique),
  // so a caller scoring many documents tokenizes once. ValueError for an index
  // outside the corpus.
  double score_tokens(const std::vector<std::string>& query_tokens, std::size_t index) const;

 private:
  std::vector<std::vector<std::string>> docs_;  // sorted unique tokens per document
  std::unordered_map<std::string, double> idf_;
  double default_idf_ = 1.0;
};

}  // namespace contextweaver
