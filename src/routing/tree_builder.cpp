#include "contextweaver/routing/tree_builder.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/registry.hpp"
#include "graph_access.hpp"

namespace contextweaver {
namespace {

using Members = std::vector<std::size_t>;       // indices into the build's items
using Groups = std::map<std::string, Members>;  // sorted by key, as sorted(dict.items())

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

// name[0].upper() (ASCII letters fold; other code points are kept as they are).
std::string first_upper(const std::string& name) {
  if (name.empty()) return "?";
  std::size_t pos = 0;
  decode_code_point(name, pos);
  std::string first = name.substr(0, pos);
  if (first.size() == 1 && first[0] >= 'a' && first[0] <= 'z') first[0] = static_cast<char>(first[0] - 32);
  return first;
}

// One build: items, their token sets (computed once) and the graph.
class Build {
 public:
  Build(const std::vector<SelectableItem>& items, std::int64_t max_children, std::int64_t target_group_size,
        const KeywordLabeler& labeler, const ClusteringEngine& clustering, ChoiceGraph& graph)
      : items_(items),
        m_(static_cast<std::size_t>(max_children)),
        target_(static_cast<std::size_t>(target_group_size)),
        labeler_(labeler),
        clustering_(clustering),
        jaccard_(dynamic_cast<const JaccardClusteringEngine*>(&clustering)),
        graph_(graph) {
    // Token sets as interned ids, computed once per build; vocab_ keeps their texts.
    token_ids_.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) vocab_.token_ids(item_text(items[i]), token_ids_[i]);
    counts_.assign(vocab_.size(), 0);
    // rank_[i]: position of items[i]'s id among the distinct ids, so that a
    // stable sort by rank is a stable sort by id without string compares.
    std::vector<std::size_t> by_id(items.size());
    for (std::size_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
    std::stable_sort(by_id.begin(), by_id.end(),
                     [&](std::size_t a, std::size_t b) { return items[a].id < items[b].id; });
    rank_.resize(items.size());
    std::uint32_t r = 0;
    for (std::size_t j = 0; j < by_id.size(); ++j) {
      if (j > 0 && items[by_id[j]].id != items[by_id[j - 1]].id) ++r;
      rank_[by_id[j]] = r;
    }
  }

  // `parent_rec` is the parent's interned handle; ids are hashed once, not per edge.
  void subtree(const std::string& parent, int parent_rec, Members members, int depth) {
    if (depth > TreeBuilder::kMaxTreeDepth) {
      throw GraphBuildError("Tree would be deeper than " + std::to_string(TreeBuilder::kMaxTreeDepth) +
                            " levels; raise max_children");
    }
    if (members.size() <= m_) {
      sort_by_id(members);
      for (const std::size_t i : members) {
        const int child = GraphBuildAccess::ensure_node(graph_, items_[i].id, "", "");
        GraphBuildAccess::link(graph_, parent_rec, child);
      }
      return;
    }
    std::optional<Groups> groups = namespace_grouping(members);
    if (!groups) groups = clustering(members);
    if (!groups) groups = alphabetical(members, "");
    if (groups->size() > m_) coalesce(*groups);
    for (auto& [key, group] : *groups) {
      const std::string node_id = parent + "/" + key;
      const auto [label, hint] = label_group(group);
      const int child = GraphBuildAccess::ensure_node(graph_, node_id, label, hint);
      GraphBuildAccess::link(graph_, parent_rec, child);
      subtree(node_id, child, std::move(group), depth + 1);
    }
  }

 private:
  void sort_by_id(Members& members) const {
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) { return rank_[a] < rank_[b]; });
  }

  // Counts, per interned token, how many members hold it (dense counters,
  // reset through the touched list), then labels from those counts.
  std::pair<std::string, std::string> label_group(const Members& members) {
    std::vector<const SelectableItem*> ptrs;
    ptrs.reserve(members.size());
    std::vector<std::uint32_t> touched;
    for (const std::size_t i : members) {
      ptrs.push_back(&items_[i]);
      for (const std::uint32_t t : token_ids_[i])
        if (counts_[t]++ == 0) touched.push_back(t);
    }
    std::vector<std::pair<std::string_view, std::int64_t>> freq;
    freq.reserve(touched.size());
    for (const std::uint32_t t : touched) {
      freq.emplace_back(vocab_.token(t), counts_[t]);
      counts_[t] = 0;
    }
    return labeler_.label_group_counted(ptrs, std::move(freq));
  }

