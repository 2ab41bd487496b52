#include "demo_routing.hpp"

#include <map>
#include <set>

#include "contextweaver/routing/cards.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/sample_catalog.hpp"
#include "contextweaver/routing/tree_builder.hpp"

namespace contextweaver::cli {

namespace {

// A request the sample catalog can answer (the reference's invoice query
// would find nothing in it).
constexpr const char* kQuery = "schedule a meeting with the support team and book a room";

}  // namespace

DemoRouting run_demo_routing() {
  DemoRouting part;
  Catalog catalog;
  for (auto& item : sample_catalog()) catalog.register_(std::move(item));
  const auto items = catalog.all();
  std::set<std::string> namespaces;
  for (const auto& item : items) namespaces.insert(item.namespace_);
  part.items = static_cast<std::int64_t>(items.size());
  part.namespaces = static_cast<std::int64_t>(namespaces.size());
  ChoiceGraph graph = TreeBuilder(10).build(items);
  part.graph_stats = graph.stats().to_dict();
  ReferenceRouterOptions options;
  options.beam_width = 3;
  options.top_k = 5;
  const ReferenceRouter router(std::move(graph), items, options);
  const RouteResult result = router.route(kQuery);
  part.query = kQuery;
  part.candidate_ids = result.candidate_ids;
  part.scores = result.scores;
  std::map<std::string, double> scores;
  for (std::size_t i = 0; i < result.candidate_ids.size() && i < result.scores.size(); ++i) {
    scores.emplace(result.candidate_ids[i], result.scores[i]);
  }
  const auto cards = make_choice_cards(result.candidate_items, 20, scores);
  for (const auto& card : cards) part.cards.push_back(card.to_dict());
  part.cards_text = render_cards_text(cards);
  return part;
}

}  // namespace contextweaver::cli
