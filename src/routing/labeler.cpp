#include "contextweaver/routing/labeler.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <unordered_map>

#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/routing/catalog.hpp"

namespace contextweaver {
namespace {

struct Category {
  std::string_view name;
  std::array<std::string_view, 8> keywords;  // unused slots are ""
};

// The reference's categories, in alphabetical order (ties go to the first).
constexpr std::array<Category, 8> kCategories = {{
    {"agent", {"agent", "plan", "delegate", "skill", "orchestrate", "route"}},
    {"auth", {"auth", "login", "token", "permission", "credential", "oauth", "key"}},
    {"communication", {"send", "notify", "email", "message", "post", "webhook", "slack"}},
    {"compute", {"calculate", "compute", "math", "transform", "process", "run", "execute"}},
    {"data", {"read", "write", "fetch", "query", "database", "file", "storage", "data"}},
    {"ml", {"model", "predict", "infer", "embed", "classify", "train", "llm", "ai"}},
    {"monitoring", {"monitor", "alert", "metric", "log", "trace", "health", "status"}},
    {"search", {"search", "find", "lookup", "retrieve", "index", "browse"}},
}};

}  // namespace

KeywordLabeler::KeywordLabeler(std::int64_t top_k, double namespace_threshold)
    : top_k_(top_k), namespace_threshold_(namespace_threshold) {}

std::pair<std::string, std::string> KeywordLabeler::label(const SelectableItem& item) const {
  const std::vector<std::string> tokens = tokenize(item_text(item));
  if (tokens.empty()) return {"general", "none"};
  std::string_view best;
  double best_score = 0.0;
  for (const auto& category : kCategories) {
    std::size_t hits = 0;
    for (const auto& keyword : category.keywords) {
      if (!keyword.empty() && std::binary_search(tokens.begin(), tokens.end(), keyword)) ++hits;
    }
    const double score = static_cast<double>(hits) / static_cast<double>(tokens.size());
    if (score > best_score) {
      best_score = score;
      best = category.name;
    }
  }
  if (best_score >= 0.5) return {std::string(best), "high"};
  if (best_score >= 0.2) return {std::string(best), "medium"};
  if (best_score > 0.0) return {std::string(best), "low"};
  return {"general", "none"};
}

std::pair<std::string, std::string> KeywordLabeler::label_group(const std::vector<SelectableItem>& items) const {
  std::vector<std::vector<std::string>> tokens;
  tokens.reserve(items.size());
  std::vector<const SelectableItem*> ptrs;
  std::vector<const std::vector<std::string>*> token_ptrs;
  for (const auto& item : items) tokens.push_back(tokenize(item_text(item)));
  for (std::size_t i = 0; i < items.size(); ++i) {
    ptrs.push_back(&items[i]);
    token_ptrs.push_back(&tokens[i]);
  }
  return label_group(ptrs, token_ptrs);
}

std::pair<std::string, std::string> KeywordLabeler::label_group(
    const std::vector<const SelectableItem*>& items,
    const std::vector<const std::vector<std::string>*>& token_sets) const {
  if (items.empty()) return {"general", "Tools related to general"};
  std::unordered_map<std::string_view, std::int64_t> freq;
  for (const auto* tokens : token_sets)
    for (const auto& token : *tokens) ++freq[token];
  return label_group_counted(items, {freq.begin(), freq.end()});
}

std::pair<std::string, std::string> KeywordLabeler::label_group_counted(
    const std::vector<const SelectableItem*>& items,
    std::vector<std::pair<std::string_view, std::int64_t>> ranked) const {
  if (items.empty()) return {"general", "Tools related to general"};
  const auto by_rank = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const std::size_t k = static_cast<std::size_t>(std::max<std::int64_t>(0, top_k_));
  const std::size_t take = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(take), ranked.end(), by_rank);
  std::string label;
  for (std::size_t i = 0; i < take; ++i) {
    if (i > 0) label += ' ';
    label += ranked[i].first;
  }
  if (label.empty() && take == 0) label = "general";

  std::map<std::string_view, std::int64_t> ns_counts;
  for (const auto* item : items)
    if (!item->namespace_.empty()) ++ns_counts[item->namespace_];
  if (!ns_counts.empty()) {
    // Highest count, then the alphabetically first namespace.
    auto dominant = ns_counts.begin();
    for (auto it = ns_counts.begin(); it != ns_counts.end(); ++it)
      if (it->second > dominant->second) dominant = it;
    const double share = static_cast<double>(dominant->second) / static_cast<double>(items.size());
    if (share >= namespace_threshold_) label = std::string(dominant->first) + ": " + label;
  }
  return {label, "Tools related to " + label};
}

}  // namespace contextweaver
