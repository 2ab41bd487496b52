// EpisodicStore: summaries of past episodes, searchable by text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// One row of latest(): (episode_id, summary, metadata).
struct EpisodeSummary {
  std::string episode_id;
  std::string summary;
  Json metadata = Json::object();
  bool operator==(const EpisodeSummary&) const = default;
};

// Implementations (InMemoryEpisodicStore, SqliteEpisodicStore) are internally
// synchronized: any method may be called from any thread (docs/storage.md,
// "Threading and processes").
class EpisodicStore {
 public:
  virtual ~EpisodicStore() = default;

  // Appends; ids need not be unique (as in the reference).
  virtual void add(const Episode& episode) = 0;

  // The first episode (insertion order) with this id, or nullopt (no error).
  virtual std::optional<Episode> get(const std::string& episode_id) const = 0;

  // The reference's TF-IDF ranking: most relevant first, ties in insertion
  // order; top_k follows Python slice rules.
  virtual std::vector<Episode> search(const std::string& query, std::int64_t top_k = 5) const = 0;

  // Every episode, in insertion order.
  virtual std::vector<Episode> all() const = 0;

  // The last n episodes, most recent first; n <= 0 -> empty.
  virtual std::vector<EpisodeSummary> latest(std::int64_t n = 3) const = 0;

  // Removes the first episode with this id; ItemNotFoundError ("Episode not found: 'x'").
  virtual void delete_(const std::string& episode_id) = 0;
};

}  // namespace contextweaver
