#include "contextweaver/routing/router.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/registry.hpp"
#include "graph_access.hpp"

namespace contextweaver {

// The graph and corpus in integer form, built once per item set. Node
// indices follow sorted node ids, so comparing indices compares ids.
struct Router::Index {
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

Router::Router(ChoiceGraph graph, std::vector<SelectableItem> items, RouterOptions options)
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
  engine_name_ = retriever_->name();  // DECISIONS R4: the real backend's name
  set_items(std::move(items));
}

Router::~Router() = default;

void Router::set_items(std::vector<SelectableItem> items) {
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

void Router::ensure_index() const {
  index();
}

std::shared_ptr<const Router::Index> Router::index() const {
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

RouteResult Router::route(std::string_view query, const RouteOptions& options) const {
  if (items_.empty()) {
    throw RouteError("No items registered. Pass items to Router() or call set_items() before routing.");
  }
  if (!graph_.has_node(graph_.root_id())) {
    throw RouteError("Root node " + py_repr(graph_.root_id()) + " not in graph.");
  }
  const std::shared_ptr<const Index> idx_ptr = index();
  const Index& idx = *idx_ptr;

  // Filters, first matching rule wins.
  RouteResult result;
  const bool filtering = !options.exclude_ids.empty() || !options.exclude_tags.empty() ||
                         options.allowed_namespaces.has_value() || options.allowed_tags.has_value();
  std::vector<char> active_item;
  std::vector<char> eligible_internal;
  if (filtering) {
    const std::unordered_set<std::string> ex_ids(options.exclude_ids.begin(), options.exclude_ids.end());
    const std::unordered_set<std::string> ex_tags(options.exclude_tags.begin(), options.exclude_tags.end());
    std::unordered_set<std::string> allowed_ns, allowed_tags;
    if (options.allowed_namespaces)
      allowed_ns.insert(options.allowed_namespaces->begin(), options.allowed_namespaces->end());
    if (options.allowed_tags) allowed_tags.insert(options.allowed_tags->begin(), options.allowed_tags->end());
    const auto any_tag_in = [](const SelectableItem& item, const std::unordered_set<std::string>& set) {
      return std::any_of(item.tags.begin(), item.tags.end(), [&](const std::string& t) { return set.count(t) != 0; });
    };
    active_item.assign(items_.size(), 0);
    bool any = false;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const SelectableItem& item = items_[i];
      if ((!ex_ids.empty() && ex_ids.count(item.id)) || (!ex_tags.empty() && any_tag_in(item, ex_tags))) {
        ++result.excluded_count;
      } else if ((options.allowed_namespaces && !allowed_ns.count(item.namespace_)) ||
                 (options.allowed_tags && !any_tag_in(item, allowed_tags))) {
        ++result.gated_count;
      } else {
        active_item[i] = 1;
        any = true;
      }
    }
    if (!any) {
      throw RouteError(
          "All items were filtered out by exclude_ids / exclude_tags / allowed_namespaces / allowed_tags.");
    }
    eligible_internal.assign(idx.ids.size(), 0);
    std::vector<int> stack;
    for (std::size_t i = 0; i < items_.size(); ++i)
      if (active_item[i] && idx.node_of_item[i] >= 0) stack.push_back(idx.node_of_item[i]);
    while (!stack.empty()) {
      const int v = stack.back();
      stack.pop_back();
      for (const int p : idx.preds[static_cast<std::size_t>(v)]) {
        if (!eligible_internal[static_cast<std::size_t>(p)]) {
          eligible_internal[static_cast<std::size_t>(p)] = 1;
          stack.push_back(p);
        }
      }
    }
  }
  const std::vector<char>& internal_ok = filtering ? eligible_internal : idx.eligible_all;
  const auto is_active = [&](int v) {
    const int item = idx.item_of[static_cast<std::size_t>(v)];
    return item >= 0 && (!filtering || active_item[static_cast<std::size_t>(item)]);
  };
  const auto eligible = [&](int v) {
    return idx.item_of[static_cast<std::size_t>(v)] >= 0 ? is_active(v) : internal_ok[static_cast<std::size_t>(v)] != 0;
  };

  // Hints extend only the scoring query.
  std::string scoring_query(query);
  for (const auto& hint : options.context_hints) {
    const std::string_view stripped = py_strip(hint);
    if (!stripped.empty()) result.context_hints.emplace_back(stripped);
  }
  if (!result.context_hints.empty()) {
    scoring_query += ' ';
    for (std::size_t i = 0; i < result.context_hints.size(); ++i) {
      if (i > 0) scoring_query += ' ';
      scoring_query += result.context_hints[i];
    }
  }
  result.context_boost_applied = !result.context_hints.empty() && scoring_query != query;
  const Retriever::QueryScorer scorer = retriever_->prepare(scoring_query);
  const auto score_node = [&](int v) { return scorer(idx.doc[static_cast<std::size_t>(v)]); };

  // Beam search (routing.md §12.4).
  std::unordered_map<int, Hit> collected;
  std::vector<Pending> unexplored;
  std::vector<TraceStep> steps;
  std::vector<Beam> beam{{0.0, {idx.root}}};
  const auto collect = [&](int v, double score, std::vector<int> path) {
    if (is_active(v) && !collected.count(v)) collected.emplace(v, Hit{score, std::move(path)});
  };
  for (std::int64_t depth = 0; depth < max_depth_; ++depth) {
    if (beam.empty()) break;
    std::vector<Beam> next;
    for (const Beam& b : beam) {
      const int v = b.path.back();
      const auto& kids = idx.kids[static_cast<std::size_t>(v)];
      if (kids.empty()) {
        collect(v, b.score, tail(b.path));
        continue;
      }
      std::vector<std::pair<double, int>> scored;
      for (const int c : kids)
        if (eligible(c)) scored.emplace_back(score_node(c), c);
      std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      const std::int64_t keep =
          beam_width_ + ((scored.size() >= 2 && scored[0].first - scored[1].first < confidence_gap_) ? 1 : 0);
      for (std::size_t i = 0; i < scored.size(); ++i) {
        const auto [s, c] = scored[i];
        std::vector<int> path = b.path;
        path.push_back(c);
        if (static_cast<std::int64_t>(i) < keep) {
          if (idx.item_of[static_cast<std::size_t>(c)] >= 0) {
            collect(c, b.score + s, tail(path));
          } else {
            next.push_back({b.score + s, std::move(path)});
          }
        } else {
          unexplored.push_back({b.score + s, c, std::move(path)});
        }
      }
      if (options.debug) {
        TraceStep step;
        step.depth = depth;
        step.node = std::string(idx.ids[static_cast<std::size_t>(v)]);
        for (std::size_t i = 0; i < scored.size(); ++i) {
          step.scored_children.emplace_back(idx.ids[static_cast<std::size_t>(scored[i].second)], scored[i].first);
          if (static_cast<std::int64_t>(i) < keep)
            step.kept.emplace_back(idx.ids[static_cast<std::size_t>(scored[i].second)]);
        }
        steps.push_back(std::move(step));
      }
    }
    std::stable_sort(next.begin(), next.end(), [](const Beam& x, const Beam& y) {
      return x.score != y.score ? x.score > y.score : x.path.back() < y.path.back();
    });
    next.resize(py_prefix_len(next.size(), beam_width_));  // the overflow is dropped, as in the reference
    beam = std::move(next);
  }
  for (const Beam& b : beam) collect(b.path.back(), b.score, tail(b.path));

  // Backtracking over the best leftovers until top_k are collected.
  std::stable_sort(unexplored.begin(), unexplored.end(), [](const Pending& x, const Pending& y) {
    return x.score != y.score ? x.score > y.score : x.node < y.node;
  });
  for (std::size_t u = 0; u < unexplored.size() && static_cast<std::int64_t>(collected.size()) < top_k_; ++u) {
    const Pending& p = unexplored[u];
    if (collected.count(p.node)) continue;
    if (is_active(p.node)) {
      collected.emplace(p.node, Hit{p.score, tail(p.path)});
      continue;
    }
    const std::int64_t limit = std::max<std::int64_t>(0, max_depth_ - (static_cast<std::int64_t>(p.path.size()) - 1));
    // expand_subtree: DFS without a beam; result keeps first-insertion order.
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
      const auto& kids = idx.kids[static_cast<std::size_t>(f.node)];
      if (kids.empty() || f.depth >= limit) {
        if (is_active(f.node)) put(f.node, f.score, tail(f.path));
        continue;
      }
      for (const int c : kids) {
        if (!eligible(c)) continue;
        const double sc = score_node(c);
        std::vector<int> path = f.path;
        path.push_back(c);
        if (idx.item_of[static_cast<std::size_t>(c)] >= 0) {
          put(c, f.score + sc, tail(path));
        } else {
          stack.push_back({f.score + sc, c, std::move(path), f.depth + 1});
        }
      }
    }
    for (auto& [v, hit] : found) collect(v, hit.score, std::move(hit.path));
  }

  // Rank; ambiguity is judged on the untrimmed list.
  std::vector<std::pair<int, const Hit*>> ranked;
  ranked.reserve(collected.size());
  for (const auto& [v, hit] : collected)
    if (is_active(v)) ranked.emplace_back(v, &hit);
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    return x.second->score != y.second->score ? x.second->score > y.second->score : x.first < y.first;
  });
  result.is_ambiguous = ranked.size() >= 2 && ranked[0].second->score - ranked[1].second->score < confidence_gap_;
  if (result.is_ambiguous) {
    std::vector<const SelectableItem*> pool;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, ranked.size()); ++i) {
      pool.push_back(&items_[static_cast<std::size_t>(idx.item_of[static_cast<std::size_t>(ranked[i].first)])]);
    }
    result.clarifying_question = suggest_clarifying_question(query, pool);
  }
  const std::size_t top = py_prefix_len(ranked.size(), top_k_);
  for (std::size_t i = 0; i < top; ++i) {
    const auto& [v, hit] = ranked[i];
    result.candidate_items.push_back(items_[static_cast<std::size_t>(idx.item_of[static_cast<std::size_t>(v)])]);
    result.candidate_ids.emplace_back(idx.ids[static_cast<std::size_t>(v)]);
    std::vector<std::string> path;
    for (const int node : hit->path) path.emplace_back(idx.ids[static_cast<std::size_t>(node)]);
    result.paths.push_back(std::move(path));
    result.scores.push_back(hit->score);
  }

  RouteTrace& trace = result.trace;
  trace.query = std::string(query);
  trace.confidence_gap = confidence_gap_;
  trace.top_score = ranked.empty() ? 0.0 : ranked[0].second->score;
  if (ranked.size() >= 2) trace.runner_up_score = ranked[1].second->score;
  trace.is_ambiguous = result.is_ambiguous;
  trace.excluded_count = result.excluded_count;
  trace.gated_count = result.gated_count;
  trace.retriever_engine = engine_name_;
  trace.steps = std::move(steps);
  trace.clarifying_question = result.clarifying_question;
  Json hints = Json::array();
  for (const auto& h : result.context_hints) hints.push_back(h);
  trace.extra["context_hints"] = hints;
  trace.extra["context_boost_applied"] = result.context_boost_applied;
  return result;
}

std::optional<std::string> suggest_clarifying_question(std::string_view query,
                                                       const std::vector<const SelectableItem*>& pool) {
  if (pool.size() < 2) return std::nullopt;
  std::vector<std::string> namespaces;
  for (const auto* item : pool)
    if (!item->namespace_.empty()) namespaces.push_back(item->namespace_);
  std::sort(namespaces.begin(), namespaces.end());
  namespaces.erase(std::unique(namespaces.begin(), namespaces.end()), namespaces.end());
  if (namespaces.size() >= 2) {
    std::string out = "Did you mean ";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, namespaces.size()); ++i) {
      out.append(i ? ", " : "").append(py_repr(namespaces[i]));
    }
    return out + "? Multiple namespaces matched " + py_repr(query) + ".";
  }
  std::string out = "Multiple tools could handle " + py_repr(query) + ": ";
  for (std::size_t i = 0; i < std::min<std::size_t>(3, pool.size()); ++i)
    out.append(i ? ", " : "").append(py_repr(pool[i]->name));
  return out + ". Which did you mean?";
}

}  // namespace contextweaver
