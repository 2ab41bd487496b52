#include "contextweaver/routing/tree_builder.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/tokenize.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/registry.hpp"
#include "routing/graph_access.hpp"

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
    std::unordered_map<std::string, std::uint32_t> vocab;
    tokens_.resize(items.size());
    token_ids_.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      tokens_[i] = tokenize(item_text(items[i]));
      for (const auto& t : tokens_[i]) {
        token_ids_[i].push_back(vocab.emplace(t, static_cast<std::uint32_t>(vocab.size())).first->second);
      }
      std::sort(token_ids_[i].begin(), token_ids_[i].end());
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
    std::stable_sort(members.begin(), members.end(),
                     [&](std::size_t a, std::size_t b) { return items_[a].id < items_[b].id; });
  }

  std::pair<std::string, std::string> label_group(const Members& members) const {
    std::vector<const SelectableItem*> ptrs;
    std::vector<const std::vector<std::string>*> tokens;
    ptrs.reserve(members.size());
    tokens.reserve(members.size());
    for (const std::size_t i : members) {
      ptrs.push_back(&items_[i]);
      tokens.push_back(&tokens_[i]);
    }
    return labeler_.label_group(ptrs, tokens);
  }

  std::optional<Groups> namespace_grouping(const Members& members) const {
    const auto with_ns =
        std::count_if(members.begin(), members.end(), [&](std::size_t i) { return !items_[i].namespace_.empty(); });
    if (static_cast<double>(with_ns) < static_cast<double>(members.size()) * 0.5) return std::nullopt;
    Members sorted = members;
    sort_by_id(sorted);
    Groups groups;
    for (const std::size_t i : sorted) {
      const std::string& ns = items_[i].namespace_;
      groups[ns.empty() ? "_other" : ns.substr(0, ns.find('.'))].push_back(i);
    }
    if (groups.size() < 2) return std::nullopt;
    if (result_size(groups) > m_) return std::nullopt;  // decided before building the sub-groups
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
    std::vector<const SelectableItem*> ptrs;
    ptrs.reserve(n);
    for (const std::size_t i : members) ptrs.push_back(&items_[i]);
    Clusters raw;
    if (jaccard_ != nullptr) {
      std::vector<const std::vector<std::uint32_t>*> ids;
      ids.reserve(n);
      for (const std::size_t i : members) ids.push_back(&token_ids_[i]);
      raw = jaccard_->cluster_tokens(ptrs, ids, static_cast<std::int64_t>(k));
    } else {
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
        g.push_back(members[j]);
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

  // Merges the last two entries (in key order) until at most m_ remain.
  void coalesce(Groups& groups) const {
    std::vector<std::pair<std::string, Members>> entries(groups.begin(), groups.end());
    while (entries.size() > m_) {
      auto [k1, v1] = std::move(entries.back());
      entries.pop_back();
      auto [k2, v2] = std::move(entries.back());
      entries.pop_back();
      v2.insert(v2.end(), v1.begin(), v1.end());
      entries.emplace_back(k2 + "+" + k1, std::move(v2));
    }
    groups.clear();
    for (auto& [k, v] : entries) groups[k] = std::move(v);
  }

  const std::vector<SelectableItem>& items_;
  std::size_t m_;
  std::size_t target_;
  const KeywordLabeler& labeler_;
  const ClusteringEngine& clustering_;
  const JaccardClusteringEngine* jaccard_;
  ChoiceGraph& graph_;
  std::vector<std::vector<std::string>> tokens_;
  std::vector<std::vector<std::uint32_t>> token_ids_;
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
      GraphManifest::for_build(items, "auto", max_depth, std::nullopt, std::move(engines), std::move(extra), 0.0);
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
