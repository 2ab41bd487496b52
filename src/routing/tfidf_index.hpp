// TF-IDF over interned token ids: the arithmetic of core's TfIdfScorer
// (binary tf, idf = ln((1+N)/(1+df)) + 1, summed over the sorted query tokens
// in that order, so scores are bit-identical), with documents stored as id
// vectors so that fitting a 10,000-document corpus does not build a string
// per token.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contextweaver/core/text_terms.hpp"

namespace contextweaver {

class TfIdfIndex {
 public:
  // Fits on an ordered corpus (document i = corpus[i]).
  void fit(const std::vector<std::string>& corpus);
  std::size_t size() const { return docs_.size(); }

  // A query's sorted unique tokens as (id or -1 when no document has it, idf).
  struct Query {
    std::vector<std::int64_t> ids;
    std::vector<double> idf;
  };
  Query prepare(std::string_view query) const;

  // TfIdfScorer::score of document `index` (in range) for the prepared query.
  double score(const Query& query, std::size_t index) const;

 private:
  TokenVocabulary vocab_;                                        // owns the token texts
  std::vector<std::vector<std::uint32_t>> docs_;                 // unique ids per document, ascending
  std::unordered_map<std::string_view, std::uint32_t> by_text_;  // tokens with df > 0
  std::vector<double> idf_;                                      // by id (df > 0 only)
  double default_idf_ = 1.0;
};

}  // namespace contextweaver
