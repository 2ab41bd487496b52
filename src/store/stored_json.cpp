#include "stored_json.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace contextweaver::store_detail {
namespace {

constexpr int kMaxDepth = 64;  // deeper values take the general parser

class FastParser {
 public:
  explicit FastParser(std::string_view s) : s_(s) {}

  bool document(Json& out) {
    skip_spaces();
    if (!value(out, 0)) return false;
    skip_spaces();
    return pos_ == s_.size();
  }

 private:
  void skip_spaces() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool value(Json& out, int depth) {
    if (pos_ >= s_.size() || depth > kMaxDepth) return false;
    switch (s_[pos_]) {
      case '{':
        return object(out, depth);
      case '[':
        return array(out, depth);
      case '"': {
        std::string_view text;
        if (!string(text)) return false;
        out = Json(std::string(text));
        return true;
      }
      case 't':
        out = Json(true);
        return literal("true");
      case 'f':
        out = Json(false);
        return literal("false");
      case 'n':
        out = Json(nullptr);
        return literal("null");
      default:
        return integer(out);
    }
  }

  // A string of printable ASCII without escapes, as dumps writes most keys and values.
  bool string(std::string_view& text) {
    ++pos_;
    return scan_plain_string(s_, pos_, text);
  }

  // -?(0|[1-9][0-9]*) within int64, not followed by a fraction or exponent.
  bool integer(Json& out) {
    const std::size_t begin = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') return false;
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) return false;
    std::int64_t v = 0;
    const auto r = std::from_chars(s_.data() + begin, s_.data() + pos_, v);
    if (r.ec != std::errc() || r.ptr != s_.data() + pos_) return false;  // beyond int64: general parser
    out = Json(v);
    return true;
  }

  bool array(Json& out, int depth) {
    ++pos_;
    out = Json::array();
    auto& items = out.get_ref<Json::array_t&>();
    items.reserve(4);  // growing from 1 reallocates three times for a short list
    skip_spaces();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_spaces();
      items.emplace_back();
      if (!value(items.back(), depth + 1)) return false;
      skip_spaces();
      if (pos_ >= s_.size()) return false;
      if (s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      if (s_[pos_] != ',') return false;
      ++pos_;
    }
  }

  bool object(Json& out, int depth) {
    ++pos_;
    out = Json::object();
    auto& members = static_cast<std::vector<std::pair<const std::string, Json>>&>(out.get_ref<Json::object_t&>());
    // Growing reallocates and copies every key (the key is const, so not
    // moved): start with room for a typical metadata object.
    members.reserve(8);
    skip_spaces();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_spaces();
      std::string_view key;
      if (pos_ >= s_.size() || s_[pos_] != '"' || !string(key)) return false;
      // A duplicate key has Python's first-position/last-value rule: general parser.
      for (const auto& member : members) {
        if (member.first == key) return false;
      }
      skip_spaces();
      if (pos_ >= s_.size() || s_[pos_] != ':') return false;
      ++pos_;
      skip_spaces();
      members.emplace_back(std::string(key), Json());
      if (!value(members.back().second, depth + 1)) return false;
      skip_spaces();
      if (pos_ >= s_.size()) return false;
      if (s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      if (s_[pos_] != ',') return false;
      ++pos_;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<Json> decode_stored_json(std::string_view text) {
  Json out;
  if (!FastParser(text).document(out)) return std::nullopt;
  return out;
}

}  // namespace contextweaver::store_detail
