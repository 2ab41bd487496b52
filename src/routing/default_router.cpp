// DefaultRouter::rank, in stages: filters, query analysis and expansion, BM25F
// scoring over the inverted index, the family-aware top k, explanations and
// the refusal.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/dictionary.hpp"
#include "contextweaver/routing/default_router.hpp"
#include "contextweaver/routing/typo.hpp"

namespace contextweaver {
namespace {

struct Alternative {
  std::uint32_t term_id;
  double factor;
  const char* kind;
};

// One query term and the catalog terms that may stand for it; a document
// earns the best alternative, never the sum (expansions must not stack).
struct Group {
  std::string query_term;
  double weight = 1.0;
  double ideal = 0.0;  // weight · idf of the term itself (or the rarest possible term)
  bool hint = false;
  std::vector<Alternative> alts;
};

// What one rank() call reads of the ranker.
struct RankerState {
  const DefaultRouterConfig& config;
  const Lexicon& lexicon;
  const FieldIndex& index;
  const std::vector<SelectableItem>& items;  // by slot
  const std::vector<std::uint32_t>& family_of;
  std::uint32_t family_count;
};

double idf(std::size_t n, std::size_t df) {
  const double N = static_cast<double>(n);
  const double d = static_cast<double>(df);
  return std::log(1.0 + (N - d + 0.5) / (d + 0.5));
}

// Catalog terms within the allowed edit distance of an unknown term, sharing
// its first letter (a misspelt first letter is rare, and the rule keeps
// "flight" from becoming "light"); only the nearest distance is kept.
std::vector<std::uint32_t> typo_matches(const FieldIndex& index, const std::string& term) {
  std::vector<std::uint32_t> out;
  const std::size_t max_d = allowed_typo_distance(term.size());
  if (max_d == 0) return out;
  std::size_t best = max_d + 1;
  for (std::uint32_t id = 0; id < index.term_count(); ++id) {
    const std::string& cand = index.term(id);
    if (cand.empty() || cand[0] != term[0] || index.df(id) == 0) continue;
    if ((cand.size() > term.size() ? cand.size() - term.size() : term.size() - cand.size()) > max_d) continue;
    if (allowed_typo_distance(cand.size()) == 0) continue;
    const std::size_t d = bounded_edit_distance(term, cand, std::min(best, max_d));
    if (d < best) {
      best = d;
      out.clear();
    }
    if (d == best && d <= max_d) out.push_back(id);
  }
  return out;
}

// --- Query analysis: each distinct term once, with its alternatives --------

class QueryBuilder {
 public:
  QueryBuilder(const RankerState& state, RankResult& result)
      : s_(state), result_(result), n_(state.index.live_count()), max_idf_(idf(n_, 0)) {}

  // Splits `text` into terms ("PagerDuty" is one term when the catalog knows
  // "pagerduty", else two) and adds each new one as a group.
  void add_text(std::string_view text, double weight, bool hint) {
    const AnalyzerOptions& analyzer = s_.config.analyzer;
    if (!analyzer.split_identifiers) {
      for (const auto& t : analyze(text, analyzer)) add_term(t, weight, hint);
      return;
    }
    for (const auto& word : analyze_words(text, analyzer)) {
      if (!word.joined.empty() && (s_.index.term_id(word.joined) || word.parts.empty())) {
        add_term(word.joined, weight, hint);
      } else {
        for (const auto& p : word.parts) add_term(p, weight, hint);
      }
    }
  }

  std::vector<Group> take() { return std::move(groups_); }

 private:
  void add_term(const std::string& t, double weight, bool hint) {
    if (!seen_.insert(t).second) return;
    const DefaultRouterConfig& config = s_.config;
    // Generic words ("get", "list", "today") say little about which tool is meant.
    if (is_generic_term(t, config.analyzer.stem)) weight *= config.generic_weight;
    Group g;
    g.query_term = t;
    g.weight = weight;
    g.hint = hint;
    const auto exact = s_.index.term_id(t);
    g.ideal = weight * (exact ? idf(n_, s_.index.df(*exact)) : max_idf_);
    if (exact) push(g, *exact, 1.0, "exact");
    if (config.related_words) {
      for (const auto& r : s_.lexicon.related(t)) {
        if (const auto id = s_.index.term_id(r)) push(g, *id, config.related_factor, "related");
      }
    }
    // An unknown word that is no API-vocabulary word may be a misspelling of
    // a catalog term or of a lexicon word (which then brings its relatives).
    const bool english_word = config.dictionary && EnglishDictionary::system().contains(t, config.analyzer.stem);
    if (!exact && config.typos && s_.lexicon.related(t).empty() && !english_word) add_typos(g);
    if (!hint) result_.query_terms.push_back(t);
    if (!hint && !exact && g.alts.empty()) result_.unknown_terms.push_back(t);
    groups_.push_back(std::move(g));
  }