  std::optional<Groups> namespace_grouping(const Members& members) const {
    const auto with_ns =
        std::count_if(members.begin(), members.end(), [&](std::size_t i) { return !items_[i].namespace_.empty(); });
    if (static_cast<double>(with_ns) < static_cast<double>(members.size()) * 0.5) return std::nullopt;
    // Grouped in the members' order first: the group count and result_size do
    // not depend on order, and most large groupings are rejected there.
    Groups groups;
    for (const std::size_t i : members) {
      const std::string& ns = items_[i].namespace_;
      groups[ns.empty() ? "_other" : ns.substr(0, ns.find('.'))].push_back(i);
    }
    if (groups.size() < 2) return std::nullopt;
    if (result_size(groups) > m_) return std::nullopt;    // decided before building the sub-groups
    for (auto& entry : groups) sort_by_id(entry.second);  // as grouping the id-sorted members
    Groups result;
    for (auto& [key, group] : groups) {
      if (group.size() > m_) {
        for (auto& [sub_key, sub] : split_next(group, key)) result[sub_key] = std::move(sub);
      } else {
        result[key] = std::move(group);
      }
    }
    if (result.size() > m_) return std::nullopt;
    return result;
  }

  // len(result) of namespace_grouping without building it: keys of different
  // groups never collide (R1), and an alphabetical split yields exactly its chunk count.
  std::size_t result_size(const Groups& groups) const {
    std::size_t total = 0;
    for (const auto& [key, group] : groups) {
      if (group.size() <= m_) {
        ++total;
        continue;
      }
      std::unordered_set<std::string_view> segments;
      for (const std::size_t i : group) segments.insert(next_segment(items_[i].namespace_, key));
      total += segments.size() >= 2 ? segments.size() : (group.size() + m_ - 1) / m_;
    }
    return total;
  }

  static std::string_view next_segment(const std::string& ns, const std::string& prefix) {
    std::string_view rest = std::string_view(ns).substr(std::min(prefix.size(), ns.size()));
    while (!rest.empty() && rest.front() == '.') rest.remove_prefix(1);
    return rest.empty() ? std::string_view("_leaf") : rest.substr(0, rest.find('.'));
  }

  Groups split_next(Members group, const std::string& prefix) const {
    sort_by_id(group);
    Groups sub;
    for (const std::size_t i : group) {
      const std::string& ns = items_[i].namespace_;
      sub[prefix + "." + std::string(next_segment(ns, prefix))].push_back(i);
    }
    // R1: the alphabetical keys are prefixed so namespaces cannot collide.
    if (sub.size() < 2) return alphabetical(group, prefix + ".");
    return sub;
  }

  std::optional<Groups> clustering(const Members& members) const {
    const std::size_t n = members.size();
    const std::size_t k = std::min(std::max<std::size_t>(2, (n + target_ - 1) / target_), m_);
    Clusters raw;
    Members sorted;
    const Members* base = &members;  // what the engine's indices refer to
    if (jaccard_ != nullptr) {
      // Members in id order (rank sort), so the engine can skip its string sort.
      sorted = members;
      sort_by_id(sorted);
      base = &sorted;
      std::vector<const SelectableItem*> ptrs;
      std::vector<const std::vector<std::uint32_t>*> ids;
      ptrs.reserve(n);
      ids.reserve(n);
      for (const std::size_t i : sorted) {
        ptrs.push_back(&items_[i]);
        ids.push_back(&token_ids_[i]);
      }
      raw = jaccard_->cluster_tokens(ptrs, ids, static_cast<std::int64_t>(k), true);
    } else {
      std::vector<const SelectableItem*> ptrs;
      ptrs.reserve(n);
      for (const std::size_t i : members) ptrs.push_back(&items_[i]);
      raw = clustering_.cluster(ptrs, static_cast<std::int64_t>(k));
    }
    if (raw.empty()) return std::nullopt;
    std::stable_sort(raw.begin(), raw.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Groups groups;
    std::size_t counter = 0;
    const auto add = [&](Members g) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "cluster_%03zu", counter++);
      groups[buf] = std::move(g);
    };
    for (const auto& [label, indices] : raw) {
      if (indices.empty()) continue;
      Members g;
      g.reserve(indices.size());
      for (const std::size_t j : indices) {
        if (j >= n) throw GraphBuildError("Clustering engine returned an index out of range: " + std::to_string(j));
        g.push_back((*base)[j]);
      }
      if (g.size() > m_) {
        for (auto& chunk : chunk_list(g)) add(std::move(chunk));
      } else {
        add(std::move(g));
      }
    }
    if (groups.size() < 2) return std::nullopt;
    return groups;
  }

  Groups alphabetical(Members members, const std::string& key_prefix) const {
    std::vector<std::pair<std::string, std::size_t>> keyed;
    keyed.reserve(members.size());
    for (const std::size_t i : members) keyed.emplace_back(ascii_lower(items_[i].name), i);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t j = 0; j < keyed.size(); ++j) members[j] = keyed[j].second;
    std::map<std::string, Members> labelled;  // labels before prefixing, for the _1, _2 suffixes
    std::vector<std::string> order;
    for (auto& chunk : chunk_list(members)) {
      const std::string first = first_upper(items_[chunk.front()].name);
      const std::string last = first_upper(items_[chunk.back()].name);
      const std::string base = first != last ? first + "-" + last : first;
      std::string label = base;
      for (int counter = 1; labelled.count(label); ++counter) label = base + "_" + std::to_string(counter);
      labelled[label] = std::move(chunk);
    }
    Groups out;
    for (auto& [label, chunk] : labelled) out[key_prefix + label] = std::move(chunk);
    return out;
  }

  std::vector<Members> chunk_list(const Members& members) const {
    const std::size_t n = members.size();
    const std::size_t k = std::max<std::size_t>(1, (n + m_ - 1) / m_);
    const std::size_t base = n / k;
    const std::size_t rem = n % k;
    std::vector<Members> chunks;
    std::size_t start = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t size = base + (i < rem ? 1 : 0);
      chunks.emplace_back(members.begin() + static_cast<std::ptrdiff_t>(start),
                          members.begin() + static_cast<std::ptrdiff_t>(start + size));
      start += size;
    }
    return chunks;
  }

  // Merges the last two entries (in key order) until at most m_ remain. The
  // repeated pop-two-push-one of the reference leaves entries m_-1, m_, … as
  // one entry whose key joins theirs with "+" and whose members are theirs in
  // order; built here in one pass instead of re-copying the growing tail.
  void coalesce(Groups& groups) const {
    if (groups.size() <= m_) return;
    auto it = groups.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(m_ - 1));
    std::string key;
    Members merged;
    for (auto j = it; j != groups.end(); ++j) {
      if (j != it) key += '+';
      key += j->first;
      merged.insert(merged.end(), j->second.begin(), j->second.end());
    }
    groups.erase(it, groups.end());
    groups[key] = std::move(merged);
  }

  const std::vector<SelectableItem>& items_;
  std::size_t m_;
  std::size_t target_;
  const KeywordLabeler& labeler_;
  const ClusteringEngine& clustering_;
  const JaccardClusteringEngine* jaccard_;
  ChoiceGraph& graph_;
  TokenVocabulary vocab_;
  std::vector<std::vector<std::uint32_t>> token_ids_;  // unique token ids per item
  std::vector<std::uint32_t> counts_;                  // label_group scratch, all 0 between calls
  std::vector<std::uint32_t> rank_;                    // dense rank of each item's id
};

}  // namespace

