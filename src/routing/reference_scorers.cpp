#include "contextweaver/routing/reference_scorers.hpp"

#include <algorithm>
#include <cmath>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

// ---------------------------------------------------------------- BM25 ----

BM25Scorer::BM25Scorer(double k1, double b, double epsilon) : k1_(k1), b_(b), epsilon_(epsilon) {}

void BM25Scorer::fit(const std::vector<std::string>& corpus) {
  vocab_.clear();
  idf_.clear();
  doc_tf_.assign(corpus.size(), {});
  doc_len_.assign(corpus.size(), 0.0);
  std::vector<std::int64_t> doc_freq;  // by term id
  std::int64_t total_len = 0;
  for (std::size_t d = 0; d < corpus.size(); ++d) {
    const std::vector<std::string> tokens = tokenize_list(corpus[d]);
    total_len += static_cast<std::int64_t>(tokens.size());
    doc_len_[d] = static_cast<double>(tokens.size());
    auto& tf = doc_tf_[d];
    for (const auto& token : tokens) {
      const auto [it, inserted] = vocab_.emplace(token, static_cast<std::int64_t>(vocab_.size()));
      if (inserted) doc_freq.push_back(0);
      tf.emplace_back(it->second, 1.0);
    }
    std::sort(tf.begin(), tf.end());
    // Collapse to (term, count) and count each term once per document.
    std::vector<std::pair<std::int64_t, double>> merged;
    for (const auto& [term, one] : tf) {
      if (!merged.empty() && merged.back().first == term) {
        merged.back().second += one;
      } else {
        merged.emplace_back(term, one);
        ++doc_freq[static_cast<std::size_t>(term)];
      }
    }
    tf = std::move(merged);
  }
  degenerate_ = corpus.empty() || vocab_.empty();
  if (degenerate_) return;
  const double n = static_cast<double>(corpus.size());
  avgdl_ = static_cast<double>(total_len) / n;
  // Term ids follow first appearance, the order rank_bm25 sums the idfs in.
  idf_.resize(vocab_.size());
  double idf_sum = 0.0;
  std::vector<std::size_t> negative;
  for (std::size_t t = 0; t < idf_.size(); ++t) {
    const double df = static_cast<double>(doc_freq[t]);
    const double idf = std::log(n - df + 0.5) - std::log(df + 0.5);
    idf_[t] = idf;
    idf_sum += idf;
    if (idf < 0) negative.push_back(t);
  }
  const double average_idf = idf_sum / static_cast<double>(idf_.size());
  const double eps = epsilon_ * average_idf;
  for (const std::size_t t : negative) idf_[t] = eps;
}

BM25Scorer::Prepared BM25Scorer::prepare(std::string_view query) const {
  Prepared out;
  for (const auto& token : tokenize_list(query)) {
    const auto it = vocab_.find(token);
    out.terms.push_back(it == vocab_.end() ? -1 : it->second);
  }
  return out;
}

