#include "contextweaver/routing/analyzer.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <memory>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {
namespace {

// English function words plus the fillers of requests to an agent ("please
// can you …"). Sorted for binary search. Deliberately absent: words that name
// API operations or objects ("new", "get", "set", "open", "up"). Number words
// are values, as digits are.
constexpr std::string_view kStopwords[] = {
    "a",          "about",    "all",     "also",      "am",       "an",        "and",      "any",       "anybody",
    "anyone",     "anything", "are",     "as",        "at",       "be",        "been",     "being",     "both",
    "but",        "by",       "can",     "could",     "did",      "didn",      "do",       "does",      "doesn",
    "doing",      "don",      "each",    "eight",     "either",   "else",      "every",    "everybody", "everyone",
    "everything", "five",     "for",     "four",      "from",     "got",       "had",      "has",       "have",
    "having",     "he",       "her",     "here",      "hers",     "him",       "his",      "how",       "i",
    "if",         "im",       "in",      "into",      "is",       "isn",       "it",       "its",       "itself",
    "just",       "kindly",   "let",     "lets",      "like",     "ll",        "many",     "me",        "might",
    "mine",       "much",     "must",    "my",        "myself",   "need",      "needs",    "nine",      "nobody",
    "of",         "on",       "one",     "or",        "our",      "ours",      "please",   "pls",       "quick",
    "quickly",    "re",       "really",  "right",     "seven",    "she",       "should",   "six",       "so",
    "some",       "somebody", "someone", "something", "such",     "ten",       "than",     "thank",     "thanks",
    "that",       "the",      "their",   "them",      "then",     "there",     "these",    "they",      "this",
    "those",      "three",    "to",      "too",       "two",      "us",        "ve",       "very",      "wanna",
    "want",       "was",      "wasn",    "we",        "were",     "what",      "whatever", "when",      "where",
    "whether",    "which",    "while",   "who",       "whom",     "why",       "will",     "with",      "won",
    "would",      "you",      "your",    "yours",     "yourself", "yourselves"};

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_lower(c) || is_upper(c) || is_digit(c);
}
char fold(char c) {
  return is_upper(c) ? static_cast<char>(c + 32) : c;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

sb_stemmer* thread_stemmer() {
  // libstemmer keeps per-call state in the stemmer object, so one per thread.
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(sb_stemmer_new("english", nullptr));
  if (!stemmer) throw ContextWeaverError("libstemmer: cannot create the English Snowball stemmer");
  return stemmer.get();
}

}  // namespace

std::vector<std::string> split_words(std::string_view text, bool split_case) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    const bool keep = is_alnum(c) || (!split_case && (c == '_' || c == '-' || c == '.' || c == '/'));
    if (!keep) {
      flush();
      continue;
    }
    if (split_case && !cur.empty() && is_upper(c)) {
      const char prev = text[i - 1];
      const bool next_lower = i + 1 < n && is_lower(text[i + 1]);
      // lower→Upper ("listIssues"), or the last capital of an acronym that
      // starts a capitalised word ("HTTPServer" → "http" | "server").
      if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && next_lower)) flush();
    }
    cur += fold(c);
  }
  flush();
  if (!split_case) {
    // Trim joiners left at either end ("-foo." → "foo").
    for (auto& w : out) {
      const auto b = w.find_first_not_of("_-./");
      const auto e = w.find_last_not_of("_-./");
      w = b == std::string::npos ? std::string() : w.substr(b, e - b + 1);
    }
    std::erase_if(out, [](const std::string& w) { return w.empty(); });
  }
  return out;
}

bool is_ranking_stopword(std::string_view word) {
  return std::binary_search(std::begin(kStopwords), std::end(kStopwords), word);
}

std::string stem_word(std::string_view word) {
  if (word.size() <= 2) return std::string(word);
  sb_stemmer* s = thread_stemmer();
  const sb_symbol* r =
      sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (r == nullptr) throw ContextWeaverError("libstemmer: out of memory while stemming");
  return std::string(reinterpret_cast<const char*>(r), static_cast<std::size_t>(sb_stemmer_length(s)));
}

namespace {

bool all_digits(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return is_digit(c); });
}

// Stopword and number removal, then stemming; false when the word is dropped.
bool normalise(std::string& w, const AnalyzerOptions& options) {
  if (w.size() < 2) return false;  // stray letters and digits carry nothing
  // Numbers are values ("ticket 4411", "at 4:30"), not tool vocabulary.
  if (all_digits(w)) return false;
  if (options.drop_stopwords && is_ranking_stopword(w)) return false;
  if (options.stem) w = stem_word(w);
  return true;
}

}  // namespace

std::vector<AnalyzedWord> analyze_words(std::string_view text, const AnalyzerOptions& options) {
  std::vector<AnalyzedWord> out;
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (!is_alnum(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && is_alnum(text[j])) ++j;
    // A compound of exactly two hyphenated runs ("on-call", "to-do",
    // "e-mail") is one word, so that it meets its closed spelling ("oncall").
    const bool chained = i >= 2 && text[i - 1] == '-' && is_alnum(text[i - 2]);
    if (options.split_identifiers && !chained && j + 1 < n && text[j] == '-' && is_alnum(text[j + 1])) {
      std::size_t k = j + 1;
      while (k < n && is_alnum(text[k])) ++k;
      if (!(k + 1 < n && text[k] == '-' && is_alnum(text[k + 1]))) j = k;
    }
    const std::string_view run = text.substr(i, j - i);
    i = j;
    AnalyzedWord word;
    std::vector<std::string> parts = split_words(run, options.split_identifiers);
    if (parts.size() > 1) {
      std::string joined;
      for (const auto& p : parts) joined += p;
      if (normalise(joined, options)) word.joined = std::move(joined);
    }
    for (auto& p : parts) {
      if (normalise(p, options)) word.parts.push_back(std::move(p));
    }
    if (!word.joined.empty() || !word.parts.empty()) out.push_back(std::move(word));
  }
  return out;
}

std::vector<std::string> analyze(std::string_view text, const AnalyzerOptions& options) {
  std::vector<std::string> out;
  if (!options.split_identifiers) {
    // The ablation baseline: whole identifiers ("list_issues") as terms.
    for (auto& w : split_words(text, false)) {
      if (normalise(w, options)) out.push_back(std::move(w));
    }
    return out;
  }
  for (auto& word : analyze_words(text, options)) {
    if (!word.joined.empty()) out.push_back(std::move(word.joined));
    for (auto& p : word.parts) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace contextweaver
