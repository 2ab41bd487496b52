// looks_like_csv (views.hpp): CPython 3.11 csv.Sniffer().sniff() succeeds on the first
// five lines. Only success matters, so the quote pass reduces to "does one of
// its three delimiter regexes match anywhere", and the frequency pass to
// "does some ASCII character reach the 0.9 consistency floor".
#include <array>
#include <map>
#include <utility>
#include <vector>

#include "contextweaver/context/views.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/core/char_classes.hpp"

namespace contextweaver {

namespace {

using unicode_class::is_word_char;
bool is_word(char32_t cp) {
  return is_word_char(cp);
}

bool is_quote(char32_t c) {
  return c == '"' || c == '\'';
}
bool is_delim_class(char32_t c) {
  return !is_word(c) && c != '\n' && !is_quote(c);
}

// The three quote-pass patterns of Sniffer._guess_quote_and_delimiter that
// yield a delimiter:
//   (d)( ?)(q).*?(q)(d)      (^|\n)(q).*?(q)(d)( ?)      (d)( ?)(q).*?(q)($|\n)
bool quote_pass_finds_delimiter(const std::u32string& s) {
  const std::size_t n = s.size();
  // last[q][d]: last m with s[m]==q && s[m+1]==d; for pattern 2, any delimiter; for 3, end of line.
  std::map<std::pair<char32_t, char32_t>, std::size_t> last_pair;
  std::array<std::ptrdiff_t, 2> last_any{-1, -1}, last_eol{-1, -1};
  auto qi = [](char32_t q) { return q == '"' ? 0 : 1; };
  for (std::size_t m = 0; m < n; ++m) {
    if (!is_quote(s[m])) continue;
    if (m + 1 < n && is_delim_class(s[m + 1])) {
      last_pair[{s[m], s[m + 1]}] = m;
      last_any[qi(s[m])] = static_cast<std::ptrdiff_t>(m);
    }
    if (m + 1 == n || s[m + 1] == '\n') last_eol[qi(s[m])] = static_cast<std::ptrdiff_t>(m);
  }
  // Pattern 1 (and 3): an opening delimiter, an optional space, a quote.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (!is_delim_class(s[i])) continue;
    for (std::size_t p : {i + 1, i + 2}) {
      if (p >= n || !is_quote(s[p])) continue;
      if (p == i + 2 && s[i + 1] != ' ') continue;
      auto it = last_pair.find({s[p], s[i]});
      if (it != last_pair.end() && it->second > p) return true;
    }
  }
  // Pattern 2: a quote opening a line, closed by the same quote before a delimiter.
  for (std::size_t p = 0; p < n; ++p) {
    if (!is_quote(s[p]) || (p > 0 && s[p - 1] != '\n')) continue;
    if (last_any[qi(s[p])] > static_cast<std::ptrdiff_t>(p)) return true;
  }
  // Pattern 3.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (!is_delim_class(s[i])) continue;
    for (std::size_t p : {i + 1, i + 2}) {
      if (p >= n || !is_quote(s[p])) continue;
      if (p == i + 2 && s[i + 1] != ' ') continue;
      if (last_eol[qi(s[p])] > static_cast<std::ptrdiff_t>(p)) return true;
    }
  }
  return false;
}

// Sniffer._guess_delimiter on at most five lines (one chunk): some ASCII
// character's modal per-line count is > 0 and its adjusted frequency reaches
// the consistency floor.
bool frequency_pass_finds_delimiter(const std::u32string& s) {
  std::vector<std::u32string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      if (i > start) lines.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  if (lines.empty()) return false;
  const double total = static_cast<double>(std::min<std::size_t>(10, lines.size()));
  std::vector<std::pair<std::size_t, std::size_t>> modes(127, {0, 0});  // (freq, adjusted count)
  std::vector<bool> has_mode(127, false);
  for (char32_t c = 0; c < 127; ++c) {
    // Frequencies in order of first appearance, with how many lines had each.
    std::vector<std::pair<std::size_t, std::size_t>> freq;
    for (std::size_t l = 0; l < lines.size() && l < 10; ++l) {
      std::size_t count = 0;
      for (char32_t x : lines[l]) count += x == c;
      bool found = false;
      for (auto& f : freq) {
        if (f.first == count) {
          ++f.second;
          found = true;
        }
      }
      if (!found) freq.emplace_back(count, 1);
    }
    if (freq.size() == 1 && freq[0].first == 0) continue;
    std::size_t best = 0;
    for (std::size_t k = 1; k < freq.size(); ++k) {
      if (freq[k].second > freq[best].second) best = k;
    }
    std::ptrdiff_t adjusted = static_cast<std::ptrdiff_t>(freq[best].second);
    for (std::size_t k = 0; k < freq.size(); ++k) {
      if (k != best) adjusted -= static_cast<std::ptrdiff_t>(freq[k].second);
    }
    if (freq[best].first > 0 && adjusted > 0) {
      modes[c] = {freq[best].first, static_cast<std::size_t>(adjusted)};
      has_mode[c] = true;
    }
  }
  for (double consistency = 1.0; consistency >= 0.9; consistency -= 0.01) {
    for (std::size_t c = 0; c < 127; ++c) {
      if (has_mode[c] && static_cast<double>(modes[c].second) / total >= consistency) return true;
    }
  }
  return false;
}

}  // namespace

bool looks_like_csv(std::string_view text) {
  auto lines = splitlines(text);
  if (lines.size() < 2) return false;
  std::u32string sample;
  for (std::size_t i = 0; i < lines.size() && i < 5; ++i) {
    if (i) sample += U'\n';
    for (std::size_t pos = 0; pos < lines[i].size();) sample += decode_code_point(lines[i], pos);
  }
  return quote_pass_finds_delimiter(sample) || frequency_pass_finds_delimiter(sample);
}

}  // namespace contextweaver
