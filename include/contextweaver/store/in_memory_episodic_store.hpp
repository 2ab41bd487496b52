// InMemoryEpisodicStore: episodes kept in process memory, searched by TF-IDF.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/tfidf.hpp"
#include "contextweaver/store/episodic_store.hpp"

namespace contextweaver {

// Episodes in insertion order (ids need not be unique). search() refits the
// TF-IDF scorer lazily after adds and deletes, so its ranking is the
// reference's bit for bit. Internally synchronized.
class InMemoryEpisodicStore final : public EpisodicStore {
 public:
  InMemoryEpisodicStore() = default;

  void add(const Episode& episode) override;
  std::optional<Episode> get(const std::string& episode_id) const override;
  std::vector<Episode> search(const std::string& query, std::int64_t top_k = 5) const override;
  std::vector<Episode> all() const override;
  std::vector<EpisodeSummary> latest(std::int64_t n = 3) const override;
  void delete_(const std::string& episode_id) override;

  // {"episodes": [episode.to_dict() ...]} in insertion order.
  Json to_dict() const;
  // A store holding data["episodes"] (absent -> empty), added in order.
  // Throws what Episode::from_dict throws; TypeError when "episodes" is not a list.
  static std::unique_ptr<InMemoryEpisodicStore> from_dict(const Json& data);

 private:
  mutable std::shared_mutex mutex_;
  std::vector<Episode> episodes_;
  // The lazily refitted scorer: guarded by fit_mutex_ while the shared lock is held.
  mutable std::mutex fit_mutex_;
  mutable TfIdfScorer scorer_;
  mutable bool dirty_ = true;
};

}  // namespace contextweaver
