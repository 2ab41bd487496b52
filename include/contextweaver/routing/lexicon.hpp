// Related-word expansion for the vocabulary of tool APIs.
//
// A small curated list of groups of general API verbs and objects that mean
// the same thing to a user ("remove" ~ "delete", "ticket" ~ "issue",
// "mail" ~ "email"). Groups are general English/API vocabulary, never
// phrases from an evaluation set; the words are stemmed with the analyzer's
// stemmer when the lexicon is built.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace contextweaver {

// True for an analyzed term (stemmed when `stemmed`) that names an operation
// or thing any tool may have ("get", "list", "create", "put", "check",
// "current", "data"): a match on such words alone says nothing about whether
// the catalog can serve the request. A curated list of general API verbs and
// vague words, not drawn from any evaluation set.
bool is_generic_term(std::string_view term, bool stemmed = true);

// Thread-safety: immutable once built; builtin() is initialised once (a
// function-local static), so every member may run concurrently.
class Lexicon {
 public:
  // The built-in groups, stemmed (stem = true) or as written.
  static const Lexicon& builtin(bool stem = true);

  // An empty lexicon (the ablation baseline).
  Lexicon() = default;

  // Builds from explicit groups; each word is analyzed like a query word
  // (lowercased, and stemmed when stem is true). Words that analyze to
  // nothing (stopwords) are skipped; a group needs two distinct terms.
  static Lexicon from_groups(const std::vector<std::vector<std::string>>& groups, bool stem = true);

  // The terms related to `term` (an analyzed query term), without `term`
  // itself, sorted and unique. Empty when the term is in no group.
  const std::vector<std::string>& related(std::string_view term) const;

  // Lexicon words within the allowed edit distance of `term` (same first
  // letter, nearest distance only); empty when `term` is itself a word here.
  std::vector<std::string> typo_matches(std::string_view term) const;

  std::size_t size() const { return related_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> related_;
};

}  // namespace contextweaver
