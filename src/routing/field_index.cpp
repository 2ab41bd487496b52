#include "contextweaver/routing/field_index.hpp"

#include <algorithm>
#include <limits>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {

std::uint32_t FieldIndex::add(FieldTerms terms) {
  std::uint32_t slot;
  if (!free_.empty()) {
    // Smallest free slot first, so that the slot order stays close to the
    // insertion order and postings mostly append.
    std::pop_heap(free_.begin(), free_.end(), std::greater<>());
    slot = free_.back();
    free_.pop_back();
  } else {
    if (docs_.size() >= std::numeric_limits<std::uint32_t>::max()) throw ValueError("ranking index is full");
    slot = static_cast<std::uint32_t>(docs_.size());
    docs_.emplace_back();
    doc_len_.emplace_back();
    live_.push_back(false);
  }
  // Term frequencies per field, in first-occurrence order.
  std::vector<std::pair<std::uint32_t, std::array<std::uint16_t, kRankFieldCount>>> tfs;
  std::unordered_map<std::uint32_t, std::size_t> at;
  for (std::size_t f = 0; f < kRankFieldCount; ++f) {
    doc_len_[slot][f] = static_cast<std::uint32_t>(terms[f].size());
    total_len_[f] += terms[f].size();
    for (const auto& t : terms[f]) {
      auto [it, fresh] = ids_.try_emplace(t, static_cast<std::uint32_t>(terms_.size()));
      if (fresh) {
        terms_.push_back(t);
        postings_.emplace_back();
      }
      auto [pos, first] = at.try_emplace(it->second, tfs.size());
      if (first) tfs.push_back({it->second, {}});
      auto& c = tfs[pos->second].second[f];
      if (c < std::numeric_limits<std::uint16_t>::max()) ++c;
    }
  }
  for (const auto& [id, tf] : tfs) {
    auto& list = postings_[id];
    const Posting p{slot, tf};
    if (list.empty() || list.back().slot < slot) {
      list.push_back(p);
    } else {
      auto it = std::lower_bound(list.begin(), list.end(), slot,
                                 [](const Posting& q, std::uint32_t s) { return q.slot < s; });
      list.insert(it, p);
    }
  }
  docs_[slot] = std::move(terms);
  live_[slot] = true;
  ++live_count_;
  return slot;
}

void FieldIndex::remove(std::uint32_t slot) {
  if (!live(slot)) throw ValueError("ranking index: slot " + std::to_string(slot) + " is not live");
  for (std::size_t f = 0; f < kRankFieldCount; ++f) {
    total_len_[f] -= doc_len_[slot][f];
    for (const auto& t : docs_[slot][f]) {
      auto& list = postings_[ids_.at(t)];
      auto it = std::lower_bound(list.begin(), list.end(), slot,
                                 [](const Posting& q, std::uint32_t s) { return q.slot < s; });
      if (it != list.end() && it->slot == slot) list.erase(it);
    }
  }
  docs_[slot] = FieldTerms{};
  doc_len_[slot] = {};
  live_[slot] = false;
  --live_count_;
  free_.push_back(slot);
  std::push_heap(free_.begin(), free_.end(), std::greater<>());
}

std::optional<std::uint32_t> FieldIndex::term_id(std::string_view term) const {
  const auto it = ids_.find(std::string(term));
  if (it == ids_.end() || postings_[it->second].empty()) return std::nullopt;
  return it->second;
}

const FieldIndex::Posting* FieldIndex::find(std::uint32_t term_id, std::uint32_t slot) const {
  const auto& list = postings_[term_id];
  auto it =
      std::lower_bound(list.begin(), list.end(), slot, [](const Posting& q, std::uint32_t s) { return q.slot < s; });
  return it != list.end() && it->slot == slot ? &*it : nullptr;
}

double FieldIndex::average_length(RankField f) const {
  if (live_count_ == 0) return 0.0;
  return static_cast<double>(total_len_[static_cast<std::size_t>(f)]) / static_cast<double>(live_count_);
}

}  // namespace contextweaver
