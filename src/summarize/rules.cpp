#include "contextweaver/summarize/rules.hpp"

#include <algorithm>
#include <array>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/core/char_classes.hpp"

namespace contextweaver {

namespace {

using unicode_class::is_word_char;

constexpr std::array<std::u32string_view, 9> kKeyWords = {U"error",  U"success", U"failed",  U"total",    U"count",
                                                          U"status", U"result",  U"warning", U"exception"};

// The case folding re.IGNORECASE applies to the letters of kKeyWords: ASCII,
// plus the non-ASCII characters that fold onto them (ſ -> s, ı/İ -> i).
char32_t fold(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp - 'A' + 'a';
  if (cp == 0x17F) return 's';
  if (cp == 0x131 || cp == 0x130) return 'i';
  return cp;
}

// re.search(r"\b(error|success|…|exception)\b", line, re.IGNORECASE).
bool is_key_line(std::string_view line) {
  std::u32string cps;
  for (std::size_t pos = 0; pos < line.size();) cps.push_back(decode_code_point(line, pos));
  const std::size_t n = cps.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && is_word_char(cps[i - 1])) continue;
    for (auto word : kKeyWords) {
      if (i + word.size() > n) continue;
      bool eq = true;
      for (std::size_t k = 0; k < word.size() && eq; ++k) eq = fold(cps[i + k]) == word[k];
      if (eq && (i + word.size() == n || !is_word_char(cps[i + word.size()]))) return true;
    }
  }
  return false;
}

std::string cap(std::string_view s, std::int64_t max_chars) {
  return slice_code_points(s, std::nullopt, std::max<std::int64_t>(max_chars, 0));
}

std::optional<std::string> summarize_json(std::string_view text) {
  Json obj;
  try {
    obj = loads(text);
  } catch (const JsonDecodeError&) {
    return std::nullopt;
  }
  std::string out;
  if (obj.is_object()) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : obj.items()) {
      if (keys.size() >= 20) break;
      keys.push_back(k);
    }
    out = "JSON object with " + std::to_string(obj.size()) + " key(s): ";
    for (std::size_t i = 0; i < keys.size(); ++i) out += (i ? ", " : "") + keys[i];
    for (std::size_t i = 0; i < keys.size() && i < 5; ++i) {
      out += "\n  " + keys[i] + ": " + std::string(py_type_name(obj[keys[i]]));
    }
  } else if (obj.is_array()) {
    out = "JSON array with " + std::to_string(obj.size()) + " item(s)";
    if (!obj.empty() && obj[0].is_object()) {
      out += "\n  item keys: ";
      std::size_t n = 0;
      for (const auto& [k, v] : obj[0].items()) {
        if (n >= 10) break;
        out += (n++ ? ", " : "") + k;
      }
    }
  } else {
    return std::nullopt;  // unreachable: the text starts with '{' or '['
  }
  return out;
}

}  // namespace

bool SummarizationRule::matches(std::string_view media_type, const Json& metadata) const {
  if (!media_type_prefix.empty() && !media_type.starts_with(media_type_prefix)) return false;
  if (required_tags.empty()) return true;
  const Json* tags = nullptr;
  if (metadata.is_object()) {
    auto it = metadata.find("tags");
    if (it != metadata.end()) tags = &*it;
  }
  for (const auto& tag : required_tags) {
    bool found = false;
    if (tags && tags->is_array()) {
      for (const auto& t : *tags) found = found || (t.is_string() && t.get_ref<const std::string&>() == tag);
    }
    if (!found) return false;
  }
  return true;
}

RuleEngine::RuleEngine(std::vector<SummarizationRule> rules) : rules_(std::move(rules)) {
  std::stable_sort(rules_.begin(), rules_.end(), [](const auto& a, const auto& b) { return a.priority > b.priority; });
}

void RuleEngine::add_rule(SummarizationRule rule) {
  rules_.push_back(std::move(rule));
  std::stable_sort(rules_.begin(), rules_.end(), [](const auto& a, const auto& b) { return a.priority > b.priority; });
}

std::string RuleEngine::resolve(std::string_view media_type, const Json& metadata) const {
  for (const auto& rule : rules_) {
    if (rule.matches(media_type, metadata)) return rule.summarizer_name;
  }
  return "default";
}

std::string RuleBasedSummarizer::summarize(std::string_view raw, const Json& /*metadata*/) const {
  std::string_view text = py_strip(raw);
  if (text.empty()) return cap("(empty)", max_chars_);
  if (text.front() == '{' || text.front() == '[') {
    if (auto json = summarize_json(text)) return cap(*json, max_chars_);
  }
  std::string body;
  bool any = false;
  for (auto line : splitlines(text)) {
    if (!is_key_line(line)) continue;
    if (any) body += '\n';
    body += py_strip(line);
    any = true;
  }
  if (any) {
    if (static_cast<std::int64_t>(code_point_count(body)) <= max_chars_) return body;
    if (max_chars_ < 3) return cap(body, max_chars_);  // docs/compat.md C9
    return slice_code_points(body, std::nullopt, max_chars_ - 3) + "...";
  }
  const auto len = static_cast<std::int64_t>(code_point_count(text));
  if (len <= max_chars_) return std::string(text);
  const std::int64_t half = (max_chars_ - 20) / 2;
  if (half <= 0) return cap(text, max_chars_);  // docs/compat.md C9: the reference returned marker + whole text
  return slice_code_points(text, std::nullopt, half) + "\n[...truncated...]\n" +
         slice_code_points(text, -half, std::nullopt);
}

}  // namespace contextweaver