  void add_typos(Group& g) {
    const DefaultRouterConfig& config = s_.config;
    double typo_idf = 0.0;
    for (const auto id : typo_matches(s_.index, g.query_term)) {
      push(g, id, config.typo_factor, "typo");
      typo_idf = std::max(typo_idf, idf(n_, s_.index.df(id)));
    }
    for (const auto& word : s_.lexicon.typo_matches(g.query_term)) {
      if (const auto id = s_.index.term_id(word)) {
        push(g, *id, config.typo_factor, "typo");
        typo_idf = std::max(typo_idf, idf(n_, s_.index.df(*id)));
      }
      for (const auto& r : s_.lexicon.related(word)) {
        if (const auto id = s_.index.term_id(r)) push(g, *id, config.typo_factor * config.related_factor, "typo");
      }
    }
    // A corrected term is judged against the term it was taken for.
    if (typo_idf > 0.0) g.ideal = g.weight * typo_idf;
  }

  // The first (strongest) way of reaching a term wins.
  static void push(Group& g, std::uint32_t id, double factor, const char* kind) {
    for (const auto& a : g.alts) {
      if (a.term_id == id) return;
    }
    g.alts.push_back({id, factor, g.hint ? "hint" : kind});
  }

  const RankerState& s_;
  RankResult& result_;
  std::vector<Group> groups_;
  std::unordered_set<std::string> seen_;
  std::size_t n_;
  double max_idf_;
};

// Query terms, then the stripped, non-blank hints' terms (recorded in result).
std::vector<Group> analyze_query(const RankerState& state, std::string_view query,
                                 const std::vector<std::string>& hints, RankResult& result) {
  QueryBuilder builder(state, result);
  builder.add_text(query, 1.0, false);
  for (const auto& h : hints) {
    const auto b = h.find_first_not_of(" \t\r\n\f\v");
    if (b == std::string::npos) continue;
    const auto e = h.find_last_not_of(" \t\r\n\f\v");
    result.context_hints.push_back(h.substr(b, e - b + 1));
    builder.add_text(result.context_hints.back(), state.config.hint_factor, true);
  }
  return builder.take();
}

// --- BM25F (fielded; the reference's plain BM25 is reference_scorers.hpp) ---

// The fielded BM25 of one (alternative, posting), with the per-field length
// normalisers of this index state.
class FieldedBm25 {
 public:
  explicit FieldedBm25(const RankerState& state) : config_(state.config), index_(state.index), n_(index_.live_count()) {
    for (std::size_t f = 0; f < kRankFieldCount; ++f) avg_[f] = index_.average_length(static_cast<RankField>(f));
  }

  // weight · factor · idf, once per alternative (not per posting).
  double alt_scale(const Group& g, const Alternative& a) const {
    return g.weight * a.factor * idf(n_, index_.df(a.term_id));
  }
  double term_score(double scale, const FieldIndex::Posting& p) const {
    const double t = tf_norm(p);
    return scale * t / (config_.k1 + t);
  }

 private:
  double tf_norm(const FieldIndex::Posting& p) const {
    double t = 0.0;
    for (std::size_t f = 0; f < kRankFieldCount; ++f) {
      if (p.tf[f] == 0 || config_.field_weight[f] == 0.0) continue;
      const double len = static_cast<double>(index_.field_length(p.slot, static_cast<RankField>(f)));
      const double norm = avg_[f] > 0.0 ? 1.0 - config_.field_b[f] + config_.field_b[f] * len / avg_[f] : 1.0;
      t += config_.field_weight[f] * static_cast<double>(p.tf[f]) / norm;
    }
    return t;
  }

