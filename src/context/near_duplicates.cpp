// NearDuplicateIndex (near_duplicates.hpp): a size filter and a pigeonhole
// partition filter, every candidate verified with id_jaccard's arithmetic.
//
// Why it is exact (docs/context.md, "Stage 6, dedup"): J(x, y) >= t for sets
// of sizes b (probe) and a (member) bounds their symmetric difference by
// H = (a + b)(1 - t)/(1 + t) <= a(1 - t)/t, and the sizes by t*b <= a <= b/t.
// Split the id universe into K parts by a hash of the id (the same split for
// every set, so it holds as the vocabulary grows): every part in which x and
// y differ holds an element of x Δ y, so at most H parts differ. With
// K = floor(a(1 - t)/t) + 2 parts, two parts agree: members are filed under a
// hash of every pair of their parts (empty parts included), with K a
// function of the member's size, and a probe looks up its own pairs for each
// K its compatible sizes use.
// (K = 1 is the whole set; very large sets use h + 3 parts and single
// non-empty parts.) Sizes whose bound H a probe cannot beat are scanned.
// The filters use the threshold lowered by a relative 1e-9, so rounding only
// adds candidates; hash collisions only add candidates too.
#include "near_duplicates.hpp"

#include <algorithm>
#include <cmath>

#include "dedup_detail.hpp"

namespace contextweaver::context_detail {

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

// Below this threshold H reaches the set sizes, so almost no probe has more
// non-empty parts than H: the filter has no power and sizes are scanned.
constexpr double kMinPartitionThreshold = 0.5;

constexpr std::size_t kMinSlots = 1024;

// Sets are split into at most this many parts for the pair keys (at most
// 120 keys a set); larger sets use single-part keys.
constexpr std::size_t kMaxPairParts = 16;

// splitmix64's finalizer.
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// An id's hash: its high 32 bits choose its part, all 64 bits add to the
// part's hash (a sum, so the order of ids does not matter).
inline std::uint64_t id_hash(std::uint32_t id) {
  return mix64((std::uint64_t{id} + 1) * 0x9E3779B97F4A7C15ULL);
}

inline std::size_t part_of(std::uint64_t hash, std::size_t parts) {
  return static_cast<std::size_t>(((hash >> 32) * static_cast<std::uint64_t>(parts)) >> 32);
}

// The table key of parts p < q (of `parts`) whose ids hash to sum_p and sum_q;
// q = p (and sum_q = 0) for a single part.
inline std::uint64_t part_key(std::size_t parts, std::size_t p, std::size_t q, std::uint64_t sum_p,
                              std::uint64_t sum_q) {
  const std::uint64_t salt =
      (static_cast<std::uint64_t>(parts) << 40) ^ (static_cast<std::uint64_t>(p) << 20) ^ static_cast<std::uint64_t>(q);
  return mix64(sum_p + mix64(sum_q ^ salt * 0xD6E8FEB86659FD93ULL));
}

inline std::uint32_t fingerprint_of(std::uint64_t key) {
  return static_cast<std::uint32_t>(key >> 32);
}

}  // namespace

NearDuplicateIndex::NearDuplicateIndex(double threshold)
    : threshold_(threshold),
      t_filter_(threshold * (1.0 - 1e-9)),
      h_factor_((1.0 - t_filter_) / (1.0 + t_filter_)),
      need_ratio_(t_filter_ / (1.0 + t_filter_)),
      offsets_{0} {
  if (std::isnan(threshold) || threshold > 1.0) {
    mode_ = Mode::none;
  } else if (threshold <= 0.0) {
    mode_ = Mode::all;
  } else if (threshold < kMinPartitionThreshold) {
    mode_ = Mode::scan;
  } else {
    mode_ = Mode::partition;
    grow_table(kMinSlots);
  }
}

std::size_t NearDuplicateIndex::parts_for(std::size_t a) const {
  // h = floor(a(1 - t)/t) bounds H for every compatible probe size b <= a/t.
  const auto h = static_cast<std::size_t>(static_cast<double>(a) * (1.0 - t_filter_) / t_filter_);
  if (h == 0) return 1;                      // only equal sets match: the whole set
  if (h + 2 <= kMaxPairParts) return h + 2;  // two of the h + 2 parts agree
  // Single keys: one non-empty part agrees when the probe has more non-empty
  // parts than H; two parts beyond h + 1 spare most probes with an empty part
  // (about t/(1-t) ids a part) a scan.
  return std::max(h + 3, kMaxPairParts + 1);
}

