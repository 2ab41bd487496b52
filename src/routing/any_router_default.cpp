// The default router behind the AnyRouter interface: DefaultRouter's flat
// ranking, answered in the reference's RouteResult shape (paths in the tree,
// ambiguity, clarifying question, trace) plus the refusal.
#include <algorithm>
#include <deque>
#include <unordered_map>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/any_router.hpp"

namespace contextweaver {

namespace {

const std::string kDefaultName = "default";

class DefaultAnyRouter final : public AnyRouter {
 public:
  DefaultAnyRouter(ChoiceGraph graph, DefaultRouter ranker, const AnyRouterOptions& options)
      : graph_(std::move(graph)), ranker_(std::move(ranker)), top_k_(options.top_k), gap_(options.confidence_gap) {
    if (!(gap_ >= 0.0 && gap_ <= 1.0)) {
      throw ConfigError("confidence_gap must be in [0.0, 1.0], got " + std::to_string(gap_));
    }
    if (top_k_ < 1) throw ConfigError("top_k must be at least 1, got " + std::to_string(top_k_));
    index_paths();
  }

  const std::string& name() const override { return kDefaultName; }
  const ChoiceGraph& graph() const override { return graph_; }

  AnyRouteResult route(std::string_view query, const RouteOptions& options) const override {
    if (ranker_.size() == 0) {
      throw RouteError("No items registered. Pass items to Router() or call set_items() before routing.");
    }
    RankOptions ro;
    ro.top_k = static_cast<std::size_t>(top_k_);
    static_cast<ItemFilter&>(ro) = options;  // the same filters
    ro.context_hints = options.context_hints;
    RankResult ranked = ranker_.rank(query, ro);

    AnyRouteResult out;
    RouteResult& r = out.result;
    for (const auto& c : ranked.candidates) {
      r.candidate_items.push_back(*ranker_.find(c.id));
      r.candidate_ids.push_back(c.id);
      r.scores.push_back(c.score);
      const auto p = paths_.find(c.id);
      r.paths.push_back(p == paths_.end() ? std::vector<std::string>{c.id} : p->second);
    }
    // The reference's gap rule, on scores relative to the best (BM25F scores
    // have no fixed scale, so an absolute gap would mean nothing).
    r.is_ambiguous = r.scores.size() >= 2 && r.scores[0] > 0.0 && (r.scores[0] - r.scores[1]) / r.scores[0] < gap_;
    if (r.is_ambiguous) {
      std::vector<const SelectableItem*> pool;
      for (std::size_t i = 0; i < std::min<std::size_t>(3, r.candidate_items.size()); ++i) {
        pool.push_back(&r.candidate_items[i]);
      }
      r.clarifying_question = suggest_clarifying_question(query, pool);
    }
    r.excluded_count = ranked.excluded_count;
    r.gated_count = ranked.gated_count;
    r.context_hints = ranked.context_hints;
    r.context_boost_applied = !ranked.context_hints.empty();

    RouteTrace& t = r.trace;
    t.query = std::string(query);
    t.confidence_gap = gap_;
    t.top_score = r.scores.empty() ? 0.0 : r.scores[0];
    if (r.scores.size() >= 2) t.runner_up_score = r.scores[1];
    t.is_ambiguous = r.is_ambiguous;
    t.excluded_count = r.excluded_count;
    t.gated_count = r.gated_count;
    t.retriever_engine = "default";
    t.clarifying_question = r.clarifying_question;
    if (options.debug) {
      // One flat step: every tool is scored at once, the returned ones kept.
      TraceStep step;
      step.node = graph_.root_id();
      for (std::size_t i = 0; i < r.candidate_ids.size(); ++i)
        step.scored_children.emplace_back(r.candidate_ids[i], r.scores[i]);
      step.kept = r.candidate_ids;
      t.steps.push_back(std::move(step));
    }
    Json hints = Json::array();
    for (const auto& h : r.context_hints) hints.push_back(h);
    t.extra["context_hints"] = hints;
    t.extra["context_boost_applied"] = r.context_boost_applied;
    t.extra["refused"] = ranked.refused;
    if (ranked.refused) t.extra["refusal_reason"] = ranked.refusal_reason;
    t.extra["confidence"] = ranked.confidence;
    t.extra["product_mentioned"] = ranked.product_mentioned;

    out.refused = ranked.refused;
    out.refusal_reason = std::move(ranked.refusal_reason);
    out.confidence = ranked.confidence;
    out.matches = std::move(ranked.candidates);
    return out;
  }

 private:
  // The first path (breadth first, children sorted) from the root to every
  // item, without the root, as the reference's RouteResult::paths.
  void index_paths() {
    const std::string& root = graph_.root_id();
    if (root.empty() || !graph_.has_node(root)) return;
    std::unordered_map<std::string, std::string> parent;
    std::deque<std::string> queue{root};
    parent.emplace(root, std::string());
    while (!queue.empty()) {
      const std::string v = std::move(queue.front());
      queue.pop_front();
      for (const auto& c : graph_.successors(v)) {
        if (parent.emplace(c, v).second) queue.push_back(c);
      }
    }
    for (const auto& item : graph_.items()) {
      if (!parent.count(item)) continue;
      std::vector<std::string> path;
      for (std::string v = item; v != root; v = parent.at(v)) path.push_back(v);
      std::reverse(path.begin(), path.end());
      paths_.emplace(item, std::move(path));
    }
  }

  ChoiceGraph graph_;
  DefaultRouter ranker_;
  std::int64_t top_k_;
  double gap_;
  std::unordered_map<std::string, std::vector<std::string>> paths_;
};

}  // namespace

std::unique_ptr<AnyRouter> make_router(ChoiceGraph graph, DefaultRouter router, const AnyRouterOptions& options) {
  return std::make_unique<DefaultAnyRouter>(std::move(graph), std::move(router), options);
}

}  // namespace contextweaver
