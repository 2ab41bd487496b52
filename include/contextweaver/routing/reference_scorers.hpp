// The reference's BM25 and fuzzy scorers (_utils.BM25Scorer over
// rank_bm25.BM25Okapi, _utils.FuzzyScorer over rapidfuzz token_set_ratio),
// behind ReferenceRouter's "bm25" and "fuzzy" backends. Plain BM25 over one
// text per node: the default router's fielded BM25F is its own
// (default_router.cpp over field_index.hpp). The reference's TF-IDF is core's
// TfIdfScorer. Scores are bit-identical to the reference.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace contextweaver {

// BM25Okapi (k1 1.5, b 0.75, epsilon 0.25) over tokenize_list tokens.
// Thread-safety (both scorers): const members may run concurrently; fit()
// needs exclusive access.
class BM25Scorer {
 public:
  explicit BM25Scorer(double k1 = 1.5, double b = 0.75, double epsilon = 0.25);

  // Fits on an ordered corpus; replaces any earlier fit. An empty corpus (or
  // one without any token) scores 0.0 everywhere.
  void fit(const std::vector<std::string>& corpus);

  // Score of document `index` for `query`, summing over the query tokens in
  // order with duplicates. KeyError for an index outside the corpus.
  double score(std::string_view query, std::size_t index) const;

  // Query tokens resolved against the vocabulary once, to score many documents.
  struct Prepared {
    std::vector<std::int64_t> terms;  // term id per query token (-1 = unseen), in query order
  };
  Prepared prepare(std::string_view query) const;
  double score_prepared(const Prepared& query, std::size_t index) const;

  std::size_t size() const { return doc_len_.size(); }

 private:
  double k1_, b_, epsilon_;
  bool degenerate_ = true;                               // empty corpus or no tokens at all: every score is 0.0
  std::unordered_map<std::string, std::int64_t> vocab_;  // term -> id, first-appearance order
  std::vector<double> idf_;                              // by term id
  std::vector<std::vector<std::pair<std::int64_t, double>>> doc_tf_;  // per doc: (term id, count), sorted by id
  std::vector<double> doc_len_;
  double avgdl_ = 0.0;
};

// rapidfuzz.fuzz.token_set_ratio(a, b) with no processor, in [0, 100]:
// whitespace-split token sets, Indel similarity of the sorted differences.
double token_set_ratio(std::string_view a, std::string_view b);

// token_set_ratio(query, doc) / 100 on the raw strings (case and punctuation kept).
class FuzzyScorer {
 public:
  void fit(const std::vector<std::string>& corpus);
  // 0.0 for an empty query; KeyError for an index outside the corpus.
  double score(std::string_view query, std::size_t index) const;
  std::size_t size() const { return docs_.size(); }

  // The query split once, to score many documents.
  struct Prepared {
    bool empty_query = true;
    std::vector<std::u32string> tokens;  // sorted unique whitespace tokens
  };
  Prepared prepare(std::string_view query) const;
  double score_prepared(const Prepared& query, std::size_t index) const;

 private:
  std::vector<std::vector<std::u32string>> docs_;  // sorted unique whitespace tokens per document
};

}  // namespace contextweaver