  const DefaultRouterConfig& config_;
  const FieldIndex& index_;
  std::size_t n_;
  std::array<double, kRankFieldCount> avg_{};
};

constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;

struct Scratch {
  std::vector<double> score;
  std::vector<double> best;
  std::vector<std::uint32_t> touched;        // slots with score > 0, once each
  std::vector<std::uint32_t> group_touched;  // slots touched by the current group
  std::vector<std::uint32_t> family_best;    // by family id: best slot so far, or kNoSlot
  std::vector<std::uint32_t> matched;        // by slot: query terms matched (reset after use)
};

// Sums each group's best alternative into s.score for every eligible slot
// (`eligible` empty: every slot), then applies coordination: a tool that
// accounts for more of the query's words beats one that matches a single word
// strongly.
void score_slots(const RankerState& state, const FieldedBm25& bm25, const std::vector<Group>& groups,
                 const std::vector<char>& eligible, Scratch& s) {
  const std::size_t slots = state.index.slot_count();
  s.score.assign(slots, 0.0);
  s.best.assign(slots, 0.0);
  s.matched.resize(slots, 0);
  s.touched.clear();
  for (const Group& g : groups) {
    s.group_touched.clear();
    for (const Alternative& a : g.alts) {
      const double scale = bm25.alt_scale(g, a);
      for (const auto& p : state.index.postings(a.term_id)) {
        if (!eligible.empty() && !eligible[p.slot]) continue;
        const double v = bm25.term_score(scale, p);
        if (v <= 0.0) continue;
        if (s.best[p.slot] == 0.0) s.group_touched.push_back(p.slot);
        s.best[p.slot] = std::max(s.best[p.slot], v);
      }
    }
    for (const auto slot : s.group_touched) {
      if (s.score[slot] == 0.0) s.touched.push_back(slot);
      s.score[slot] += s.best[slot];
      s.best[slot] = 0.0;
      ++s.matched[slot];
    }
  }
  const double coordination = state.config.coordination;
  if (coordination > 0.0 && !groups.empty()) {
    const double total = static_cast<double>(groups.size());
    for (const auto slot : s.touched) {
      s.score[slot] *= std::pow(static_cast<double>(s.matched[slot]) / total, coordination);
    }
  }
  for (const auto slot : s.touched) s.matched[slot] = 0;
}

// The best `top_k` scored slots, best first (ties by id). Versions of one tool
// ("x.v2", "x_v3") would crowd the list with copies: the best of each family
// goes first, its other versions after every distinct tool. One pass finds
// each family's best, so the cost stays linear however many versions a
// catalog holds.
std::vector<std::uint32_t> top_slots(const RankerState& state, std::size_t top_k, Scratch& s) {
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (s.score[a] != s.score[b]) return s.score[a] > s.score[b];
    return state.items[a].id < state.items[b].id;
  };
  const std::size_t k = std::min(top_k, s.touched.size());
  s.family_best.resize(state.family_count, kNoSlot);
  std::vector<std::uint32_t> picked;
  std::vector<std::uint32_t> rest;
  for (const std::uint32_t slot : s.touched) {
    std::uint32_t& best = s.family_best[state.family_of[slot]];
    if (best == kNoSlot) {
      best = slot;
      picked.push_back(slot);
    } else if (before(slot, best)) {
      best = slot;
    }
  }
  for (auto& slot : picked) slot = s.family_best[state.family_of[slot]];
  for (const std::uint32_t slot : s.touched) {
    if (s.family_best[state.family_of[slot]] != slot) rest.push_back(slot);
  }
  for (const std::uint32_t slot : picked) s.family_best[state.family_of[slot]] = kNoSlot;
  const std::size_t heads = std::min(k, picked.size());
  std::partial_sort(picked.begin(), picked.begin() + static_cast<std::ptrdiff_t>(heads), picked.end(), before);
  picked.resize(heads);
  if (heads < k) {
    const std::size_t more = std::min(k - heads, rest.size());
    std::partial_sort(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(more), rest.end(), before);
    picked.insert(picked.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(more));
  }
  return picked;
}

// Why `slot` scored: per group, its best alternative in that slot.
std::vector<TermMatch> explain_slot(const RankerState& state, const FieldedBm25& bm25, const std::vector<Group>& groups,
                                    std::uint32_t slot) {
  std::vector<TermMatch> matches;
  for (const Group& g : groups) {
    const Alternative* best_alt = nullptr;
    double best_v = 0.0;
    const FieldIndex::Posting* best_p = nullptr;
    for (const Alternative& a : g.alts) {
      const auto* p = state.index.find(a.term_id, slot);
      if (!p) continue;
      const double v = bm25.term_score(bm25.alt_scale(g, a), *p);
      if (v > best_v) best_v = v, best_alt = &a, best_p = p;
    }
    if (!best_alt) continue;
    TermMatch m{g.query_term, state.index.term(best_alt->term_id), best_alt->kind, {}, best_v};
    for (std::size_t f = 0; f < kRankFieldCount; ++f) {
      if (best_p->tf[f]) m.fields.emplace_back(to_string(static_cast<RankField>(f)));
    }
    matches.push_back(std::move(m));
  }
  return matches;
}

// --- Refusal ----------------------------------------------------------------

// How much of the query the best tool (in `top_slot`) accounts for, and with
// what words: fills coverage, generic_only and product_mentioned. Naming the
// product is the strongest sign that the catalog is meant: a query term
// matching (exactly or as a typo) the best tool's namespace, unless it is
// general vocabulary ("table" in "aws_s3_tables").
void assess_top_tool(const RankerState& state, const std::vector<Group>& groups, std::uint32_t top_slot,
                     RankResult& result) {
  const bool stem = state.config.analyzer.stem;
  const auto& ns_terms = state.index.terms_of(top_slot)[static_cast<std::size_t>(RankField::namespace_)];
  const Lexicon& vocabulary = Lexicon::builtin(stem);
  auto names_product = [&](const Alternative& a) {
    if (std::string_view(a.kind) != "exact" && std::string_view(a.kind) != "typo") return false;
    const std::string& t = state.index.term(a.term_id);
    return std::find(ns_terms.begin(), ns_terms.end(), t) != ns_terms.end() && vocabulary.related(t).empty() &&
           !is_generic_term(t, stem);
  };
  std::size_t query_groups = 0, covered = 0, specific = 0;
  for (const Group& g : groups) {
    if (g.hint) continue;
    ++query_groups;
    bool hit = false;
    for (const Alternative& a : g.alts) {
      if (!state.index.find(a.term_id, top_slot)) continue;
      hit = true;
      if (names_product(a)) result.product_mentioned = true;  // also when misspelt ("gmial")
    }
    if (!hit) continue;
    ++covered;
    if (!is_generic_term(g.query_term, stem)) ++specific;
  }
  result.coverage = query_groups ? static_cast<double>(covered) / static_cast<double>(query_groups) : 0.0;
  result.generic_only = covered > 0 && specific == 0;
}

// Why a result whose product is not named is refused, or "" when it stands.
std::string weak_match_reason(const DefaultRouterConfig& config, const RankResult& result) {
  char buf[200];
  buf[0] = '\0';
  if (result.confidence < config.refusal_threshold) {
    std::snprintf(buf, sizeof buf, "the best tool matches %.0f%% of the query, below the %.0f%% threshold",
                  100.0 * result.confidence, 100.0 * config.refusal_threshold);
  } else if (result.coverage < config.min_coverage && 2 * result.unknown_terms.size() >= result.query_terms.size()) {
    std::snprintf(buf, sizeof buf,
                  "the best tool matches %.0f%% of the query's words (below %.0f%%) and the catalog knows "
                  "none of %zu of them",
                  100.0 * result.coverage, 100.0 * config.min_coverage, result.unknown_terms.size());
  } else if (config.refuse_generic_only && result.generic_only) {
    std::snprintf(buf, sizeof buf, "the best tool matches only generic words of the query");
  }
  return buf;
}

// Confidence, coverage and the refusal: how much of the query the best tool
// accounts for. `ideal_total` is the sum of the groups' ideal scores.
void judge(const RankerState& state, const std::vector<Group>& groups, double ideal_total, std::uint32_t top_slot,
           RankResult& result) {
  if (result.query_terms.empty()) {
    result.refused = true;
    result.refusal_reason = "the query has no searchable words";
    return;
  }
  if (result.candidates.empty()) {
    result.refused = true;
    result.refusal_reason = "no eligible tool matches any word of the query";
    return;
  }
  result.confidence = ideal_total > 0.0 ? std::min(1.0, result.candidates[0].score / ideal_total) : 0.0;
  assess_top_tool(state, groups, top_slot, result);
  if (result.product_mentioned) return;
  const std::string reason = weak_match_reason(state.config, result);
  if (!reason.empty()) {
    result.refused = true;
    result.refusal_reason = reason + " ('" + result.candidates[0].id + "')";
  }
}

}  // namespace

