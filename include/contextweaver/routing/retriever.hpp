// Retrieval backends behind the router (protocols.Retriever and the
// reference's scorer adapters): fit once on the node corpus, then score
// (query, document) pairs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contextweaver/core/tfidf.hpp"
#include "contextweaver/routing/reference_scorers.hpp"

namespace contextweaver {

// Thread-safety (every retriever here): score_one(), prepare(), search() and
// size() may run concurrently; fit() needs exclusive access, as it replaces
// the fitted corpus.
class Retriever {
 public:
  virtual ~Retriever() = default;

  // Fits on an ordered corpus (document i = index i); replaces any earlier fit.
  virtual void fit(const std::vector<std::string>& corpus) = 0;

  // Score of document `index` for `query`; 0.0 when the index is out of
  // range or the retriever is not fitted (never throws for those).
  virtual double score_one(std::string_view query, std::size_t index) const = 0;

  // A scorer for one query over many documents. Backends override it to do
  // the per-query work (tokenizing, vocabulary look-ups) once; the default
  // calls score_one. Results equal score_one's.
  using QueryScorer = std::function<double(std::size_t)>;
  virtual QueryScorer prepare(std::string_view query) const;

  // Every document as (index, score), sorted by score descending then index,
  // cut to max(0, top_k).
  virtual std::vector<std::pair<std::size_t, double>> search(std::string_view query, std::int64_t top_k) const;

  // Number of fitted documents.
  virtual std::size_t size() const = 0;

  // The engine name reported in route traces ("tfidf", "bm25", "fuzzy", …).
  virtual std::string name() const = 0;
};

// The default backend: core's TfIdfScorer (the reference's TF-IDF).
class TfIdfRetriever final : public Retriever {
 public:
  void fit(const std::vector<std::string>& corpus) override;
  double score_one(std::string_view query, std::size_t index) const override;
  QueryScorer prepare(std::string_view query) const override;
  std::size_t size() const override;
  std::string name() const override { return "tfidf"; }

 private:
  std::shared_ptr<const TfIdfScorer> index_;  // replaced whole by fit()
};

class BM25Retriever final : public Retriever {
 public:
  void fit(const std::vector<std::string>& corpus) override;
  double score_one(std::string_view query, std::size_t index) const override;
  QueryScorer prepare(std::string_view query) const override;
  std::size_t size() const override { return scorer_.size(); }
  std::string name() const override { return "bm25"; }

 private:
  BM25Scorer scorer_;
};

class FuzzyRetriever final : public Retriever {
 public:
  void fit(const std::vector<std::string>& corpus) override;
  double score_one(std::string_view query, std::size_t index) const override;
  QueryScorer prepare(std::string_view query) const override;
  std::size_t size() const override { return scorer_.size(); }
  std::string name() const override { return "fuzzy"; }

 private:
  FuzzyScorer scorer_;
};

// The backend for a ReferenceRouter scorer_backend name: "tfidf", "bm25" or "fuzzy".
// ConfigError "Unknown scorer_backend 'x'; valid options: ['bm25', 'fuzzy', 'tfidf']" otherwise.
std::shared_ptr<Retriever> make_retriever(std::string_view backend);

}  // namespace contextweaver
