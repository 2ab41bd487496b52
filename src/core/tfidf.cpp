#include "contextweaver/core/tfidf.hpp"

#include <algorithm>
#include <cmath>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/text_terms.hpp"

namespace contextweaver {

void TfIdfScorer::fit(const std::vector<std::string>& corpus) {
  docs_.clear();
  idf_.clear();
  docs_.reserve(corpus.size());
  std::unordered_map<std::string, std::size_t> df;
  for (const auto& doc : corpus) {
    docs_.push_back(tokenize(doc));
    for (const auto& token : docs_.back()) ++df[token];
  }
  const double n = static_cast<double>(docs_.size());
  for (const auto& [token, count] : df) {
    idf_[token] = std::log((1.0 + n) / (1.0 + static_cast<double>(count))) + 1.0;
  }
  default_idf_ = std::log(1.0 + n) + 1.0;
}

double TfIdfScorer::score_tokens(const std::vector<std::string>& query_tokens, std::size_t index) const {
  if (index >= docs_.size()) throw ValueError("TfIdfScorer::score: document index out of range");
  const auto& doc = docs_[index];
  if (query_tokens.empty() || doc.empty()) return 0.0;
  const double inverse_total = 1.0 / static_cast<double>(doc.size());
  double s = 0.0;
  for (const auto& token : query_tokens) {  // sorted, as the reference iterates
    const bool present = std::binary_search(doc.begin(), doc.end(), token);
    const auto it = idf_.find(token);
    const double idf = it == idf_.end() ? default_idf_ : it->second;
    s += (present ? inverse_total : 0.0 * inverse_total) * idf;
  }
  return s;
}

double TfIdfScorer::score(std::string_view query, std::size_t index) const {
  return score_tokens(tokenize(query), index);
}

std::vector<double> TfIdfScorer::score_all(std::string_view query) const {
  const std::vector<std::string> tokens = tokenize(query);
  std::vector<double> scores(docs_.size(), 0.0);
  for (std::size_t i = 0; i < docs_.size(); ++i) scores[i] = score_tokens(tokens, i);
  return scores;
}

}  // namespace contextweaver
