#include "contextweaver/routing/reference_router.hpp"

#include <algorithm>
#include <unordered_map>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/item_filter.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/registry.hpp"
#include "graph_access.hpp"

namespace contextweaver {

// The graph and corpus in integer form, built once per item set. Node
// indices follow sorted node ids, so comparing indices compares ids.
struct ReferenceRouter::Index {
  std::vector<std::string_view> ids;    // views of graph_'s ids (the router never changes graph_)
  std::vector<std::vector<int>> kids;   // sorted successors
  std::vector<int> item_of;             // node -> index in items_, or -1
  std::vector<std::size_t> doc;         // node -> corpus position
  std::vector<char> eligible_all;       // ancestor of some registered item
  std::vector<std::vector<int>> preds;  // reverse edges
  std::vector<int> node_of_item;        // item -> node, or -1
  int root = -1;
};

namespace {

struct Beam {
  double score;
  std::vector<int> path;  // from the root
};

struct Pending {
  double score;
  int node;
  std::vector<int> path;
};

struct Hit {
  double score;
  std::vector<int> path;  // root excluded
};

std::vector<int> tail(const std::vector<int>& path) {
  return {path.begin() + (path.empty() ? 0 : 1), path.end()};
}

// Python's seq[:n] length for a sequence of `size` (negative n counts from the end).
std::size_t py_prefix_len(std::size_t size, std::int64_t n) {
  return py_slice(size, std::nullopt, n).end;
}

}  // namespace

ReferenceRouter::ReferenceRouter(ChoiceGraph graph, std::vector<SelectableItem> items, ReferenceRouterOptions options)
    : graph_(std::move(graph)),
      beam_width_(options.beam_width),
      max_depth_(options.max_depth),
      top_k_(options.top_k),
      confidence_gap_(options.confidence_gap) {
  if (options.routing_config) {
    beam_width_ = options.routing_config->beam_width;
    max_depth_ = options.routing_config->max_depth;
    top_k_ = options.routing_config->top_k;
    confidence_gap_ = options.routing_config->confidence_gap;
  }
  if (!(confidence_gap_ >= 0.0 && confidence_gap_ <= 1.0)) {
    throw ConfigError("confidence_gap must be in [0.0, 1.0], got " + float_repr(confidence_gap_));
  }
  if (options.retriever) {
    retriever_ = std::move(options.retriever);
  } else if (options.scorer_backend != "tfidf") {
    retriever_ = make_retriever(options.scorer_backend);
  } else {
    // The registry's default retriever (TfIdfRetriever unless re-registered).
    const EngineRegistry& registry = options.engine_registry ? *options.engine_registry : default_registry();
    retriever_ = registry.resolve_retriever();
  }
  engine_name_ = retriever_->name();  // the real backend's name (docs/compat.md, "Routing")
  set_items(std::move(items));
}

ReferenceRouter::~ReferenceRouter() = default;

void ReferenceRouter::set_items(std::vector<SelectableItem> items) {
  std::vector<SelectableItem> unique;
  std::unordered_map<std::string, std::size_t> position;
  for (auto& item : items) {
    const auto it = position.find(item.id);
    if (it != position.end()) {
      unique[it->second] = std::move(item);  // a later duplicate wins, keeping the first position
    } else {
      position.emplace(item.id, unique.size());
      unique.push_back(std::move(item));
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  items_ = std::move(unique);
  index_.reset();
}

void ReferenceRouter::ensure_index() const {
  index();
}

std::shared_ptr<const ReferenceRouter::Index> ReferenceRouter::index() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (index_) return index_;
  auto idx = std::make_shared<Index>();
  GraphBuildAccess::Snapshot snap = GraphBuildAccess::snapshot(graph_);
  idx->ids = std::move(snap.ids);
  idx->kids = std::move(snap.kids);
  const std::size_t n = idx->ids.size();
  idx->preds.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const int c : idx->kids[i]) idx->preds[static_cast<std::size_t>(c)].push_back(static_cast<int>(i));
  idx->root = GraphBuildAccess::position_of(graph_, snap, graph_.root_id());

  // Corpus: registered items by id, then the other nodes by id.
  std::vector<std::size_t> by_id(items_.size());
  for (std::size_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(), [&](std::size_t a, std::size_t b) { return items_[a].id < items_[b].id; });
  std::vector<std::string> corpus;
  corpus.reserve(items_.size() + n);
  idx->item_of.assign(n, -1);
  idx->node_of_item.assign(items_.size(), -1);
  idx->doc.assign(n, 0);
  for (const std::size_t i : by_id) {
    const int v = GraphBuildAccess::position_of(graph_, snap, items_[i].id);
    if (v >= 0) {
      idx->item_of[static_cast<std::size_t>(v)] = static_cast<int>(i);
      idx->node_of_item[i] = v;
      idx->doc[static_cast<std::size_t>(v)] = corpus.size();
    }
    corpus.push_back(item_text(items_[i]));
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (idx->item_of[v] >= 0) continue;
    idx->doc[v] = corpus.size();
    corpus.push_back(std::move(snap.texts[v]));
  }
  retriever_->fit(corpus);

  // Every ancestor of a registered item: what eligible() means when no filter applies.
  idx->eligible_all.assign(n, 0);
  std::vector<int> stack;
  for (const int v : idx->node_of_item)
    if (v >= 0) stack.push_back(v);
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    for (const int p : idx->preds[static_cast<std::size_t>(v)]) {
      if (!idx->eligible_all[static_cast<std::size_t>(p)]) {
        idx->eligible_all[static_cast<std::size_t>(p)] = 1;
        stack.push_back(p);
      }
    }
  }
  index_ = std::move(idx);
  return index_;
}

