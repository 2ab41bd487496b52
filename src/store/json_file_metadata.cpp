// Metadata files as the store writes them — sorted keys, ", " and ": "
// separators, printable ASCII without escapes — are decoded in one pass
// straight into the ref; anything else takes the general route, which also
// produces the exact errors.
#include "json_file_metadata.hpp"

#include <cstdint>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "stored_json.hpp"

namespace contextweaver::store_detail {
namespace {

class MetadataReader {
 public:
  explicit MetadataReader(std::string_view s) : s_(s) {}

  // True when `s` is a canonical metadata object with the required keys;
  // false (ref untouched in meaning) for anything else.
  bool read(ArtifactRef& ref) {
    if (!take('{') || peek('}')) return false;
    unsigned seen = 0;
    for (;;) {
      std::string_view key;
      if (!string(key) || !take(':') || !take(' ')) return false;
      const unsigned bit = key == "content_hash" ? 1u
                           : key == "handle"     ? 2u
                           : key == "label"      ? 4u
                           : key == "media_type" ? 8u
                           : key == "size_bytes" ? 16u
                                                 : 0u;
      if (bit == 0 || (seen & bit) != 0) return false;  // unknown or repeated key: general route
      seen |= bit;
      if (bit == 16u) {
        if (!integer(ref.size_bytes)) return false;
      } else {
        std::string_view value;
        if (!string(value)) return false;
        std::string& field = bit == 1u   ? ref.content_hash
                             : bit == 2u ? ref.handle
                             : bit == 4u ? ref.label
                                         : ref.media_type;
        field.assign(value);
      }
      if (take('}')) break;
      if (!take(',') || !take(' ')) return false;
    }
    return pos_ == s_.size() && (seen & 26u) == 26u;  // handle, media_type, size_bytes
  }

 private:
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }

  // Printable ASCII without escapes.
  bool string(std::string_view& text) { return take('"') && scan_plain_string(s_, pos_, text); }

  // 0|[1-9][0-9]{0,17}: always within int64. Longer, negative or fractional: general route.
  bool integer(std::int64_t& out) {
    const std::size_t begin = pos_;
    std::int64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9' && pos_ - begin < 18) {
      v = v * 10 + (s_[pos_] - '0');
      ++pos_;
    }
    const std::size_t digits = pos_ - begin;
    if (digits == 0 || (digits > 1 && s_[begin] == '0')) return false;
    if (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '}') return false;
    out = v;
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

ArtifactRef parse_artifact_metadata(std::string_view text) {
  ArtifactRef ref;
  if (MetadataReader(text).read(ref)) return ref;
  if (!is_valid_utf8(text)) throw ValueError("'utf-8' codec can't decode the metadata file: invalid UTF-8");
  return ArtifactRef::from_dict(load_stored_json(text));
}

}  // namespace contextweaver::store_detail
