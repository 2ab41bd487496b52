// An English word list, read from WordNet's data files at run time, so that
// typo tolerance can tell a misspelling ("gmial", "serch") from a real word
// the catalog merely lacks ("contract", "passport", "pizza").
//
// Source: Debian's wordnet-base package (/usr/share/wordnet, installed by
// scripts/bootstrap). The data is never copied into the repository; without
// it the dictionary is empty and every unknown word may be a typo (the
// behaviour before the dictionary existed).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

namespace contextweaver {

// Thread-safety: immutable once loaded; system() is initialised once (a
// function-local static), so every member may run concurrently.
class EnglishDictionary {
 public:
  // An empty dictionary: contains() is always false.
  EnglishDictionary() = default;

  // Reads the single-word lemmas of index.noun/verb/adj/adv and the inflected
  // forms of the *.exc files in `dir`, lower-cased, keeping words made of
  // ASCII letters only. A missing directory or file gives fewer (or no) words;
  // this never throws for missing data.
  static EnglishDictionary load(const std::filesystem::path& dir);

  // Loaded once per process from $CW_WORDNET_DIR, else /usr/share/wordnet.
  static const EnglishDictionary& system();

  // True when `term`, an analyzed (lower-case, stemmed when `stemmed`) term,
  // is the analysis of a dictionary word.
  bool contains(std::string_view term, bool stemmed = true) const;
  bool empty() const { return words_.empty(); }
  std::size_t size() const { return words_.size(); }

 private:
  std::unordered_set<std::string> words_;  // as read
  std::unordered_set<std::string> stems_;  // Snowball stems of words_
};

}  // namespace contextweaver