template <typename F>
void NearDuplicateIndex::for_each_key(std::size_t parts, F&& f) const {
  if (parts > kMaxPairParts || parts == 1) {
    for (std::size_t p = 0; p < parts; ++p) {
      if (part_used_[p]) f(part_key(parts, p, p, part_hash_[p], 0));
    }
    return;
  }
  // Every pair, empty parts included (two sets both empty in a part agree
  // there); an empty part is rare at K = h + 2 (about t/(1-t) ids a part).
  for (std::size_t p = 0; p < parts; ++p) {
    for (std::size_t q = p + 1; q < parts; ++q) f(part_key(parts, p, q, part_hash_[p], part_hash_[q]));
  }
}

std::size_t NearDuplicateIndex::keys_for(std::size_t size) const {
  if (mode_ != Mode::partition || size == 0) return 0;
  const std::size_t parts = parts_for(size);
  return parts == 1 || parts > kMaxPairParts ? parts : parts * (parts - 1) / 2;
}

void NearDuplicateIndex::reserve(std::size_t members, std::size_t ids, std::size_t keys) {
  ids_.reserve(ids);
  offsets_.reserve(members + 1);
  seen_.reserve(members);
  if (mode_ != Mode::partition || members == 0) return;
  if (keys == 0) keys = members * keys_for(ids / members);
  grow_table(4 * keys / 3 + 1);
}

void NearDuplicateIndex::grow_table(std::size_t slots) {
  if (slots <= slots_.size()) return;
  std::vector<Slot> old(slots, Slot{0, kNone});
  old.swap(slots_);
  filled_ = 0;
  for (const Slot& s : old) {
    if (s.member != kNone) place(s.fingerprint, s.member);
  }
}

void NearDuplicateIndex::place(std::uint32_t fp, std::uint32_t member) {
  std::size_t i = home_slot(fp);
  while (slots_[i].member != kNone) i = next_slot(i);
  slots_[i] = Slot{fp, member};
  ++filled_;
}

void NearDuplicateIndex::insert_key(std::uint64_t key, std::uint32_t member) {
  // At most 3/4 full (1/2 after growing): a lookup scans a few slots past
  // its home, mostly in one cache line.
  if (4 * (filled_ + 1) > 3 * slots_.size()) grow_table(slots_.size() + slots_.size() / 2);
  place(fingerprint_of(key), member);
}

void NearDuplicateIndex::load_probe(std::span<const std::uint32_t> ids) const {
  probe_.assign(ids.begin(), ids.end());
  std::sort(probe_.begin(), probe_.end());
  probe_.erase(std::unique(probe_.begin(), probe_.end()), probe_.end());
}

std::size_t NearDuplicateIndex::split_probe(std::size_t parts) const {
  part_hash_.assign(parts, 0);
  part_used_.assign(parts, 0);
  std::size_t used = 0;
  for (std::uint32_t id : probe_) {
    const std::uint64_t h = id_hash(id);
    const std::size_t p = part_of(h, parts);
    part_hash_[p] += h;
    used += part_used_[p] == 0;
    part_used_[p] = 1;
  }
  return used;
}

bool NearDuplicateIndex::verify(std::uint32_t m) const {
  ++stats_.verified;
  const std::uint32_t* y = ids_.data() + offsets_[m];
  const std::size_t ys = offsets_[m + 1] - offsets_[m];
  const std::uint32_t* x = probe_.data();
  const std::size_t xs = probe_.size();
  const std::size_t total = xs + ys;
  // J >= t needs |x ∩ y| >= t/(1+t) * (|x| + |y|): stop once it is out of reach.
  const auto needed = static_cast<std::size_t>(std::max(0.0, std::floor(need_ratio_ * static_cast<double>(total))));
  const std::size_t inter = dedup_detail::overlap({x, xs}, {y, ys}, needed);
  if (inter < needed) return false;
  // id_jaccard's arithmetic (both sets are non-empty here).
  const std::size_t united = total - inter;
  return static_cast<double>(inter) / static_cast<double>(united) >= threshold_;
}

