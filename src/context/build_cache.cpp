// BuildCache (build_cache.hpp): per-item records of the build pipeline,
// derived exactly as the stage functions derive them (sensitivity.cpp,
// firewall.cpp, scoring.cpp, selection.cpp), extended as the log grows.
#include "build_cache.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <set>

#include "contextweaver/context/firewall.hpp"
#include "contextweaver/context/manager.hpp"
#include "contextweaver/context/prompt.hpp"
#include "contextweaver/context/scoring.hpp"
#include "contextweaver/context/views.hpp"
#include "contextweaver/core/sha256.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/summarize/extract.hpp"
#include "firewall_detail.hpp"
#include "json_object.hpp"
#include "tag_set.hpp"

namespace contextweaver::context_detail {

namespace {

// At most this many query strings keep their per-item common-token counts.
constexpr std::size_t kMaxCachedQueries = 4;

// firewall_in_place of firewall.cpp without the store: the ref a write gives
// ({handle, media type, size, label} as put returns it, plus the sha256).
FirewallRecord firewall_record(const ContextItem& item, const CacheInputs& inputs) {
  FirewallRecord rec;
  const std::string_view raw = item.text;
  rec.media_type = media_type_of(item.metadata);
  ArtifactRef ref{"artifact:" + item.id, rec.media_type, static_cast<std::int64_t>(raw.size()),
                  "raw tool result for " + item.id, sha256_hex(raw)};
  auto [status, summary, facts] = intercept(raw, item.metadata, inputs.summarizer, inputs.extractor);
  std::vector<ViewSpec> views = generate_views(ref, raw, nullptr);
  std::vector<ArtifactRef> artifacts;
  artifacts.reserve(1);
  artifacts.push_back(std::move(ref));
  rec.token_estimate =
      inputs.estimator ? inputs.estimator->estimate(summary) : static_cast<std::int64_t>(code_point_count(summary) / 4);
  rec.envelope = std::make_shared<const ResultEnvelope>(
      ResultEnvelope{.status = std::move(status),
                     .summary = std::move(summary),
                     .facts = std::move(facts),
                     .artifacts = std::move(artifacts),
                     .views = std::move(views),
                     .provenance = object_of(std::pair{"source_item_id", std::string_view(item.id)})});
  rec.raw = item.text;
  return rec;
}

bool fires(const ContextItem& item) {
  return item.kind == ItemKind::tool_result && !(item.artifact_ref && !item.artifact_ref->content_hash.empty());
}

std::uint64_t hash_ids(std::span<const std::uint32_t> ids) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ ids.size();
  for (std::uint32_t id : ids) {
    h ^= id;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
  }
  return h;
}

bool same_ids(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

BuildCache::BuildCache(const ContextPolicy& policy, const ScoringConfig& scoring, CacheInputs inputs)
    : policy_(policy), scoring_(scoring), inputs_(inputs), hooks_(resolve_redaction_hooks(policy)) {
  const double t = scoring.dedup_threshold;
  use_index_ = !std::isnan(t) && t > 0.0 && t <= 1.0;
  clear();
}

void BuildCache::clear() {
  ids_.clear();
  log_kind_.clear();
  kind_.clear();
  flags_.clear();
  parent_.clear();
  pending_parents_.clear();
  id_slots_.assign(1024, 0);
  id_count_ = 0;
  vocabulary_ = TokenVocabulary();
  token_pool_.clear();
  token_begin_.assign(1, 0);
  kind_priority_.clear();
  penalty_.clear();
  cost_.clear();
  tag_index_.clear();
  tag_sets_.assign(1, {});
  tag_ids_.clear();
  firewall_index_.clear();
  firewall_.clear();
  redacted_.clear();
  class_.clear();
  class_rep_.clear();
  adjacency_.clear();
  linked_.clear();
  self_similar_.clear();
  class_size_.clear();
  class_slots_.assign(1024, 0);
  class_hash_.clear();
  index_ = use_index_ ? std::make_unique<NearDuplicateIndex>(scoring_.dedup_threshold) : nullptr;
  queries_.clear();
}

std::string_view BuildCache::id(std::size_t i) const {
  if (flags_[i] & kIdChanged) return redacted_.at(static_cast<std::uint32_t>(i)).id;
  return ids_[i];
}

const FirewallRecord* BuildCache::firewall(std::size_t i) const {
  const std::uint32_t k = firewall_index_[i];
  return k == UINT32_MAX ? nullptr : &firewall_[k];
}

FirewallRecord* BuildCache::firewall(std::size_t i) {
  const std::uint32_t k = firewall_index_[i];
  return k == UINT32_MAX ? nullptr : &firewall_[k];
}

std::int64_t BuildCache::find_first(std::string_view id) const {
  const std::size_t mask = id_slots_.size() - 1;
  std::size_t slot = std::hash<std::string_view>{}(id)&mask;
  while (id_slots_[slot] != 0) {
    const std::uint32_t pos = id_slots_[slot] - 1;
    if (ids_[pos] == id) return pos;
    slot = (slot + 1) & mask;
  }
  return -1;
}

void BuildCache::index_id(std::size_t pos) {
  if (find_first(ids_[pos]) >= 0) return;  // the first occurrence wins, as log.get
  if (2 * (id_count_ + 1) > id_slots_.size()) {
    std::vector<std::uint32_t> old(id_slots_.size() * 2, 0);
    old.swap(id_slots_);
    const std::size_t mask = id_slots_.size() - 1;
    for (std::uint32_t v : old) {
      if (v == 0) continue;
      std::size_t slot = std::hash<std::string_view>{}(ids_[v - 1]) & mask;
      while (id_slots_[slot] != 0) slot = (slot + 1) & mask;
      id_slots_[slot] = v;
    }
  }
  const std::size_t mask = id_slots_.size() - 1;
  std::size_t slot = std::hash<std::string_view>{}(ids_[pos]) & mask;
  while (id_slots_[slot] != 0) slot = (slot + 1) & mask;
  id_slots_[slot] = static_cast<std::uint32_t>(pos + 1);
  ++id_count_;
}

void BuildCache::sync(const EventLog& log) {
  const std::size_t n = size();
  bool same = true;
  if (n > 0) {
    same = log.count() >= n;
    if (same) {
      auto last = log.query(std::nullopt, static_cast<std::int64_t>(n - 1), 1);
      same = last.size() == 1 && last.front().id == ids_[n - 1];
    }
  }
  if (!same) clear();
  log.scan(size(), [&](ContextItem&& item) { add(std::move(item)); });
  resolve_pending();
}

void BuildCache::resolve_pending() {
  std::size_t keep = 0;
  for (auto& [pos, pid] : pending_parents_) {
    const std::int64_t found = find_first(pid);
    if (found >= 0) {
      parent_[pos] = static_cast<std::int32_t>(found);
    } else {
      pending_parents_[keep++] = {pos, std::move(pid)};
    }
  }
  pending_parents_.resize(keep);
}

void BuildCache::add(ContextItem&& log_item) {
  const std::size_t pos = size();
  const auto log_kind = static_cast<std::uint8_t>(log_item.kind);
  std::string log_id = log_item.id;
  std::optional<std::string> parent_id = log_item.parent_id;

  // Stage 3 (apply_sensitivity_filter).
  std::uint8_t flags = 0;
  ContextItem item = std::move(log_item);
  std::optional<ContextItem> redacted;
  if (static_cast<int>(item.sensitivity) >= static_cast<int>(policy_.sensitivity_floor)) {
    if (policy_.sensitivity_action == "redact") {
      for (const auto& hook : hooks_) item = hook->redact(item);
      item.artifact_ref.reset();  // docs/compat.md C7
      flags |= kRedacted;
      if (item.id != log_id) flags |= kIdChanged;
      redacted = item;
    } else {
      flags |= kDropped;
    }
  }

  // Stage 4 (the firewall), scoring's inputs, the rendered cost.
  std::optional<FirewallRecord> fw;
  std::vector<std::uint32_t> ids;
  double kp = 0.0, pen = 0.0;
  std::int64_t cost = 0;
  std::vector<std::string> tags;
  if (!(flags & kDropped)) {
    if (fires(item)) {
      fw = firewall_record(item, inputs_);
      flags |= kFirewalled;
      item.token_estimate = fw->token_estimate;
      item.text = fw->envelope->summary;
      item.artifact_ref = fw->envelope->artifacts.front();
    }
    vocabulary_.token_ids(item.text, ids);
    std::sort(ids.begin(), ids.end());
    kp = contextweaver::kind_priority(item.kind);
    pen = 1.0 / (1.0 + static_cast<double>(item.token_estimate) / 500.0);
    cost = inputs_.estimator->estimate(render_item(item));
    tags = tag_set(item.metadata);
  }

  // Everything that can throw is done: record the item.
  ids_.push_back(std::move(log_id));
  log_kind_.push_back(log_kind);
  kind_.push_back(static_cast<std::uint8_t>(item.kind));
  flags_.push_back(flags);
  parent_.push_back(kNoParent);
  if (parent_id) pending_parents_.emplace_back(static_cast<std::uint32_t>(pos), std::move(*parent_id));
  index_id(pos);
  token_pool_.insert(token_pool_.end(), ids.begin(), ids.end());
  token_begin_.push_back(token_pool_.size());
  kind_priority_.push_back(kp);
  penalty_.push_back(pen);
  cost_.push_back(cost);
  std::uint32_t tag_id = 0;  // sessions repeat few distinct tag sets: each is kept once
  if (!tags.empty()) {
    auto [it, inserted] = tag_ids_.try_emplace(tags, static_cast<std::uint32_t>(tag_sets_.size()));
    if (inserted) tag_sets_.push_back(std::move(tags));
    tag_id = it->second;
  }
  tag_index_.push_back(tag_id);
  firewall_index_.push_back(fw ? static_cast<std::uint32_t>(firewall_.size()) : UINT32_MAX);
  if (fw) firewall_.push_back(std::move(*fw));
  if (redacted) redacted_.emplace(static_cast<std::uint32_t>(pos), std::move(*redacted));
  class_.push_back(kNoClass);
  if (!(flags & kDropped)) add_to_dedup(pos);
}

void BuildCache::add_to_dedup(std::size_t pos) {
  if (!use_index_) return;
  const auto set = tokens(pos);
  const std::uint64_t h = hash_ids(set);
  std::size_t mask = class_slots_.size() - 1;
  std::size_t slot = h & mask;
  while (class_slots_[slot] != 0) {
    const std::uint32_t c = class_slots_[slot] - 1;
    if (class_hash_[c] == h && same_ids(tokens(class_rep_[c]), set)) {
      class_[pos] = c;
      if (++class_size_[c] >= 2 && self_similar_[c]) linked_[c] = 1;
      return;
    }
    slot = (slot + 1) & mask;
  }
  // A new class: its neighbours among the earlier classes, then itself.
  const auto c = static_cast<std::uint32_t>(adjacency_.size());
  index_->similar(set, scratch_similar_);
  adjacency_.emplace_back(scratch_similar_);
  linked_.push_back(scratch_similar_.empty() ? 0 : 1);
  for (std::uint32_t d : scratch_similar_) {
    adjacency_[d].push_back(c);
    linked_[d] = 1;
  }
  const std::vector<std::uint32_t> sorted(set.begin(), set.end());
  self_similar_.push_back(id_jaccard(sorted, sorted) >= scoring_.dedup_threshold ? 1 : 0);
  if (self_similar_[c]) adjacency_[c].push_back(c);
  class_size_.push_back(1);
  index_->add(set);
  class_rep_.push_back(static_cast<std::uint32_t>(pos));
  class_hash_.push_back(h);
  class_[pos] = c;
  if (2 * adjacency_.size() > class_slots_.size()) {
    class_slots_.assign(class_slots_.size() * 2, 0);
    mask = class_slots_.size() - 1;
    for (std::uint32_t k = 0; k < adjacency_.size(); ++k) {
      std::size_t s = class_hash_[k] & mask;
      while (class_slots_[s] != 0) s = (s + 1) & mask;
      class_slots_[s] = k + 1;
    }
  } else {
    class_slots_[slot] = c + 1;
  }
}

const BuildCache::QueryTokens& BuildCache::query_tokens(std::string_view query) {
  auto it = queries_.find(query);
  if (it == queries_.end()) {
    if (queries_.size() >= kMaxCachedQueries) queries_.clear();
    QueryTokens q;
    q.ids = vocabulary_.token_ids(query);  // unique; ids no item holds yet are simply never common
    q.unique_count = q.ids.size();
    it = queries_.emplace(std::string(query), std::move(q)).first;
  }
  QueryTokens& q = it->second;
  if (q.common.size() < size()) {
    std::vector<char> in_query(vocabulary_.size(), 0);
    for (std::uint32_t id : q.ids) in_query[id] = 1;
    for (std::size_t i = q.common.size(); i < size(); ++i) {
      std::uint32_t common = 0;
      for (std::uint32_t id : tokens(i)) common += in_query[id];
      q.common.push_back(common);
    }
  }
  return q;
}

ContextItem BuildCache::processed(std::size_t i, ContextItem log_item, bool before_firewall) const {
  ContextItem item = (flags_[i] & kRedacted) ? redacted_.at(static_cast<std::uint32_t>(i)) : std::move(log_item);
  if (before_firewall) return item;
  if (const FirewallRecord* fw = firewall(i)) {
    item.token_estimate = fw->token_estimate;
    item.text = fw->envelope->summary;
    item.artifact_ref = fw->envelope->artifacts.front();
  }
  return item;
}

}  // namespace contextweaver::context_detail

namespace contextweaver::context_detail {

BuildCacheHolder::BuildCacheHolder() = default;
BuildCacheHolder::~BuildCacheHolder() = default;
BuildCacheHolder::BuildCacheHolder(const BuildCacheHolder& /*other*/) {}
BuildCacheHolder& BuildCacheHolder::operator=(const BuildCacheHolder& other) {
  if (this != &other) cache.reset();
  return *this;
}
BuildCacheHolder::BuildCacheHolder(BuildCacheHolder&& other) noexcept = default;
BuildCacheHolder& BuildCacheHolder::operator=(BuildCacheHolder&& other) noexcept = default;

}  // namespace contextweaver::context_detail