// One route() call, in stages: eligibility under the filters, the beam
// search, backtracking over the best leftovers, and the ranked result.
class ReferenceRouter::Search {
 public:
  Search(const ReferenceRouter& router, const Index& idx, const RouteOptions& options)
      : router_(router), idx_(idx), options_(options), internal_ok_(&idx.eligible_all) {}

  RouteResult run(std::string_view query) {
    if (!options_.passes_all()) apply_filters();
    scorer_ = router_.retriever_->prepare(scoring_query(query));
    beam_search();
    backtrack();
    rank(query);
    fill_trace(query);
    return std::move(result_);
  }

 private:
  // An item node that passes the filters.
  bool is_active(int v) const {
    const int item = idx_.item_of[static_cast<std::size_t>(v)];
    return item >= 0 && (active_item_.empty() || active_item_[static_cast<std::size_t>(item)]);
  }
  // An active item, or an internal node above one.
  bool eligible(int v) const {
    return idx_.item_of[static_cast<std::size_t>(v)] >= 0 ? is_active(v)
                                                          : (*internal_ok_)[static_cast<std::size_t>(v)] != 0;
  }
  double score_node(int v) const { return scorer_(idx_.doc[static_cast<std::size_t>(v)]); }
  void collect(int v, double score, std::vector<int> path) {
    if (is_active(v) && !collected_.count(v)) collected_.emplace(v, Hit{score, std::move(path)});
  }

