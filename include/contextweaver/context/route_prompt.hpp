// What ContextManager::build_route_prompt takes from a routing call.
//
// Layering: the context module must not depend on routing (core <- store <-
// context; core <- routing), and the choice cards belong to routing. So the
// route runs, and its cards are rendered, on the caller's side with the
// routing module, and only this plain outcome crosses over (the reference's
// build_route_prompt(goal, query, router) called router.route itself):
//
//   RouteResult rr = router.route(query);
//   std::map<std::string, double> scores;
//   for (std::size_t i = 0; i < rr.candidate_ids.size() && i < rr.scores.size(); ++i)
//     scores[rr.candidate_ids[i]] = rr.scores[i];
//   auto cards = make_choice_cards(rr.candidate_items, 20, scores);
//   ContextPack pack = manager.build_route_prompt(goal, query, route_outcome(rr, render_cards_text(cards)));
//
// Code that links both modules (the MCP gateway, the CLI) is the natural home
// of that glue.
#pragma once

#include <string>
#include <vector>

namespace contextweaver {

struct RouteOutcome {
  std::vector<std::string> candidate_ids;  // best first
  std::vector<double> scores;              // parallel to candidate_ids
  std::string cards_text;                  // render_cards_text(cards): "[i/n] id (kind) — …" lines, "" for none
};

// The outcome of any route result with `candidate_ids` and `scores` members
// (the routing module's RouteResult), with its cards already rendered.
template <class Route>
requires requires(const Route& r) {
  std::vector<std::string>(r.candidate_ids.begin(), r.candidate_ids.end());
  std::vector<double>(r.scores.begin(), r.scores.end());
}
RouteOutcome route_outcome(const Route& route, std::string cards_text) {
  return RouteOutcome{std::vector<std::string>(route.candidate_ids.begin(), route.candidate_ids.end()),
                      std::vector<double>(route.scores.begin(), route.scores.end()), std::move(cards_text)};
}

}  // namespace contextweaver
