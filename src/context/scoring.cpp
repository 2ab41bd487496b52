#include "contextweaver/context/scoring.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "contextweaver/core/tokenize.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

namespace {

// set(item.metadata.get("tags", [])): strings as themselves, other JSON
// values by their JSON text (so 1 and "1" stay distinct, as in Python).
std::vector<std::string> tag_set(const Json& metadata) {
  std::set<std::string> tags;
  if (!metadata.is_object()) return {};
  auto it = metadata.find("tags");
  if (it == metadata.end()) return {};
  if (it->is_array()) {
    for (const auto& t : *it) {
      if (t.is_string()) {
        tags.insert(t.get<std::string>());
      } else {
        // Built piecewise: GCC 12 at -O3 misreports "\x01" + std::string as an overflow.
        std::string key(1, '\x01');
        key.append(dumps(t));
        tags.insert(std::move(key));
      }
    }
  } else if (it->is_string()) {  // set("ab") is a set of characters
    const std::string& s = it->get_ref<const std::string&>();
    for (std::size_t pos = 0; pos < s.size();) {
      const std::size_t start = pos;
      decode_code_point(s, pos);
      tags.emplace(s, start, pos - start);
    }
  } else if (it->is_object()) {
    for (const auto& [k, v] : it->items()) tags.insert(k);
  }
  return {tags.begin(), tags.end()};
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '-';
}
bool is_joiner(char c) {
  return c == '.' || c == '/' || c == '-';
}

// tokenize(text) for the common case of pure-ASCII text, without building a
// std::string per occurrence: the pieces of tokenize_list are collected as
// views into one lowered buffer, sorted and deduplicated as views, and only
// then filtered (length >= 2, not a stopword; a per-token predicate, so
// filtering after deduplication gives the same set) and copied. Views
// compare as std::string does, so the order is identical. Non-ASCII text
// goes through tokenize itself.
// is_stopword memoized per build in a direct-mapped cache: the same words
// recur across items, and one string compare beats the binary search.
class StopwordCache {
 public:
  bool operator()(std::string_view t) {
    std::size_t h = t.size();
    for (char c : t) h = h * 131 + static_cast<unsigned char>(c);
    Entry& e = entries_[h & (kSize - 1)];
    if (!e.valid || e.word != t) {
      e.word.assign(t);
      e.stop = is_stopword(t);
      e.valid = true;
    }
    return e.stop;
  }

 private:
  static constexpr std::size_t kSize = 1024;
  struct Entry {
    std::string word;
    bool stop = false;
    bool valid = false;
  };
  std::vector<Entry> entries_ = std::vector<Entry>(kSize);
};

std::vector<std::string> tokenize_fast(std::string_view text, std::string& lowered,
                                       std::vector<std::string_view>& pieces, StopwordCache& stopword) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return tokenize(text);
  }
  lowered.assign(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  const std::string_view s = lowered;
  pieces.clear();
  std::size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && !is_token_char(s[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && is_token_char(s[pos])) ++pos;
    std::string_view compound = s.substr(start, pos - start);
    while (!compound.empty() && is_joiner(compound.front())) compound.remove_prefix(1);
    while (!compound.empty() && is_joiner(compound.back())) compound.remove_suffix(1);
    if (compound.empty()) continue;
    pieces.push_back(compound);
    if (std::none_of(compound.begin(), compound.end(), is_joiner)) continue;
    std::size_t p = 0;
    while (p <= compound.size()) {
      std::size_t q = p;
      while (q < compound.size() && !is_joiner(compound[q])) ++q;
      pieces.push_back(compound.substr(p, q - p));
      if (q >= compound.size()) break;
      while (q < compound.size() && is_joiner(compound[q])) ++q;
      p = q;
    }
  }
  std::sort(pieces.begin(), pieces.end());
  pieces.erase(std::unique(pieces.begin(), pieces.end()), pieces.end());
  std::vector<std::string> out;
  out.reserve(pieces.size());
  for (std::string_view t : pieces) {
    if (t.size() >= 2 && !stopword(t)) out.emplace_back(t);
  }
  return out;
}

double compute(const ContextItem& item, const std::vector<std::string>& item_tokens,
               const std::vector<std::string>& query_tokens, std::int64_t position, std::int64_t total,
               const std::vector<std::string>& query_tag_set, const ScoringConfig& config) {
  const double recency = static_cast<double>(position + 1) / static_cast<double>(std::max<std::int64_t>(total, 1));
  const double text_sim = jaccard(item_tokens, query_tokens);
  const double tag_sim = query_tag_set.empty() ? text_sim : jaccard(tag_set(item.metadata), query_tag_set);
  const double kind = kind_priority(item.kind);
  const double penalty = 1.0 / (1.0 + static_cast<double>(item.token_estimate) / 500.0);
  return config.recency_weight * recency + config.tag_match_weight * tag_sim + config.kind_priority_weight * kind +
         config.token_cost_penalty * penalty;
}

std::vector<std::string> unique_sorted(const std::vector<std::string>& v) {
  std::set<std::string> s(v.begin(), v.end());
  return {s.begin(), s.end()};
}

}  // namespace

double kind_priority(ItemKind kind) {
  switch (kind) {
    case ItemKind::policy:
      return 1.0;
    case ItemKind::plan_state:
      return 0.9;
    case ItemKind::user_turn:
      return 0.85;
    case ItemKind::agent_msg:
      return 0.7;
    case ItemKind::tool_call:
      return 0.6;
    case ItemKind::tool_result:
      return 0.55;
    case ItemKind::memory_fact:
      return 0.5;
    case ItemKind::doc_snippet:
      return 0.4;
  }
  return 0.3;
}

double score_item(const ContextItem& item, std::string_view query, std::int64_t position, std::int64_t total,
                  const std::vector<std::string>& query_tags, const ScoringConfig& config) {
  return compute(item, tokenize(item.text), tokenize(query), position, total, unique_sorted(query_tags), config);
}

std::vector<ScoredItem> score_candidates(std::vector<ContextItem> items, std::string_view query,
                                         const std::vector<std::string>& query_tags, const ScoringConfig& config) {
  const auto query_tokens = tokenize(query);
  const auto tag_query = unique_sorted(query_tags);
  const auto total = static_cast<std::int64_t>(items.size());
  std::vector<ScoredItem> scored;
  scored.reserve(items.size());
  std::string lowered;
  std::vector<std::string_view> pieces;
  StopwordCache stopword;
  for (std::int64_t i = 0; i < total; ++i) {
    ScoredItem s;
    s.tokens = tokenize_fast(items[i].text, lowered, pieces, stopword);
    s.tokens_valid = true;
    s.score = compute(items[i], s.tokens, query_tokens, i, total, tag_query, config);
    s.item = std::move(items[i]);
    s.position = i;
    scored.push_back(std::move(s));
  }
  // Sorts indices (same comparator, same stable order) and moves each item
  // once, instead of shuffling the large ScoredItems around.
  std::vector<std::size_t> order(scored.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&scored](std::size_t a, std::size_t b) {
    if (scored[a].score != scored[b].score) return scored[a].score > scored[b].score;
    return scored[a].item.id < scored[b].item.id;
  });
  std::vector<ScoredItem> sorted;
  sorted.reserve(scored.size());
  for (std::size_t i : order) sorted.push_back(std::move(scored[i]));
  return sorted;
}

}  // namespace contextweaver
