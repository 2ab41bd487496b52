#include "contextweaver/routing/normalizer.hpp"

#include <algorithm>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

// str.lower() for the scripts tags are written in: ASCII, Latin-1, Greek and
// basic Cyrillic capitals (other code points are kept; see docs/compat.md).
char32_t lower_cp(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F)) {
    return c + 32;
  }
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

std::string lower(std::string_view s) {
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) encode_utf8(out, lower_cp(decode_code_point(s, pos)));
  return out;
}

// re.sub(r"\s+", " ", s).strip()
std::string collapse_ws(std::string_view s) {
  std::string out;
  bool pending_space = false;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = pos;
    const char32_t cp = decode_code_point(s, pos);
    if (py_isspace(cp)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out.append(s.substr(start, pos - start));
  }
  return out;
}

}  // namespace

Json NormalizationReport::to_dict() const {
  Json out = Json::object();
  out["items_processed"] = items_processed;
  out["tag_dedup_count"] = tag_dedup_count;
  out["description_filled_count"] = description_filled_count;
  out["whitespace_normalized_count"] = whitespace_normalized_count;
  Json ids = Json::array();
  for (const auto& id : invalid_ids) ids.push_back(id);
  out["invalid_ids"] = ids;
  return out;
}

CatalogNormalizer::CatalogNormalizer(bool strict, bool lowercase_tags)
    : strict_(strict), lowercase_tags_(lowercase_tags) {}

std::pair<std::vector<SelectableItem>, NormalizationReport> CatalogNormalizer::normalize(
    const std::vector<SelectableItem>& items) const {
  NormalizationReport report;
  report.items_processed = static_cast<std::int64_t>(items.size());
  std::unordered_set<std::string> seen_ids;
  std::vector<SelectableItem> out;
  for (const auto& item : items) {
    if (py_strip(item.id).empty()) {
      if (strict_) throw CatalogError("Item has empty id: " + py_repr(item.id) + " (name " + py_repr(item.name) + ")");
      report.invalid_ids.push_back(item.id);
      continue;
    }
    if (!seen_ids.insert(item.id).second) {
      if (strict_) throw CatalogError("Duplicate item id: " + py_repr(item.id));
      report.invalid_ids.push_back(item.id);
      continue;
    }
    SelectableItem clean = item;
    std::vector<std::string> tags;
    std::unordered_set<std::string> seen_tags;
    for (const auto& raw : item.tags) {
      const std::string tag(py_strip(raw));
      if (tag.empty()) continue;
      const std::string stored = lowercase_tags_ ? lower(tag) : tag;
      if (!seen_tags.insert(stored).second) continue;
      tags.push_back(stored);
    }
    std::sort(tags.begin(), tags.end());
    if (tags != item.tags) ++report.tag_dedup_count;
    clean.tags = std::move(tags);
    clean.name = collapse_ws(item.name);
    clean.description = collapse_ws(item.description);
    std::string_view ns = py_strip(item.namespace_);
    while (!ns.empty() && ns.back() == '.') ns.remove_suffix(1);
    clean.namespace_ = std::string(ns);
    if (clean.name != item.name || clean.namespace_ != item.namespace_ || clean.description != item.description) {
      ++report.whitespace_normalized_count;
    }
    if (clean.description.empty()) {
      clean.description = clean.name;
      ++report.description_filled_count;
    }
    out.push_back(std::move(clean));
  }
  return {std::move(out), report};
}

}  // namespace contextweaver
