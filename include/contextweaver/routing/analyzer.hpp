// Text analysis for the default tool router: identifier splitting, folding,
// stopwords and Snowball stemming (libstemmer, English).
//
// Tool names come as snake_case, camelCase, kebab-case or dotted ids, and
// users type plain words; both sides go through the same analysis so that
// "listIssues", "list_issues" and "list the issues" meet on "list" + "issu".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace contextweaver {

// Which analysis steps run; every flag exists so that each component can be
// measured on its own (docs/routing-quality.md, ablation).
struct AnalyzerOptions {
  bool split_identifiers = true;  // camelCase and _ - . / boundaries
  bool stem = true;               // Snowball English
  bool drop_stopwords = true;     // English function words and request fillers
};

// Splits an identifier or free text into lowercase ASCII alphanumeric words.
// Boundaries: any non-alphanumeric byte, lower→Upper ("listIssues"), and the
// end of an acronym before a capitalised word ("HTTPServer" → http, server).
// Letters and digits stay together ("s3", "ec2", "v10"). Non-ASCII bytes are
// separators. With split_case false only whitespace and punctuation other than
// "_-./" split, and case boundaries are ignored (the ablation baseline).
std::vector<std::string> split_words(std::string_view text, bool split_case = true);

// True for the analyzer's stopwords (lowercase input).
bool is_ranking_stopword(std::string_view word);

// Snowball English stem of one lowercase word. Thread-safe (one stemmer per
// thread). Words of two bytes or fewer are returned unchanged.
std::string stem_word(std::string_view word);

// One alphanumeric run of the text, analyzed. A run with case boundaries
// ("PagerDuty", "NullPointerException") also yields its joined form, so that
// it meets a catalog that spells the product as one word ("pagerduty").
struct AnalyzedWord {
  std::string joined;              // empty unless the run split into several parts
  std::vector<std::string> parts;  // the analyzed parts (one for a plain word)
};

// Per run: split_words, then dropping of stopwords, one-letter words and pure
// numbers (values, not vocabulary), then stemming, as the options say.
std::vector<AnalyzedWord> analyze_words(std::string_view text, const AnalyzerOptions& options = {});

// The terms of a document: every run's joined form (if any) then its parts.
// Occurrence order, duplicates kept (term frequency matters). Without
// identifier splitting, runs of [A-Za-z0-9_-./] are whole terms.
std::vector<std::string> analyze(std::string_view text, const AnalyzerOptions& options = {});

}  // namespace contextweaver