  // Filters, first matching rule wins; the internal nodes left eligible are
  // the ancestors of the items kept.
  void apply_filters() {
    const std::vector<SelectableItem>& items = router_.items_;
    FilteredItems filtered = filter_items(options_, items);
    result_.excluded_count = filtered.excluded_count;
    result_.gated_count = filtered.gated_count;
    active_item_ = std::move(filtered.kept);
    eligible_internal_.assign(idx_.ids.size(), 0);
    std::vector<int> stack;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (active_item_[i] && idx_.node_of_item[i] >= 0) stack.push_back(idx_.node_of_item[i]);
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      for (const int p : idx_.preds[static_cast<std::size_t>(v)]) {
        if (!eligible_internal_[static_cast<std::size_t>(p)]) {
          eligible_internal_[static_cast<std::size_t>(p)] = 1;
          stack.push_back(p);
        }
      }
    }
    internal_ok_ = &eligible_internal_;
  }

  // Hints extend only the scoring query.
  std::string scoring_query(std::string_view query) {
    std::string out(query);
    for (const auto& hint : options_.context_hints) {
      const std::string_view stripped = py_strip(hint);
      if (!stripped.empty()) result_.context_hints.emplace_back(stripped);
    }
    if (!result_.context_hints.empty()) {
      out += ' ';
      for (std::size_t i = 0; i < result_.context_hints.size(); ++i) {
        if (i > 0) out += ' ';
        out += result_.context_hints[i];
      }
    }
    result_.context_boost_applied = !result_.context_hints.empty() && out != query;
    return out;
  }

  // Beam search (docs/routing.md): at each depth every beam node's eligible
  // children are scored; the best beam_width (one more when the top two are
  // within confidence_gap) go on, the others wait in unexplored_.
  void beam_search() {
    std::vector<Beam> beam{{0.0, {idx_.root}}};
    for (std::int64_t depth = 0; depth < router_.max_depth_; ++depth) {
      if (beam.empty()) break;
      std::vector<Beam> next;
      for (const Beam& b : beam) expand(b, depth, next);
      std::stable_sort(next.begin(), next.end(), [](const Beam& x, const Beam& y) {
        return x.score != y.score ? x.score > y.score : x.path.back() < y.path.back();
      });
      next.resize(py_prefix_len(next.size(), router_.beam_width_));  // the overflow is dropped, as in the reference
      beam = std::move(next);
    }
    for (const Beam& b : beam) collect(b.path.back(), b.score, tail(b.path));
  }

  void expand(const Beam& b, std::int64_t depth, std::vector<Beam>& next) {
    const int v = b.path.back();
    const auto& kids = idx_.kids[static_cast<std::size_t>(v)];
    if (kids.empty()) {
      collect(v, b.score, tail(b.path));
      return;
    }
    std::vector<std::pair<double, int>> scored;
    for (const int c : kids)
      if (eligible(c)) scored.emplace_back(score_node(c), c);
    std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    const std::int64_t keep =
        router_.beam_width_ +
        ((scored.size() >= 2 && scored[0].first - scored[1].first < router_.confidence_gap_) ? 1 : 0);
    for (std::size_t i = 0; i < scored.size(); ++i) {
      const auto [s, c] = scored[i];
      std::vector<int> path = b.path;
      path.push_back(c);
      if (static_cast<std::int64_t>(i) < keep) {
        if (idx_.item_of[static_cast<std::size_t>(c)] >= 0) {
          collect(c, b.score + s, tail(path));
        } else {
          next.push_back({b.score + s, std::move(path)});
        }
      } else {
        unexplored_.push_back({b.score + s, c, std::move(path)});
      }
    }
    if (options_.debug) record_step(v, depth, scored, keep);
  }

  void record_step(int v, std::int64_t depth, const std::vector<std::pair<double, int>>& scored, std::int64_t keep) {
    TraceStep step;
    step.depth = depth;
    step.node = std::string(idx_.ids[static_cast<std::size_t>(v)]);
    for (std::size_t i = 0; i < scored.size(); ++i) {
      step.scored_children.emplace_back(idx_.ids[static_cast<std::size_t>(scored[i].second)], scored[i].first);
      if (static_cast<std::int64_t>(i) < keep)
        step.kept.emplace_back(idx_.ids[static_cast<std::size_t>(scored[i].second)]);
    }
    steps_.push_back(std::move(step));
  }

  // Backtracking over the best leftovers until top_k are collected.
  void backtrack() {
    std::stable_sort(unexplored_.begin(), unexplored_.end(), [](const Pending& x, const Pending& y) {
      return x.score != y.score ? x.score > y.score : x.node < y.node;
    });
    for (std::size_t u = 0; u < unexplored_.size() && static_cast<std::int64_t>(collected_.size()) < router_.top_k_;
         ++u) {
      const Pending& p = unexplored_[u];
      if (collected_.count(p.node)) continue;
      if (is_active(p.node)) {
        collected_.emplace(p.node, Hit{p.score, tail(p.path)});
        continue;
      }
      for (auto& [v, hit] : expand_subtree(p)) collect(v, hit.score, std::move(hit.path));
    }
  }

  // The reference's expand_subtree: DFS without a beam, down to max_depth;
  // the result keeps first-insertion order.
  std::vector<std::pair<int, Hit>> expand_subtree(const Pending& p) const {
    const std::int64_t limit =
        std::max<std::int64_t>(0, router_.max_depth_ - (static_cast<std::int64_t>(p.path.size()) - 1));
    std::vector<std::pair<int, Hit>> found;
    std::unordered_map<int, std::size_t> found_at;
    const auto put = [&](int v, double s, std::vector<int> path) {
      const auto it = found_at.find(v);
      if (it != found_at.end()) {
        found[it->second].second = Hit{s, std::move(path)};
      } else {
        found_at.emplace(v, found.size());
        found.emplace_back(v, Hit{s, std::move(path)});
      }
    };
    struct Frame {
      double score;
      int node;
      std::vector<int> path;
      std::int64_t depth;
    };
    std::vector<Frame> stack{{p.score, p.node, p.path, 0}};
    while (!stack.empty()) {
      Frame f = std::move(stack.back());
      stack.pop_back();
      const auto& kids = idx_.kids[static_cast<std::size_t>(f.node)];
      if (kids.empty() || f.depth >= limit) {
        if (is_active(f.node)) put(f.node, f.score, tail(f.path));
        continue;
      }
      for (const int c : kids) {
        if (!eligible(c)) continue;
        const double sc = score_node(c);
        std::vector<int> path = f.path;
        path.push_back(c);
        if (idx_.item_of[static_cast<std::size_t>(c)] >= 0) {
          put(c, f.score + sc, tail(path));
        } else {
          stack.push_back({f.score + sc, c, std::move(path), f.depth + 1});
        }
      }
    }
    return found;
  }

  const SelectableItem& item_at(int v) const {
    return router_.items_[static_cast<std::size_t>(idx_.item_of[static_cast<std::size_t>(v)])];
  }

  // Ranks the collected items; ambiguity is judged on the untrimmed list.
  void rank(std::string_view query) {
    ranked_.reserve(collected_.size());
    for (const auto& [v, hit] : collected_)
      if (is_active(v)) ranked_.emplace_back(v, &hit);
    std::sort(ranked_.begin(), ranked_.end(), [](const auto& x, const auto& y) {
      return x.second->score != y.second->score ? x.second->score > y.second->score : x.first < y.first;
    });
    result_.is_ambiguous =
        ranked_.size() >= 2 && ranked_[0].second->score - ranked_[1].second->score < router_.confidence_gap_;
    if (result_.is_ambiguous) {
      std::vector<const SelectableItem*> pool;
      for (std::size_t i = 0; i < std::min<std::size_t>(3, ranked_.size()); ++i)
        pool.push_back(&item_at(ranked_[i].first));
      result_.clarifying_question = suggest_clarifying_question(query, pool);
    }
    const std::size_t top = py_prefix_len(ranked_.size(), router_.top_k_);
    for (std::size_t i = 0; i < top; ++i) {
      const auto& [v, hit] = ranked_[i];
      result_.candidate_items.push_back(item_at(v));
      result_.candidate_ids.emplace_back(idx_.ids[static_cast<std::size_t>(v)]);
      std::vector<std::string> path;
      for (const int node : hit->path) path.emplace_back(idx_.ids[static_cast<std::size_t>(node)]);
      result_.paths.push_back(std::move(path));
      result_.scores.push_back(hit->score);
    }
  }

  void fill_trace(std::string_view query) {
    RouteTrace& trace = result_.trace;
    trace.query = std::string(query);
    trace.confidence_gap = router_.confidence_gap_;
    trace.top_score = ranked_.empty() ? 0.0 : ranked_[0].second->score;
    if (ranked_.size() >= 2) trace.runner_up_score = ranked_[1].second->score;
    trace.is_ambiguous = result_.is_ambiguous;
    trace.excluded_count = result_.excluded_count;
    trace.gated_count = result_.gated_count;
    trace.retriever_engine = router_.engine_name_;
    trace.steps = std::move(steps_);
    trace.clarifying_question = result_.clarifying_question;
    Json hints = Json::array();
    for (const auto& h : result_.context_hints) hints.push_back(h);
    trace.extra["context_hints"] = hints;
    trace.extra["context_boost_applied"] = result_.context_boost_applied;
  }

  const ReferenceRouter& router_;
  const Index& idx_;
  const RouteOptions& options_;
  RouteResult result_;
  std::vector<char> active_item_;  // by item; empty when no filter applies
  std::vector<char> eligible_internal_;
  const std::vector<char>* internal_ok_;  // eligible_internal_, or the index's eligible_all
  Retriever::QueryScorer scorer_;
  std::unordered_map<int, Hit> collected_;
  std::vector<Pending> unexplored_;
  std::vector<TraceStep> steps_;
  std::vector<std::pair<int, const Hit*>> ranked_;
};

RouteResult ReferenceRouter::route(std::string_view query, const RouteOptions& options) const {
  if (items_.empty()) {
    throw RouteError("No items registered. Pass items to Router() or call set_items() before routing.");
  }
  if (!graph_.has_node(graph_.root_id())) {
    throw RouteError("Root node " + py_repr(graph_.root_id()) + " not in graph.");
  }
  const std::shared_ptr<const Index> idx = index();
  return Search(*this, *idx, options).run(query);
}

}  // namespace contextweaver
