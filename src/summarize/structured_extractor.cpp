// StructuredExtractor. The entity patterns (emails, URLs, numbers) are
// findall() scans written by hand: the reference's regexes are small, and
// Python's \b and \d are Unicode-aware.
#include "contextweaver/summarize/structured_extractor.hpp"

#include <algorithm>
#include <set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/summarize/extract.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/char_classes.hpp"

namespace contextweaver {

namespace {

using unicode_class::is_digit_char;
using unicode_class::is_lower_or_title_char;
using unicode_class::is_upper_char;
using unicode_class::is_word_char;

std::string join(const std::vector<std::string>& parts, std::size_t limit, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < limit; ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string head(std::string_view s, std::int64_t n) {
  return slice_code_points(s, std::nullopt, n);
}

bool ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool ascii_alnum(char c) {
  return ascii_alpha(c) || (c >= '0' && c <= '9');
}
bool email_local(char c) {
  return ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool email_domain(char c) {
  return ascii_alnum(c) || c == '.' || c == '-';
}

// findall(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"). Every start
// inside one local-part run sees the same '@' and domain, so a failed run is
// skipped whole (linear time on long inputs).
std::vector<std::string> find_emails(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!email_local(s[i])) {
      ++i;
      continue;
    }
    std::size_t run_end = i;
    while (run_end < s.size() && email_local(s[run_end])) ++run_end;
    if (run_end < s.size() && s[run_end] == '@') {
      std::size_t d0 = run_end + 1, d_end = d0;
      while (d_end < s.size() && email_domain(s[d_end])) ++d_end;
      // The greedy domain backs off to the last '.' that leaves >= 1 domain
      // char before it and >= 2 letters after it.
      std::size_t match_end = 0;
      for (std::size_t dot = d_end; dot-- > d0 + 1;) {
        if (s[dot] != '.') continue;
        std::size_t letters = dot + 1;
        while (letters < s.size() && ascii_alpha(s[letters])) ++letters;
        if (letters - (dot + 1) >= 2) {
          match_end = letters;
          break;
        }
      }
      if (match_end) {
        out.emplace_back(s.substr(i, match_end - i));
        i = match_end;
        continue;
      }
    }
    i = run_end;
  }
  return out;
}

// findall(r"https?://[^\s<>\"']+").
std::vector<std::string> find_urls(std::string_view s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = s.find("http", pos)) != std::string_view::npos) {
    std::size_t p = pos + 4;
    if (p < s.size() && s[p] == 's') ++p;
    if (s.substr(p, 3) != "://") {
      ++pos;
      continue;
    }
    p += 3;
    std::size_t end = p;
    while (end < s.size()) {
      std::size_t next = end;
      char32_t cp = decode_code_point(s, next);
      if (py_isspace(cp) || cp == '<' || cp == '>' || cp == '"' || cp == '\'') break;
      end = next;
    }
    if (end == p) {
      ++pos;
      continue;
    }
    out.emplace_back(s.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

// findall(r"\b\d[\d,.]*\b") over code points.
std::vector<std::string> find_numbers(std::string_view s) {
  std::vector<char32_t> cps;
  std::vector<std::size_t> offs;
  for (std::size_t pos = 0; pos < s.size();) {
    offs.push_back(pos);
    cps.push_back(decode_code_point(s, pos));
  }
  offs.push_back(s.size());
  const std::size_t n = cps.size();
  auto word = [&](std::size_t i) { return i < n && is_word_char(cps[i]); };
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < n) {
    if (!is_digit_char(cps[i]) || (i > 0 && word(i - 1))) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < n && (is_digit_char(cps[end]) || cps[end] == ',' || cps[end] == '.')) ++end;
    // Back off until a word boundary follows: \b between end-1 and end.
    std::size_t e = end;
    while (e > i + 1 && word(e - 1) == word(e)) --e;
    if (word(e - 1) != word(e)) {
      out.emplace_back(s.substr(offs[i], offs[e] - offs[i]));
      i = e;
    } else {
      ++i;
    }
  }
  return out;
}

// str.isupper(): at least one cased character and no lower/title-case one.
bool py_isupper(std::string_view s) {
  bool cased = false;
  for (std::size_t pos = 0; pos < s.size();) {
    char32_t cp = decode_code_point(s, pos);
    if (is_lower_or_title_char(cp)) return false;
    if (is_upper_char(cp)) cased = true;
  }
  return cased;
}

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::set<std::string> s(v.begin(), v.end());
  return {s.begin(), s.end()};
}

