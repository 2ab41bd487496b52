#include "contextweaver/store/in_memory_episodic_store.hpp"

#include <algorithm>
#include <numeric>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

constexpr const char* kLogger = "contextweaver.store";

}  // namespace

void InMemoryEpisodicStore::add(const Episode& episode) {
  {
    std::unique_lock lock(mutex_);
    episodes_.push_back(episode);
    dirty_ = true;
  }
  CW_LOG_DEBUG(kLogger, "episodic_store.add: id=" + episode.episode_id);
}

std::optional<Episode> InMemoryEpisodicStore::get(const std::string& episode_id) const {
  std::shared_lock lock(mutex_);
  for (const auto& ep : episodes_) {
    if (ep.episode_id == episode_id) return ep;
  }
  return std::nullopt;
}

std::vector<Episode> InMemoryEpisodicStore::search(const std::string& query, std::int64_t top_k) const {
  std::shared_lock lock(mutex_);
  if (episodes_.empty()) return {};
  std::vector<double> scores;
  {
    std::lock_guard fit(fit_mutex_);
    if (dirty_) {
      std::vector<std::string> corpus;
      corpus.reserve(episodes_.size());
      for (const auto& ep : episodes_) corpus.push_back(ep.summary);
      scorer_.fit(corpus);
      dirty_ = false;
    }
    scores = scorer_.score_all(query);
  }
  if (std::all_of(scores.begin(), scores.end(), [](double s) { return s == 0.0; })) {
    // The reference's Jaccard fallback (it can only produce zeros too).
    const auto q = tokenize(query);
    for (std::size_t i = 0; i < episodes_.size(); ++i) scores[i] = jaccard(q, tokenize(episodes_[i].summary));
  }
  std::vector<std::size_t> order(episodes_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  const SliceRange r = py_slice(order.size(), 0, top_k);
  std::vector<Episode> out;
  out.reserve(r.end - r.begin);
  for (std::size_t i = r.begin; i < r.end; ++i) out.push_back(episodes_[order[i]]);
  CW_LOG_DEBUG(kLogger, "episodic_store.search: query_len=" + std::to_string(code_point_count(query)) +
                            ", results=" + std::to_string(out.size()));
  return out;
}

std::vector<Episode> InMemoryEpisodicStore::all() const {
  std::shared_lock lock(mutex_);
  return episodes_;
}

std::vector<EpisodeSummary> InMemoryEpisodicStore::latest(std::int64_t n) const {
  if (n <= 0) return {};
  std::shared_lock lock(mutex_);
  const std::size_t take = std::min(episodes_.size(), static_cast<std::size_t>(n));
  std::vector<EpisodeSummary> out;
  out.reserve(take);
  for (std::size_t i = 0; i < take; ++i) {
    const Episode& ep = episodes_[episodes_.size() - 1 - i];
    out.push_back(EpisodeSummary{ep.episode_id, ep.summary, ep.metadata});
  }
  return out;
}

void InMemoryEpisodicStore::delete_(const std::string& episode_id) {
  std::unique_lock lock(mutex_);
  const auto it =
      std::find_if(episodes_.begin(), episodes_.end(), [&](const Episode& ep) { return ep.episode_id == episode_id; });
  if (it == episodes_.end()) throw ItemNotFoundError("Episode not found: " + py_repr(episode_id));
  episodes_.erase(it);
  dirty_ = true;
}

Json InMemoryEpisodicStore::to_dict() const {
  Json episodes = Json::array();
  for (const auto& ep : all()) episodes.push_back(ep.to_dict());
  Json out = Json::object();
  out["episodes"] = std::move(episodes);
  return out;
}

std::unique_ptr<InMemoryEpisodicStore> InMemoryEpisodicStore::from_dict(const Json& data) {
  if (!data.is_object()) {
    throw TypeError("InMemoryEpisodicStore.from_dict expects a dict, not '" + std::string(py_type_name(data)) + "'");
  }
  auto store = std::make_unique<InMemoryEpisodicStore>();
  const auto it = data.find("episodes");
  if (it == data.end()) return store;
  if (!it->is_array()) {
    throw TypeError("InMemoryEpisodicStore.from_dict: 'episodes' must be a list, not '" +
                    std::string(py_type_name(*it)) + "'");
  }
  for (const auto& entry : *it) store->add(Episode::from_dict(entry));
  return store;
}

}  // namespace contextweaver