TreeBuilder::TreeBuilder(TreeBuilderOptions options)
    : max_children_(options.routing_config ? options.routing_config->max_children : options.max_children),
      target_group_size_(0),
      labeler_(options.labeler),
      clustering_(std::move(options.clustering)) {
  if (max_children_ < 2) throw GraphBuildError("max_children must be >= 2, got " + std::to_string(max_children_));
  if (options.target_group_size && *options.target_group_size < 1) {
    throw GraphBuildError("target_group_size must be >= 1, got " + std::to_string(*options.target_group_size));
  }
  target_group_size_ = options.target_group_size ? *options.target_group_size : max_children_;
  if (!clustering_) {
    const EngineRegistry& registry = options.engine_registry ? *options.engine_registry : default_registry();
    clustering_ = registry.resolve_clustering();
  }
}

ChoiceGraph TreeBuilder::build(const std::vector<SelectableItem>& items, bool use_cache) {
  if (items.empty()) throw GraphBuildError("Cannot build tree from empty item list.");
  std::string catalog_hash;
  if (use_cache) {
    catalog_hash = compute_catalog_hash(items);
    const auto it = cache_.find(catalog_hash);
    if (it != cache_.end()) return it->second;
  }
  ChoiceGraph graph(max_children_);
  const int root = GraphBuildAccess::ensure_node(graph, "root", "root", "All available tools");
  for (const auto& item : items) graph.add_item(item.id);
  Build build(items, max_children_, target_group_size_, labeler_, *clustering_, graph);
  Members all(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) all[i] = i;
  build.subtree("root", root, std::move(all), 0);

  const std::int64_t max_depth = graph.stats().max_depth;
  Json engines = Json::object();
  engines["tree_builder"] = "1.0";
  engines["labeler"] = "keyword-1.0";
  Json extra = Json::object();
  extra["max_children"] = max_children_;
  const GraphManifest manifest =
      GraphManifest::for_build(items, "auto", max_depth, std::nullopt, std::move(engines), std::move(extra), 0.0,
                               use_cache ? std::optional<std::string>(catalog_hash) : std::nullopt);
  Json meta = Json::object();
  meta["version"] = "1.0";
  meta["strategy"] = "auto";
  meta["item_count"] = static_cast<std::int64_t>(items.size());
  meta["max_depth"] = max_depth;
  meta["manifest"] = manifest.to_dict();
  graph.set_build_meta(std::move(meta));
  if (use_cache) cache_.insert_or_assign(catalog_hash, graph);
  return graph;
}

}  // namespace contextweaver