std::vector<std::string> extract_json(const Json& obj) {
  std::vector<std::string> facts;
  if (obj.is_object()) {
    facts.push_back("type: object (" + std::to_string(obj.size()) + " keys)");
    std::size_t n = 0;
    for (const auto& [k, v] : obj.items()) {
      if (n++ >= 10) break;
      if (v.is_array()) {
        facts.push_back(k + ": array[" + std::to_string(v.size()) + "]");
      } else if (v.is_object()) {
        facts.push_back(k + ": object(" + std::to_string(v.size()) + " keys)");
      } else {
        facts.push_back(k + ": " + std::string(py_type_name(v)) + " = " + head(py_str(v), 60));
      }
    }
  } else if (obj.is_array()) {
    facts.push_back("type: array (" + std::to_string(obj.size()) + " items)");
    if (!obj.empty() && obj[0].is_object()) {
      std::vector<std::string> cols;
      for (const auto& [k, v] : obj[0].items()) cols.push_back(k);
      facts.push_back("columns: " + join(cols, 10));
      for (std::size_t r = 0; r < obj.size() && r < 3; ++r) {
        const Json& row = obj[r];
        if (!row.is_object()) continue;  // docs/compat.md C9: the reference raised here
        std::vector<std::string> vals;
        for (std::size_t c = 0; c < cols.size() && c < 5; ++c) {
          auto it = row.find(cols[c]);
          vals.push_back(cols[c] + "=" + head(it == row.end() ? std::string() : py_str(*it), 20));
        }
        facts.push_back("  row: " + join(vals, vals.size()));
      }
    }
  } else {
    facts.push_back("type: " + std::string(py_type_name(obj)) + " = " + head(py_str(obj), 80));
  }
  return facts;
}

std::vector<std::string> extract_plain(std::string_view text) {
  std::vector<std::string> facts;
  auto lines = splitlines(text);
  facts.push_back("line_count: " + std::to_string(lines.size()));
  std::vector<std::string> headings;
  for (auto line : lines) {
    std::string_view t = py_strip(line);
    if (!t.empty() && (py_isupper(t) || t.front() == '#')) headings.emplace_back(t);
  }
  if (!headings.empty()) facts.push_back("sections: " + join(headings, 5));
  if (auto emails = find_emails(text); !emails.empty()) facts.push_back("emails: " + join(sorted_unique(emails), 5));
  if (auto urls = find_urls(text); !urls.empty()) facts.push_back("urls: " + join(sorted_unique(urls), 5));
  if (auto nums = find_numbers(text); !nums.empty()) facts.push_back("numbers: " + join(sorted_unique(nums), 10));
  for (auto& [k, v] : extract_key_value_pairs(text)) facts.push_back(k + ": " + v);
  return facts;
}

}  // namespace

std::vector<std::string> StructuredExtractor::extract(std::string_view raw, const Json& /*metadata*/) const {
  std::string_view text = py_strip(raw);
  if (text.empty()) return {};
  std::vector<std::string> facts;
  bool parsed = false;
  if (text.front() == '{' || text.front() == '[') {
    try {
      facts = extract_json(loads(text));
      parsed = true;
    } catch (const JsonDecodeError&) {
    }
  }
  if (!parsed) facts = extract_plain(text);
  std::vector<std::string> kept;
  std::int64_t total = 0;
  for (auto& fact : facts) {
    auto len = static_cast<std::int64_t>(code_point_count(fact));
    if (total + len > max_chars_) break;
    total += len;
    kept.push_back(std::move(fact));
  }
  return kept;
}

}  // namespace contextweaver
