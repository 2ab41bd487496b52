#include "json_file_prefix_cache.hpp"

#include <utility>

#include "drilldown_internal.hpp"

namespace contextweaver::json_file_detail {
namespace {

// Memory an entry costs besides its prefix and key: the list node, the hash
// node, the shared string and its control block (an estimate, so that tiny
// prefixes cannot grow the cache past its byte bound).
constexpr std::size_t kEntryOverhead = 256;

long long ns_of(const timespec& t) {
  return static_cast<long long>(t.tv_sec) * 1'000'000'000LL + t.tv_nsec;
}

// The largest n for which lines_prefix_length(bytes, n, at_eof) finds the
// end of line n (the same scan, counted once when an entry is made, so a hit
// needs no scan: a forward lines selector stops at its `end` by itself).
std::size_t whole_lines(std::string_view bytes, bool at_eof) {
  // At the end of the file every count is found (a last line without
  // terminator counts, and any larger count ends at the end of the bytes).
  if (at_eof) return static_cast<std::size_t>(-1);
  std::size_t found = 0;
  for (std::size_t pos = 0; pos < bytes.size();) {
    // A terminator at the very end may be the first half of "\r\n" or of a multi-byte one.
    if (bytes.size() - pos < 3) return found;
    if (static_cast<unsigned char>(bytes[pos]) - 0x20u < 0x60u) {  // printable ASCII ends no line
      ++pos;
      continue;
    }
    const std::size_t len = drilldown_detail::terminator_length(bytes, pos);
    pos += len == 0 ? 1 : len;
    found += len != 0;
  }
  return found;
}

}  // namespace

WallTime realtime_now() {
  auto t = timespec{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return t;
}

PrefixCache::PrefixCache(std::size_t max_bytes, std::size_t max_entries)
    : max_bytes_(max_bytes), max_entries_(max_entries) {}

PrefixCache::~PrefixCache() = default;

void PrefixCache::unlink(List::iterator it, List& trash) {
  index_.erase(std::string_view(it->handle));
  bytes_ -= it->charge;
  trash.splice(trash.end(), lru_, it);
}

bool PrefixCache::find(const std::string& handle, const FileIdentity& id, const SelectorNeed& need,
                       std::shared_ptr<const CachedPrefix>& keep, std::string_view& prefix) {
  List trash;  // a stale entry, freed after unlocking
  {
    std::lock_guard lock(mutex_);
    const auto found = index_.find(std::string_view(handle));
    if (found == index_.end()) return false;
    const List::iterator it = found->second;
    if (!(it->id == id)) {
      unlink(it, trash);  // another version now: the bytes can never be served again
    } else {
      lru_.splice(lru_.begin(), lru_, it);
      keep = it->prefix;
    }
  }
  if (!keep) return false;
  const std::string_view bytes(keep->bytes);
  if (need.kind == SelectorNeed::prefix_bytes) {
    if (bytes.size() < need.count && !keep->at_eof) return false;
    prefix = bytes.substr(0, need.count);
    return true;
  }
  if (need.kind == SelectorNeed::prefix_lines) {
    // The whole prefix, not cut after line `count`: a forward lines selector
    // (the only kind with this need) stops there anyway, so the result is the same.
    std::size_t lines = keep->lines.load(std::memory_order_relaxed);
    if (lines == CachedPrefix::kUnknown) {
      lines = whole_lines(bytes, keep->at_eof);  // racing threads store the same value
      keep->lines.store(lines, std::memory_order_relaxed);
    }
    if (need.count > lines) return false;  // too short: the caller reads more and re-caches
    prefix = bytes;
    return true;
  }
  return false;
}

void PrefixCache::remember(const std::string& handle, const struct stat& st, std::string_view bytes,
                           const timespec& read_start) {
  if (!enabled() || bytes.size() > kMaxCachedPrefix || !S_ISREG(st.st_mode)) return;
  // Racily clean: a version written this recently might be rewritten within
  // the same timestamp tick without its stat identity changing.
  const long long limit = ns_of(read_start) - kRacyMarginNs;
  if (ns_of(st.st_mtim) >= limit || ns_of(st.st_ctim) >= limit) return;
  const std::size_t charge = bytes.size() + handle.size() + kEntryOverhead;
  if (charge > max_bytes_) return;
  // Allocated before locking; freed (a replaced or evicted entry) after.
  List fresh;
  auto prefix = std::make_shared<CachedPrefix>();
  prefix->bytes = bytes;
  // The whole file is cached when the prefix is as long as the version's size.
  prefix->at_eof = static_cast<long long>(bytes.size()) >= static_cast<long long>(st.st_size);
  fresh.push_back(Node{handle, FileIdentity::of(st), std::move(prefix), charge});
  List trash;
  std::lock_guard lock(mutex_);
  if (const auto found = index_.find(std::string_view(handle)); found != index_.end()) unlink(found->second, trash);
  // Indexed before it moves in (splice keeps the iterator valid), so a
  // failing insert leaves the cache as it was.
  index_.emplace(std::string_view(fresh.front().handle), fresh.begin());
  lru_.splice(lru_.begin(), fresh);
  bytes_ += charge;
  while (bytes_ > max_bytes_ || lru_.size() > max_entries_) unlink(std::prev(lru_.end()), trash);
}

void PrefixCache::erase(const std::string& handle) {
  List trash;
  std::lock_guard lock(mutex_);
  if (const auto found = index_.find(std::string_view(handle)); found != index_.end()) unlink(found->second, trash);
}

std::size_t PrefixCache::entries() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

std::size_t PrefixCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace contextweaver::json_file_detail
