// ToolRanker::rank: query analysis and expansion, BM25F scoring over the
// inverted index, filters, refusal and explanations.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/ranking/dictionary.hpp"
#include "contextweaver/ranking/tool_ranker.hpp"
#include "contextweaver/ranking/typo.hpp"

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

bool intersects(const std::vector<std::string>& tags, const std::unordered_set<std::string>& set) {
  return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return set.count(t) != 0; });
}

struct Scratch {
  std::vector<double> score;
  std::vector<double> best;
  std::vector<std::uint32_t> touched;        // slots with score > 0, once each
  std::vector<std::uint32_t> group_touched;  // slots touched by the current group
  std::vector<std::uint32_t> family_best;    // by family id: best slot so far, or kNoSlot
  std::vector<std::uint32_t> matched;        // by slot: query terms matched (reset after use)
};

constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;

}  // namespace

RankResult ToolRanker::rank(std::string_view query, const RankOptions& options) const {
  if (options.top_k == 0) throw RouteError("top_k must be at least 1");
  RankResult result;

  // Filters (spec routing §12.3): decided per slot before scoring.
  const bool filtering = !options.exclude_ids.empty() || !options.exclude_tags.empty() ||
                         options.allowed_namespaces.has_value() || options.allowed_tags.has_value();
  std::vector<char> eligible;
  if (filtering) {
    const std::unordered_set<std::string> ex_ids(options.exclude_ids.begin(), options.exclude_ids.end());
    const std::unordered_set<std::string> ex_tags(options.exclude_tags.begin(), options.exclude_tags.end());
    std::unordered_set<std::string> ns, tags;
    if (options.allowed_namespaces) ns.insert(options.allowed_namespaces->begin(), options.allowed_namespaces->end());
    if (options.allowed_tags) tags.insert(options.allowed_tags->begin(), options.allowed_tags->end());
    eligible.assign(index_.slot_count(), 0);
    std::size_t active = 0;
    for (const auto& [id, slot] : slot_of_) {
      const SelectableItem& item = items_[slot];
      if (!ex_ids.empty() && ex_ids.count(id)) {
        ++result.excluded_count;
      } else if (!ex_tags.empty() && intersects(item.tags, ex_tags)) {
        ++result.excluded_count;
      } else if (options.allowed_namespaces && !ns.count(item.namespace_)) {
        ++result.gated_count;
      } else if (options.allowed_tags && !intersects(item.tags, tags)) {
        ++result.gated_count;
      } else {
        eligible[slot] = 1;
        ++active;
      }
    }
    if (active == 0 && !slot_of_.empty()) {
      throw RouteError(
          "All items were filtered out by exclude_ids / exclude_tags / allowed_namespaces / allowed_tags.");
    }
  }

  // Query terms, then hint terms, each distinct term once.
  std::vector<Group> groups;
  std::unordered_set<std::string> seen;
  const std::size_t n = index_.live_count();
  const double max_idf = idf(n, 0);
  auto add_group = [&](const std::string& t, double weight, bool hint) {
    if (!seen.insert(t).second) return;
    // Generic words ("get", "list", "today") say little about which tool is meant.
    if (is_generic_term(t, config_.analyzer.stem)) weight *= config_.generic_weight;
    Group g;
    g.query_term = t;
    g.weight = weight;
    g.hint = hint;
    const auto exact = index_.term_id(t);
    g.ideal = weight * (exact ? idf(n, index_.df(*exact)) : max_idf);
    auto push = [&](std::uint32_t id, double factor, const char* kind) {
      for (const auto& a : g.alts) {
        if (a.term_id == id) return;  // first (strongest) way of reaching a term wins
      }
      g.alts.push_back({id, factor, hint ? "hint" : kind});
    };
    if (exact) push(*exact, 1.0, "exact");
    if (config_.related_words) {
      for (const auto& r : lexicon_->related(t)) {
        if (const auto id = index_.term_id(r)) push(*id, config_.related_factor, "related");
      }
    }
    // An unknown word that is no API-vocabulary word may be a misspelling of
    // a catalog term or of a lexicon word (which then brings its relatives).
    const bool english_word = config_.dictionary && EnglishDictionary::system().contains(t, config_.analyzer.stem);
    if (!exact && config_.typos && lexicon_->related(t).empty() && !english_word) {
      double typo_idf = 0.0;
      for (const auto id : typo_matches(index_, t)) {
        push(id, config_.typo_factor, "typo");
        typo_idf = std::max(typo_idf, idf(n, index_.df(id)));
      }
      for (const auto& word : lexicon_->typo_matches(t)) {
        if (const auto id = index_.term_id(word)) {
          push(*id, config_.typo_factor, "typo");
          typo_idf = std::max(typo_idf, idf(n, index_.df(*id)));
        }
        for (const auto& r : lexicon_->related(word)) {
          if (const auto id = index_.term_id(r)) push(*id, config_.typo_factor * config_.related_factor, "typo");
        }
      }
      // A corrected term is judged against the term it was taken for.
      if (typo_idf > 0.0) g.ideal = weight * typo_idf;
    }
    if (!hint) result.query_terms.push_back(t);
    if (!hint && !exact && g.alts.empty()) result.unknown_terms.push_back(t);
    groups.push_back(std::move(g));
  };
  auto add_terms = [&](std::string_view text, double weight, bool hint) {
    if (!config_.analyzer.split_identifiers) {
      for (const auto& t : analyze(text, config_.analyzer)) add_group(t, weight, hint);
      return;
    }
    for (const auto& word : analyze_words(text, config_.analyzer)) {
      // "PagerDuty" is one term when the catalog knows "pagerduty", else two.
      if (!word.joined.empty() && (index_.term_id(word.joined) || word.parts.empty())) {
        add_group(word.joined, weight, hint);
      } else {
        for (const auto& p : word.parts) add_group(p, weight, hint);
      }
    }
  };
  add_terms(query, 1.0, false);
  for (const auto& h : options.context_hints) {
    const auto b = h.find_first_not_of(" \t\r\n\f\v");
    if (b == std::string::npos) continue;
    const auto e = h.find_last_not_of(" \t\r\n\f\v");
    result.context_hints.push_back(h.substr(b, e - b + 1));
    add_terms(result.context_hints.back(), config_.hint_factor, true);
  }

  // BM25F length normalisers per field for this index state.
  std::array<double, kRankFieldCount> avg{};
  for (std::size_t f = 0; f < kRankFieldCount; ++f) avg[f] = index_.average_length(static_cast<RankField>(f));
  auto tf_norm = [&](const FieldIndex::Posting& p) {
    double t = 0.0;
    for (std::size_t f = 0; f < kRankFieldCount; ++f) {
      if (p.tf[f] == 0 || config_.field_weight[f] == 0.0) continue;
      const double len = static_cast<double>(index_.field_length(p.slot, static_cast<RankField>(f)));
      const double norm = avg[f] > 0.0 ? 1.0 - config_.field_b[f] + config_.field_b[f] * len / avg[f] : 1.0;
      t += config_.field_weight[f] * static_cast<double>(p.tf[f]) / norm;
    }
    return t;
  };
  // weight · factor · idf, once per alternative (not per posting).
  auto alt_scale = [&](const Group& g, const Alternative& a) {
    return g.weight * a.factor * idf(n, index_.df(a.term_id));
  };
  auto term_score = [&](double scale, const FieldIndex::Posting& p) {
    const double t = tf_norm(p);
    return scale * t / (config_.k1 + t);
  };

  thread_local Scratch s;
  s.score.assign(index_.slot_count(), 0.0);
  s.best.assign(index_.slot_count(), 0.0);
  s.matched.resize(index_.slot_count(), 0);
  s.touched.clear();
  double ideal_total = 0.0;
  for (const Group& g : groups) {
    ideal_total += g.ideal;
    s.group_touched.clear();
    for (const Alternative& a : g.alts) {
      const double scale = alt_scale(g, a);
      for (const auto& p : index_.postings(a.term_id)) {
        if (filtering && !eligible[p.slot]) continue;
        const double v = term_score(scale, p);
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
  // Coordination: a tool that accounts for more of the query's words beats
  // one that matches a single word strongly.
  if (config_.coordination > 0.0 && !groups.empty()) {
    const double total = static_cast<double>(groups.size());
    for (const auto slot : s.touched) {
      s.score[slot] *= std::pow(static_cast<double>(s.matched[slot]) / total, config_.coordination);
    }
  }
  for (const auto slot : s.touched) s.matched[slot] = 0;

  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (s.score[a] != s.score[b]) return s.score[a] > s.score[b];
    return items_[a].id < items_[b].id;
  };
  // Versions of one tool ("x.v2", "x_v3") would crowd the list with copies:
  // the best of each family goes first, its other versions after every
  // distinct tool. One pass finds each family's best, so the cost stays
  // linear however many versions a catalog holds.
  const std::size_t k = std::min(options.top_k, s.touched.size());
  s.family_best.resize(family_count_, kNoSlot);
  std::vector<std::uint32_t> picked;
  std::vector<std::uint32_t> rest;
  for (const std::uint32_t slot : s.touched) {
    std::uint32_t& best = s.family_best[family_of_[slot]];
    if (best == kNoSlot) {
      best = slot;
      picked.push_back(slot);
    } else if (before(slot, best)) {
      best = slot;
    }
  }
  for (auto& slot : picked) slot = s.family_best[family_of_[slot]];
  for (const std::uint32_t slot : s.touched) {
    if (s.family_best[family_of_[slot]] != slot) rest.push_back(slot);
  }
  for (const std::uint32_t slot : picked) s.family_best[family_of_[slot]] = kNoSlot;
  const std::size_t heads = std::min(k, picked.size());
  std::partial_sort(picked.begin(), picked.begin() + static_cast<std::ptrdiff_t>(heads), picked.end(), before);
  picked.resize(heads);
  if (heads < k) {
    const std::size_t more = std::min(k - heads, rest.size());
    std::partial_sort(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(more), rest.end(), before);
    picked.insert(picked.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(more));
  }
  for (const std::uint32_t slot : picked) {
    RankedCandidate c{items_[slot].id, s.score[slot], {}};
    if (options.explain) {
      for (const Group& g : groups) {
        const Alternative* best_alt = nullptr;
        double best_v = 0.0;
        const FieldIndex::Posting* best_p = nullptr;
        for (const Alternative& a : g.alts) {
          const auto* p = index_.find(a.term_id, slot);
          if (!p) continue;
          const double v = term_score(alt_scale(g, a), *p);
          if (v > best_v) best_v = v, best_alt = &a, best_p = p;
        }
        if (!best_alt) continue;
        TermMatch m{g.query_term, index_.term(best_alt->term_id), best_alt->kind, {}, best_v};
        for (std::size_t f = 0; f < kRankFieldCount; ++f) {
          if (best_p->tf[f]) m.fields.emplace_back(to_string(static_cast<RankField>(f)));
        }
        c.matches.push_back(std::move(m));
      }
    }
    result.candidates.push_back(std::move(c));
  }

  // Refusal: how much of the query the best tool accounts for.
  if (result.query_terms.empty()) {
    result.refused = true;
    result.refusal_reason = "the query has no searchable words";
  } else if (result.candidates.empty()) {
    result.refused = true;
    result.refusal_reason = "no eligible tool matches any word of the query";
  } else {
    result.confidence = ideal_total > 0.0 ? std::min(1.0, result.candidates[0].score / ideal_total) : 0.0;
    // Naming the product is the strongest sign that the catalog is meant: a
    // query term matching (exactly or as a typo) the best tool's namespace,
    // unless it is general vocabulary ("table" in "aws_s3_tables").
    const std::uint32_t top_slot = picked[0];
    const auto& ns_terms = index_.terms_of(top_slot)[static_cast<std::size_t>(RankField::namespace_)];
    const Lexicon& vocabulary = Lexicon::builtin(config_.analyzer.stem);
    auto names_product = [&](const Alternative& a) {
      if (std::string_view(a.kind) != "exact" && std::string_view(a.kind) != "typo") return false;
      const std::string& t = index_.term(a.term_id);
      return std::find(ns_terms.begin(), ns_terms.end(), t) != ns_terms.end() && vocabulary.related(t).empty() &&
             !is_generic_term(t, config_.analyzer.stem);
    };
    // How much of the query the best tool accounts for, and with what words.
    std::size_t query_groups = 0, covered = 0, specific = 0;
    for (const Group& g : groups) {
      if (g.hint) continue;
      ++query_groups;
      bool hit = false;
      for (const Alternative& a : g.alts) {
        if (!index_.find(a.term_id, top_slot)) continue;
        hit = true;
        if (names_product(a)) result.product_mentioned = true;  // also when misspelt ("gmial")
      }
      if (!hit) continue;
      ++covered;
      if (!is_generic_term(g.query_term, config_.analyzer.stem)) ++specific;
    }
    result.coverage = query_groups ? static_cast<double>(covered) / static_cast<double>(query_groups) : 0.0;
    result.generic_only = covered > 0 && specific == 0;
    if (!result.product_mentioned) {
      char buf[200];
      buf[0] = '\0';
      if (result.confidence < config_.refusal_threshold) {
        std::snprintf(buf, sizeof buf, "the best tool matches %.0f%% of the query, below the %.0f%% threshold",
                      100.0 * result.confidence, 100.0 * config_.refusal_threshold);
      } else if (result.coverage < config_.min_coverage &&
                 2 * result.unknown_terms.size() >= result.query_terms.size()) {
        std::snprintf(buf, sizeof buf,
                      "the best tool matches %.0f%% of the query's words (below %.0f%%) and the catalog knows "
                      "none of %zu of them",
                      100.0 * result.coverage, 100.0 * config_.min_coverage, result.unknown_terms.size());
      } else if (config_.refuse_generic_only && result.generic_only) {
        std::snprintf(buf, sizeof buf, "the best tool matches only generic words of the query");
      }
      if (buf[0] != '\0') {
        result.refused = true;
        result.refusal_reason = std::string(buf) + " ('" + result.candidates[0].id + "')";
      }
    }
  }
  return result;
}

}  // namespace contextweaver
