// StructuredExtractor (summarize/extract.py): facts about the shape of JSON
// output or plain text. Not used by default; pass it to a ContextManager.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/summarize/protocols.hpp"

namespace contextweaver {

// Immutable: thread-safe.
class StructuredExtractor final : public Extractor {
 public:
  // `max_chars` caps the summed length (code points, no separators) of the
  // facts kept; extraction stops at the first fact that would overflow.
  explicit StructuredExtractor(std::int64_t max_chars = 500) : max_chars_(max_chars) {}

  // JSON object: type, then up to 10 keys with their shapes. JSON array: type,
  // columns and up to 3 rows when the first element is an object (rows that
  // are not objects are skipped, docs/compat.md C9). Text: line count, headings,
  // emails, URLs, numbers, then key-value pairs. Empty input -> [].
  std::vector<std::string> extract(std::string_view raw, const Json& metadata) const override;

  std::int64_t max_chars() const { return max_chars_; }

 private:
  std::int64_t max_chars_;
};

}  // namespace contextweaver
