#include "contextweaver/routing/dictionary.hpp"

#include <cstdlib>
#include <fstream>

#include "contextweaver/routing/analyzer.hpp"

namespace contextweaver {
namespace {

bool letters_only(std::string_view w) {
  if (w.empty()) return false;
  for (const char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// Adds the first `columns` space-separated fields of every line (index files:
// the lemma; exception files: the inflected form and its base form).
void read_words(const std::filesystem::path& file, std::size_t columns, std::unordered_set<std::string>& out) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;  // the licence header lines start with spaces
    std::size_t start = 0;
    for (std::size_t c = 0; c < columns && start < line.size(); ++c) {
      std::size_t end = line.find(' ', start);
      if (end == std::string::npos) end = line.size();
      std::string w = line.substr(start, end - start);
      for (auto& ch : w) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
      }
      if (letters_only(w)) out.insert(std::move(w));
      start = end + 1;
    }
  }
}

}  // namespace

EnglishDictionary EnglishDictionary::load(const std::filesystem::path& dir) {
  EnglishDictionary d;
  for (const char* pos : {"noun", "verb", "adj", "adv"}) {
    read_words(dir / (std::string("index.") + pos), 1, d.words_);
    read_words(dir / (std::string(pos) + ".exc"), 2, d.words_);
  }
  d.stems_.reserve(d.words_.size());
  for (const auto& w : d.words_) d.stems_.insert(stem_word(w));
  return d;
}

const EnglishDictionary& EnglishDictionary::system() {
  static const EnglishDictionary dict = [] {
    const char* env = std::getenv("CW_WORDNET_DIR");
    return load(env != nullptr && *env != '\0' ? std::filesystem::path(env) : "/usr/share/wordnet");
  }();
  return dict;
}

bool EnglishDictionary::contains(std::string_view term, bool stemmed) const {
  const std::string t(term);
  return stemmed ? stems_.count(t) != 0 : words_.count(t) != 0;
}

}  // namespace contextweaver