double BM25Scorer::score_prepared(const Prepared& query, std::size_t index) const {
  if (index >= doc_len_.size()) throw KeyError("BM25Scorer: document index out of range");
  if (degenerate_ || query.terms.empty()) return 0.0;
  const auto& tf = doc_tf_[index];
  const double dl = doc_len_[index];
  const double norm = k1_ * ((1.0 - b_) + (b_ * dl) / avgdl_);
  double score = 0.0;
  for (const std::int64_t term : query.terms) {
    if (term < 0) continue;  // unseen term: idf 0, adds 0.0
    const double idf = idf_[static_cast<std::size_t>(term)];
    const auto it = std::lower_bound(tf.begin(), tf.end(), std::make_pair(term, 0.0),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const double f = (it != tf.end() && it->first == term) ? it->second : 0.0;
    score += idf * ((f * (k1_ + 1.0)) / (f + norm));
  }
  return score;
}

double BM25Scorer::score(std::string_view query, std::size_t index) const {
  if (index >= doc_len_.size()) throw KeyError("BM25Scorer: document index out of range");
  return score_prepared(prepare(query), index);
}

// --------------------------------------------------------------- Fuzzy ----
namespace {

// str.split(): runs of Unicode whitespace separate tokens.
std::vector<std::u32string> split_ws(std::string_view text) {
  std::vector<std::u32string> out;
  std::u32string current;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = decode_code_point(text, pos);
    if (py_isspace(cp)) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += cp;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::vector<std::u32string> sorted_set(std::vector<std::u32string> tokens) {
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

std::size_t lcs_length(const std::u32string& a, const std::u32string& b) {
  if (a.empty() || b.empty()) return 0;
  std::vector<std::size_t> row(b.size() + 1, 0);
  for (const char32_t ca : a) {
    std::size_t diag = 0;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = ca == b[j - 1] ? diag + 1 : std::max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.size()];
}

std::u32string join(const std::vector<const std::u32string*>& parts) {
  std::u32string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += U' ';
    out += *parts[i];
  }
  return out;
}

// 100 - 100*dist/lensum, as rapidfuzz's _norm_distance with cutoff 0.
double norm_similarity(std::size_t dist, std::size_t lensum) {
  if (lensum == 0) return 100.0;
  return 100.0 - static_cast<double>(100 * dist) / static_cast<double>(lensum);
}

double token_set_ratio_sets(const std::vector<std::u32string>& a, const std::vector<std::u32string>& b) {
  if (a.empty() || b.empty()) return 0.0;
  std::vector<const std::u32string*> inter, only_a, only_b;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      only_a.push_back(&a[i++]);
    } else if (i == a.size() || b[j] < a[i]) {
      only_b.push_back(&b[j++]);
    } else {
      inter.push_back(&a[i]);
      ++i;
      ++j;
    }
  }
  if (!inter.empty() && (only_a.empty() || only_b.empty())) return 100.0;
  const std::u32string sa = join(only_a);
  const std::u32string sb = join(only_b);
  const std::size_t la = sa.size();
  const std::size_t lb = sb.size();
  std::size_t li = 0;
  if (!inter.empty()) {
    for (const auto* t : inter) li += t->size();
    li += inter.size() - 1;
  }
  const std::size_t has_i = li > 0 ? 1 : 0;
  const std::size_t sab = li + has_i + la;
  const std::size_t sba = li + has_i + lb;
  const std::size_t dist = la + lb - 2 * lcs_length(sa, sb);
  const double result = norm_similarity(dist, sab + sba);
  if (li == 0) return result;
  const double ab = norm_similarity(has_i + la, li + sab);
  const double ba = norm_similarity(has_i + lb, li + sba);
  return std::max({result, ab, ba});
}

}  // namespace

double token_set_ratio(std::string_view a, std::string_view b) {
  return token_set_ratio_sets(sorted_set(split_ws(a)), sorted_set(split_ws(b)));
}

void FuzzyScorer::fit(const std::vector<std::string>& corpus) {
  docs_.clear();
  docs_.reserve(corpus.size());
  for (const auto& doc : corpus) docs_.push_back(sorted_set(split_ws(doc)));
}

FuzzyScorer::Prepared FuzzyScorer::prepare(std::string_view query) const {
  Prepared out;
  out.empty_query = query.empty();
  out.tokens = sorted_set(split_ws(query));
  return out;
}

double FuzzyScorer::score_prepared(const Prepared& query, std::size_t index) const {
  if (index >= docs_.size()) throw KeyError("FuzzyScorer: document index out of range");
  if (query.empty_query) return 0.0;
  return token_set_ratio_sets(query.tokens, docs_[index]) / 100.0;
}

double FuzzyScorer::score(std::string_view query, std::size_t index) const {
  if (index >= docs_.size()) throw KeyError("FuzzyScorer: document index out of range");
  return score_prepared(prepare(query), index);
}

}  // namespace contextweaver
