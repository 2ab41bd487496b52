// `bench_routing dev <shared> [config.json] [all|even|odd] [-v]`: dev-set
// figures for tuning, with the misses of the chosen half when -v is given.
#include <cstdio>
#include <algorithm>
#include <string>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/evaluation.hpp"
#include "routing/bench_common.hpp"

namespace cw = contextweaver;

namespace {

// One line per candidate: its score, id and which query term matched what.
void print_candidates(const cw::RankResult& result) {
  for (const auto& c : result.candidates) {
    std::printf("  %.3f %s:", c.score, c.id.c_str());
    for (const auto& m : c.matches)
      std::printf(" %s>%s(%s)", m.query_term.c_str(), m.matched_term.c_str(), m.kind.c_str());
    std::printf("\n");
  }
}

}  // namespace

int run_dev(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_routing dev <shared> [config.json|-] [all|even|odd] [-v]\n");
    return 2;
  }
  const std::filesystem::path shared = argv[2];
  cw::DefaultRouterConfig config;
  if (argc > 3 && std::string(argv[3]) != "-")
    config = cw::DefaultRouterConfig::from_json(cw::loads(cwbench::slurp(argv[3])));
  const std::string half = argc > 4 ? argv[4] : "all";
  const bool verbose = argc > 5 && std::string(argv[5]) == "-v";
  const auto items = cw::load_catalog_array(shared / "data/dev_routing/catalog.json");
  const auto gold = cwbench::split_half(cw::load_dev_gold(shared / "data/dev_routing/gold.json"), half);
  const cw::DefaultRouter ranker(items, config);
  const auto s = cw::evaluate(ranker, gold);
  std::printf("dev[%s] n=%zu R@1=%.3f R@5=%.3f hit@5=%.3f MRR=%.3f refuse=%zu/%zu false=%zu/%zu\n", half.c_str(),
              s.queries, s.recall_at_1, s.recall_at_5, s.hit_at_5, s.mrr, s.refused_no_tool, s.no_tool_queries,
              s.refused_with_tool, s.queries);
  if (verbose) {
    for (const auto& q : gold) {
      cw::RankOptions opt;
      opt.top_k = 5;
      const auto r = ranker.rank(q.query, opt);
      bool hit = false;
      for (const auto& c : r.candidates)
        for (const auto& e : q.expected) hit |= c.id == e;
      if (hit && !q.no_tool && !r.refused) continue;
      if (q.no_tool && r.refused) continue;
      std::printf("\n%s [%s]%s%s conf=%.3f %s\n  expected:", q.id.c_str(), q.difficulty.c_str(),
                  q.no_tool ? " NO-TOOL" : "", r.refused ? " REFUSED" : "", r.confidence, q.query.c_str());
      for (const auto& e : q.expected) std::printf(" %s", e.c_str());
      std::printf("\n  terms:");
      for (const auto& t : r.query_terms) std::printf(" %s", t.c_str());
      std::printf("\n");
      print_candidates(r);
    }
  }
  return 0;
}

// `bench_routing conf <shared> [config.json|-] [half]`: the confidence of every query, for calibration.
int run_conf(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_routing %s <shared> ...\n", argv[1]);
    return 2;
  }
  const std::filesystem::path shared = argv[2];
  cw::DefaultRouterConfig config;
  if (argc > 3 && std::string(argv[3]) != "-")
    config = cw::DefaultRouterConfig::from_json(cw::loads(cwbench::slurp(argv[3])));
  const std::string half = argc > 4 ? argv[4] : "all";
  const cw::DefaultRouter ranker(cw::load_catalog_array(shared / "data/dev_routing/catalog.json"), config);
  for (const auto& q : cwbench::split_half(cw::load_dev_gold(shared / "data/dev_routing/gold.json"), half)) {
    const auto r = ranker.rank(q.query);
    bool hit = false;
    for (std::size_t i = 0; i < std::min<std::size_t>(5, r.candidates.size()); ++i)
      for (const auto& e : q.expected) hit |= r.candidates[i].id == e;
    const std::string top = r.candidates.empty() ? std::string() : r.candidates[0].id;
    std::printf("%.4f p%d cov=%.2f gen=%d unk=%.2f nt=%d hit=%d %s | %s\n", r.confidence, r.product_mentioned ? 1 : 0,
                r.coverage, r.generic_only ? 1 : 0,
                r.query_terms.empty() ? 0.0 : double(r.unknown_terms.size()) / double(r.query_terms.size()),
                q.no_tool ? 1 : 0, hit ? 1 : 0, q.query.c_str(), top.c_str());
  }
  return 0;
}

// `bench_routing goldmiss <shared> [size] [config.json|-] [-q]`: the reference-gold summary and the
// queries whose expected id is not in the top 5 (-q: summary only).
int run_goldmiss(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_routing %s <shared> ...\n", argv[1]);
    return 2;
  }
  const std::filesystem::path shared = argv[2];
  const std::string size = argc > 3 ? argv[3] : "1000";
  cw::DefaultRouterConfig config;
  if (argc > 4 && std::string(argv[4]) != "-")
    config = cw::DefaultRouterConfig::from_json(cw::loads(cwbench::slurp(argv[4])));
  const cw::DefaultRouter ranker(cw::load_catalog_array(shared / ("data/reference/catalogs/catalog_" + size + ".json")),
                                 config);
  const auto s = cw::evaluate(ranker, cw::load_reference_gold(shared / "data/reference/benchmarks/routing_gold.json"));
  std::printf("gold[%s] n=%zu P@5=%.4f R@5=%.4f MRR=%.4f refused=%zu\n", size.c_str(), s.queries, s.precision_at_5,
              s.recall_at_5, s.mrr, s.refused_with_tool);
  if (argc > 5) return 0;  // summary only
  for (const auto& q : cw::load_reference_gold(shared / "data/reference/benchmarks/routing_gold.json")) {
    cw::RankOptions opt;
    opt.top_k = 5;
    const auto r = ranker.rank(q.query, opt);
    std::vector<std::string> pred;
    for (const auto& c : r.candidates) pred.push_back(c.id);
    if (cw::recall_at_k(pred, q.expected, 5) == 1.0) continue;
    std::printf("\n%s  expected:", q.query.c_str());
    for (const auto& e : q.expected) std::printf(" %s", e.c_str());
    std::printf("\n");
    print_candidates(r);
  }
  return 0;
}
