// Rerankers (protocols.Reranker and registry.NoOpReranker): a second pass
// over a router's (id, score) candidates. The engine registry's "reranker"
// slot holds them; the router itself does not call one (as in the reference).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace contextweaver {

using ScoredIds = std::vector<std::pair<std::string, double>>;

// Thread-safety: rerank() is const and may run concurrently unless an
// implementation says otherwise; NoOpReranker holds no state.
class Reranker {
 public:
  virtual ~Reranker() = default;
  // Returns the candidates re-ordered (and possibly re-scored) for `query`,
  // as a new list; the input is not modified.
  virtual ScoredIds rerank(std::string_view query, const ScoredIds& candidates) const = 0;
};

// The default "identity" reranker: a copy of the candidates, order unchanged.
class NoOpReranker final : public Reranker {
 public:
  ScoredIds rerank(std::string_view /*query*/, const ScoredIds& candidates) const override { return candidates; }
};

}  // namespace contextweaver
