#include "tfidf_index.hpp"

#include <algorithm>
#include <cmath>

namespace contextweaver {

void TfIdfIndex::fit(const std::vector<std::string>& corpus) {
  vocab_ = TokenVocabulary();
  docs_.assign(corpus.size(), {});
  std::vector<std::uint32_t> df;
  for (std::size_t d = 0; d < corpus.size(); ++d) {
    vocab_.token_ids(corpus[d], docs_[d]);
    std::sort(docs_[d].begin(), docs_[d].end());  // token_ids gives first-occurrence order
    if (df.size() < vocab_.size()) df.resize(vocab_.size(), 0);
    for (const std::uint32_t t : docs_[d]) ++df[t];
  }
  const double n = static_cast<double>(docs_.size());
  idf_.assign(df.size(), 0.0);
  by_text_.clear();
  for (std::uint32_t t = 0; t < df.size(); ++t) {
    if (df[t] == 0) continue;
    idf_[t] = std::log((1.0 + n) / (1.0 + static_cast<double>(df[t]))) + 1.0;
    by_text_.emplace(vocab_.token(t), t);
  }
  default_idf_ = std::log(1.0 + n) + 1.0;
}

TfIdfIndex::Query TfIdfIndex::prepare(std::string_view query) const {
  Query q;
  for (const auto& token : tokenize(query)) {  // sorted, as the reference iterates
    const auto it = by_text_.find(token);
    q.ids.push_back(it == by_text_.end() ? -1 : static_cast<std::int64_t>(it->second));
    q.idf.push_back(it == by_text_.end() ? default_idf_ : idf_[it->second]);
  }
  return q;
}

double TfIdfIndex::score(const Query& query, std::size_t index) const {
  const auto& doc = docs_[index];
  if (query.ids.empty() || doc.empty()) return 0.0;
  const double inverse_total = 1.0 / static_cast<double>(doc.size());
  double s = 0.0;
  for (std::size_t k = 0; k < query.ids.size(); ++k) {
    const std::int64_t id = query.ids[k];
    const bool present = id >= 0 && std::binary_search(doc.begin(), doc.end(), static_cast<std::uint32_t>(id));
    s += (present ? inverse_total : 0.0 * inverse_total) * query.idf[k];
  }
  return s;
}

}  // namespace contextweaver
