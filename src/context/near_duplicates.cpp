// NearDuplicateIndex (near_duplicates.hpp): every member compared exactly.
#include "near_duplicates.hpp"

#include <algorithm>
#include <cmath>

#include "contextweaver/core/text_terms.hpp"

namespace contextweaver::context_detail {

namespace {

std::vector<std::uint32_t> sorted_ids(std::span<const std::uint32_t> ids) {
  std::vector<std::uint32_t> out(ids.begin(), ids.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

NearDuplicateIndex::NearDuplicateIndex(double threshold) : threshold_(threshold) {}

std::uint32_t NearDuplicateIndex::add(std::span<const std::uint32_t> ids) {
  members_.push_back(sorted_ids(ids));
  return static_cast<std::uint32_t>(members_.size() - 1);
}

void NearDuplicateIndex::similar(std::span<const std::uint32_t> ids, std::vector<std::uint32_t>& out) const {
  out.clear();
  if (std::isnan(threshold_) || threshold_ > 1.0) return;
  const std::vector<std::uint32_t> probe = sorted_ids(ids);
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (threshold_ <= 0.0 || id_jaccard(probe, members_[i]) >= threshold_) out.push_back(static_cast<std::uint32_t>(i));
  }
}

bool NearDuplicateIndex::any_similar(std::span<const std::uint32_t> ids) const {
  if (std::isnan(threshold_) || threshold_ > 1.0 || members_.empty()) return false;
  if (threshold_ <= 0.0) return true;
  const std::vector<std::uint32_t> probe = sorted_ids(ids);
  return std::any_of(members_.begin(), members_.end(),
                     [&](const std::vector<std::uint32_t>& m) { return id_jaccard(probe, m) >= threshold_; });
}

}  // namespace contextweaver::context_detail
