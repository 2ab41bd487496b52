// Catalog clean-up before building a tree (routing/normalizer.py): trimmed,
// de-duplicated, sorted tags; collapsed whitespace; filled descriptions;
// empty and duplicate ids rejected (strict) or dropped and reported.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

struct NormalizationReport {
  std::int64_t items_processed = 0;
  std::int64_t tag_dedup_count = 0;              // items whose tag list changed (re-sorting counts)
  std::int64_t description_filled_count = 0;     // empty descriptions replaced by the name
  std::int64_t whitespace_normalized_count = 0;  // items whose name/description/namespace changed
  std::vector<std::string> invalid_ids;          // lenient mode: empty or duplicate ids dropped

  std::int64_t changed_count() const {
    return tag_dedup_count + description_filled_count + whitespace_normalized_count;
  }
  // Keys items_processed, tag_dedup_count, description_filled_count,
  // whitespace_normalized_count, invalid_ids, changed_count.
  Json to_dict() const;
};

// Thread-safety: stateless after construction; normalize() may run
// concurrently.
class CatalogNormalizer {
 public:
  // strict: CatalogError on an empty or duplicate id instead of dropping it.
  explicit CatalogNormalizer(bool strict = false, bool lowercase_tags = true);

  // New items (input untouched) and the report. Per item: tags stripped,
  // blanks dropped, de-duplicated case-insensitively (first wins, stored
  // lower-cased when lowercase_tags), sorted; runs of whitespace in name and
  // description collapsed to one space and trimmed; namespace trimmed and its
  // trailing dots removed; an empty description becomes the name.
  // CatalogError "Item has empty id: …" / "Duplicate item id: 'x'" when strict.
  std::pair<std::vector<SelectableItem>, NormalizationReport> normalize(const std::vector<SelectableItem>& items) const;

 private:
  bool strict_;
  bool lowercase_tags_;
};

}  // namespace contextweaver
