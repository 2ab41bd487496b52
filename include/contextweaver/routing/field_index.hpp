// A fielded inverted index over analyzed tool documents, updated in place.
//
// Slots are reused after removal; a slot's postings are kept sorted by slot so
// that a (term, slot) lookup is a binary search. Statistics (document
// frequency, field length totals, live count) are exact integers, so an index
// reached by add/remove scores exactly like one built fresh from the same set.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contextweaver/routing/default_router_config.hpp"

namespace contextweaver {

using FieldTerms = std::array<std::vector<std::string>, kRankFieldCount>;

// Thread-safety: const members may run concurrently; add() and remove()
// need exclusive access (DefaultRouter owns one and says the same).
class FieldIndex {
 public:
  struct Posting {
    std::uint32_t slot;
    std::array<std::uint16_t, kRankFieldCount> tf;
  };

  // Indexes a document into a free slot and returns the slot.
  std::uint32_t add(FieldTerms terms);
  // Removes the document in `slot` (must be live).
  void remove(std::uint32_t slot);

  // The term's id, or nullopt when no live document holds it.
  std::optional<std::uint32_t> term_id(std::string_view term) const;
  const std::string& term(std::uint32_t id) const { return terms_[id]; }
  std::size_t term_count() const { return terms_.size(); }
  const std::vector<Posting>& postings(std::uint32_t term_id) const { return postings_[term_id]; }
  std::size_t df(std::uint32_t term_id) const { return postings_[term_id].size(); }
  // The posting of `slot` for the term, or nullptr.
  const Posting* find(std::uint32_t term_id, std::uint32_t slot) const;

  std::size_t live_count() const { return live_count_; }
  std::size_t slot_count() const { return docs_.size(); }
  bool live(std::uint32_t slot) const { return slot < live_.size() && live_[slot]; }
  const FieldTerms& terms_of(std::uint32_t slot) const { return docs_[slot]; }
  std::uint32_t field_length(std::uint32_t slot, RankField f) const {
    return doc_len_[slot][static_cast<std::size_t>(f)];
  }
  // Mean field length over live documents (0 when empty).
  double average_length(RankField f) const;

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> terms_;
  std::vector<std::vector<Posting>> postings_;
  std::vector<FieldTerms> docs_;
  std::vector<std::array<std::uint32_t, kRankFieldCount>> doc_len_;
  std::vector<bool> live_;
  std::vector<std::uint32_t> free_;
  std::array<std::uint64_t, kRankFieldCount> total_len_{};
  std::size_t live_count_ = 0;
};

}  // namespace contextweaver