RankResult DefaultRouter::rank(std::string_view query, const RankOptions& options) const {
  if (options.top_k == 0) throw RouteError("top_k must be at least 1");
  const RankerState state{config_, *lexicon_, index_, items_, family_of_, family_count_};
  RankResult result;

  // Filters are decided per slot before scoring.
  std::vector<char> eligible;
  if (!options.passes_all()) {
    FilteredItems filtered =
        filter_items(options, items_, [&](std::size_t slot) { return index_.live(static_cast<std::uint32_t>(slot)); });
    eligible = std::move(filtered.kept);
    eligible.resize(index_.slot_count(), 0);
    result.excluded_count = filtered.excluded_count;
    result.gated_count = filtered.gated_count;
  }

  const std::vector<Group> groups = analyze_query(state, query, options.context_hints, result);
  const FieldedBm25 bm25(state);
  thread_local Scratch s;
  score_slots(state, bm25, groups, eligible, s);
  double ideal_total = 0.0;
  for (const Group& g : groups) ideal_total += g.ideal;

  const std::vector<std::uint32_t> picked = top_slots(state, options.top_k, s);
  for (const std::uint32_t slot : picked) {
    RankedCandidate c{items_[slot].id, s.score[slot], {}};
    if (options.explain) c.matches = explain_slot(state, bm25, groups, slot);
    result.candidates.push_back(std::move(c));
  }
  judge(state, groups, ideal_total, picked.empty() ? kNoSlot : picked[0], result);
  return result;
}

}  // namespace contextweaver