template <typename Visit>
bool NearDuplicateIndex::visit_similar(Visit&& visit) const {
  ++stats_.probes;
  const std::size_t members = size();
  if (mode_ == Mode::none || members == 0) return false;
  if (mode_ == Mode::all) {
    for (std::uint32_t m = 0; m < members; ++m) {
      if (visit(m)) return true;
    }
    return false;
  }
  const std::size_t b = probe_.size();
  if (b == 0) return false;  // id_jaccard with an empty set is 0 < threshold
  const auto bd = static_cast<double>(b);
  const double lo = t_filter_ * bd;
  const double hi = bd / t_filter_;
  const std::size_t largest = by_size_.size() - 1;
  const std::size_t a_lo = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(lo)));
  const std::size_t a_hi = hi >= static_cast<double>(largest) ? largest : static_cast<std::size_t>(std::floor(hi));
  if (a_lo > a_hi) return false;

  if (++stamp_ == 0) {  // the stamps wrapped: forget every mark
    std::fill(seen_.begin(), seen_.end(), 0);
    stamp_ = 1;
  }
  auto check = [&](std::uint32_t m) {
    if (seen_[m] == stamp_) return false;
    seen_[m] = stamp_;
    return verify(m) && visit(m);
  };
  auto scan = [&](std::size_t a) {
    for (std::uint32_t m : by_size_[a]) {
      ++stats_.scanned;
      if (check(m)) return true;
    }
    return false;
  };

  if (mode_ == Mode::scan) {
    for (std::size_t a = a_lo; a <= a_hi; ++a) {
      if (scan(a)) return true;
    }
    return false;
  }

  std::size_t a = a_lo;
  while (a <= a_hi) {
    const std::size_t parts = parts_for(a);
    std::size_t a_end = a;  // the sizes that share this partition
    while (a_end < a_hi && parts_for(a_end + 1) == parts) ++a_end;
    bool any_member = false;
    for (std::size_t s = a; s <= a_end && !any_member; ++s) any_member = !by_size_[s].empty();
    if (!any_member) {
      a = a_end + 1;
      continue;
    }
    const std::size_t used = split_probe(parts);
    // Sizes [a, a_valid) are found through the keys: their bound H (which
    // grows with a) leaves two parts (pair keys: any parts) or one non-empty
    // part of the probe (single keys) identical in the member.
    const bool pairs = parts > 1 && parts <= kMaxPairParts;
    const auto usable = static_cast<double>(pairs ? parts - 1 : used);
    std::size_t a_valid = a;
    while (a_valid <= a_end && (static_cast<double>(a_valid) + bd) * h_factor_ * (1.0 + 1e-9) + 1e-9 < usable) {
      ++a_valid;
    }
    if (a_valid > a) {
      const std::size_t first = a, last = a_valid - 1;
      // The keys' home slots are prefetched first, so that their cache
      // misses overlap instead of queueing.
      key_fp_.clear();
      for_each_key(parts, [&](std::uint64_t key) {
        const std::uint32_t fp = fingerprint_of(key);
        key_fp_.push_back(fp);
        __builtin_prefetch(&slots_[home_slot(fp)]);
      });
      stats_.lookups += key_fp_.size();
      bool found = false;
      for (std::size_t k = 0; k < key_fp_.size() && !found; ++k) {
        const std::uint32_t fp = key_fp_[k];
        for (std::size_t i = home_slot(fp); slots_[i].member != kNone; i = next_slot(i)) {
          if (slots_[i].fingerprint != fp) continue;
          const std::uint32_t m = slots_[i].member;
          ++stats_.candidates;
          const std::size_t ys = offsets_[m + 1] - offsets_[m];
          if (ys < first || ys > last) continue;
          if (check(m)) {
            found = true;
            break;
          }
        }
      }
      if (found) return true;
    }
    for (std::size_t s = a_valid; s <= a_end; ++s) {
      if (scan(s)) return true;
    }
    a = a_end + 1;
  }
  return false;
}

std::uint32_t NearDuplicateIndex::add_probe() {
  const auto m = static_cast<std::uint32_t>(size());
  ids_.insert(ids_.end(), probe_.begin(), probe_.end());
  offsets_.push_back(static_cast<std::uint32_t>(ids_.size()));
  const std::size_t a = probe_.size();
  if (by_size_.size() <= a) by_size_.resize(a + 1);
  by_size_[a].push_back(m);
  seen_.push_back(0);
  if (mode_ == Mode::partition && a > 0) {
    const std::size_t parts = parts_for(a);
    split_probe(parts);
    for_each_key(parts, [&](std::uint64_t key) { insert_key(key, m); });
  }
  return m;
}

std::uint32_t NearDuplicateIndex::add(std::span<const std::uint32_t> ids) {
  load_probe(ids);
  return add_probe();
}

void NearDuplicateIndex::similar(std::span<const std::uint32_t> ids, std::vector<std::uint32_t>& out) const {
  out.clear();
  load_probe(ids);
  visit_similar([&](std::uint32_t m) {
    out.push_back(m);
    return false;
  });
  std::sort(out.begin(), out.end());
}

bool NearDuplicateIndex::any_similar(std::span<const std::uint32_t> ids) const {
  return first_similar(ids).has_value();
}

std::optional<std::uint32_t> NearDuplicateIndex::first_similar(std::span<const std::uint32_t> ids) const {
  load_probe(ids);
  std::optional<std::uint32_t> found;
  visit_similar([&](std::uint32_t m) {
    found = m;
    return true;
  });
  return found;
}

bool NearDuplicateIndex::add_if_dissimilar(std::span<const std::uint32_t> ids) {
  load_probe(ids);
  if (visit_similar([](std::uint32_t) { return true; })) return false;
  add_probe();
  return true;
}

}  // namespace contextweaver::context_detail
