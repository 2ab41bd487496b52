#include "contextweaver/routing/retriever.hpp"

#include <algorithm>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

Retriever::QueryScorer Retriever::prepare(std::string_view query) const {
  return [this, q = std::string(query)](std::size_t index) { return score_one(q, index); };
}

std::vector<std::pair<std::size_t, double>> Retriever::search(std::string_view query, std::int64_t top_k) const {
  const QueryScorer scorer = prepare(query);
  std::vector<std::pair<std::size_t, double>> out;
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) out.emplace_back(i, scorer(i));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  out.resize(std::min<std::size_t>(out.size(), static_cast<std::size_t>(std::max<std::int64_t>(0, top_k))));
  return out;
}

void TfIdfRetriever::fit(const std::vector<std::string>& corpus) {
  auto index = std::make_shared<TfIdfScorer>();
  index->fit(corpus);
  index_ = std::move(index);
}

std::size_t TfIdfRetriever::size() const {
  return index_ ? index_->size() : 0;
}

double TfIdfRetriever::score_one(std::string_view query, std::size_t index) const {
  if (index >= size()) return 0.0;
  return index_->score(index_->prepare(query), index);
}

Retriever::QueryScorer TfIdfRetriever::prepare(std::string_view query) const {
  if (!index_) return [](std::size_t) { return 0.0; };
  return [index = index_, q = index_->prepare(query)](std::size_t i) {
    return i < index->size() ? index->score(q, i) : 0.0;
  };
}

void BM25Retriever::fit(const std::vector<std::string>& corpus) {
  scorer_.fit(corpus);
}

double BM25Retriever::score_one(std::string_view query, std::size_t index) const {
  if (index >= scorer_.size()) return 0.0;
  return scorer_.score(query, index);
}

Retriever::QueryScorer BM25Retriever::prepare(std::string_view query) const {
  return [this, prepared = scorer_.prepare(query)](std::size_t index) {
    return index < scorer_.size() ? scorer_.score_prepared(prepared, index) : 0.0;
  };
}

void FuzzyRetriever::fit(const std::vector<std::string>& corpus) {
  scorer_.fit(corpus);
}

double FuzzyRetriever::score_one(std::string_view query, std::size_t index) const {
  if (index >= scorer_.size()) return 0.0;
  return scorer_.score(query, index);
}

Retriever::QueryScorer FuzzyRetriever::prepare(std::string_view query) const {
  return [this, prepared = scorer_.prepare(query)](std::size_t index) {
    return index < scorer_.size() ? scorer_.score_prepared(prepared, index) : 0.0;
  };
}

std::shared_ptr<Retriever> make_retriever(std::string_view backend) {
  if (backend == "tfidf") return std::make_shared<TfIdfRetriever>();
  if (backend == "bm25") return std::make_shared<BM25Retriever>();
  if (backend == "fuzzy") return std::make_shared<FuzzyRetriever>();
  throw ConfigError("Unknown scorer_backend " + py_repr(backend) + "; valid options: ['bm25', 'fuzzy', 'tfidf']");
}

}  // namespace contextweaver
