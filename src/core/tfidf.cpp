#include "contextweaver/core/tfidf.hpp"

#include <algorithm>
#include <cmath>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/text_terms.hpp"

namespace contextweaver {

void TfIdfScorer::fit(const std::vector<std::string>& corpus) {
  TokenVocabulary vocab;
  docs_.assign(corpus.size(), {});
  std::vector<std::uint32_t> df;
  for (std::size_t d = 0; d < corpus.size(); ++d) {
    vocab.token_ids(corpus[d], docs_[d]);
    std::sort(docs_[d].begin(), docs_[d].end());  // token_ids gives first-occurrence order
    if (df.size() < vocab.size()) df.resize(vocab.size(), 0);
    for (const std::uint32_t t : docs_[d]) ++df[t];
  }
  const double n = static_cast<double>(docs_.size());
  idf_.assign(df.size(), 0.0);
  id_.clear();
  for (std::uint32_t t = 0; t < df.size(); ++t) {
    if (df[t] == 0) continue;
    idf_[t] = std::log((1.0 + n) / (1.0 + static_cast<double>(df[t]))) + 1.0;
    id_.emplace(std::string(vocab.token(t)), t);
  }
  default_idf_ = std::log(1.0 + n) + 1.0;
}

TfIdfScorer::Query TfIdfScorer::resolve(const std::vector<std::string>& query_tokens) const {
  Query q;
  for (const auto& token : query_tokens) {  // sorted, as the reference iterates
    const auto it = id_.find(token);
    q.ids.push_back(it == id_.end() ? -1 : static_cast<std::int64_t>(it->second));
    q.idf.push_back(it == id_.end() ? default_idf_ : idf_[it->second]);
  }
  return q;
}

TfIdfScorer::Query TfIdfScorer::prepare(std::string_view query) const {
  return resolve(tokenize(query));
}

double TfIdfScorer::score(const Query& query, std::size_t index) const {
  const auto& doc = docs_[index];
  if (query.ids.empty() || doc.empty()) return 0.0;
  const double inverse_total = 1.0 / static_cast<double>(doc.size());
  double s = 0.0;
  for (std::size_t k = 0; k < query.ids.size(); ++k) {
    const std::int64_t id = query.ids[k];
    const bool present = id >= 0 && std::binary_search(doc.begin(), doc.end(), static_cast<std::uint32_t>(id));
    s += (present ? inverse_total : 0.0 * inverse_total) * query.idf[k];
  }
  return s;
}

double TfIdfScorer::score_tokens(const std::vector<std::string>& query_tokens, std::size_t index) const {
  if (index >= docs_.size()) throw ValueError("TfIdfScorer::score: document index out of range");
  return score(resolve(query_tokens), index);
}

double TfIdfScorer::score(std::string_view query, std::size_t index) const {
  if (index >= docs_.size()) throw ValueError("TfIdfScorer::score: document index out of range");
  return score(prepare(query), index);
}

std::vector<double> TfIdfScorer::score_all(std::string_view query) const {
  const Query q = prepare(query);
  std::vector<double> scores(docs_.size(), 0.0);
  for (std::size_t i = 0; i < docs_.size(); ++i) scores[i] = score(q, i);
  return scores;
}

}  // namespace contextweaver
