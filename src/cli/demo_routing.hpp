// The routing half of `contextweaver demo`: the project's sample catalog, its
// routing graph, and one routed query with its choice cards. Kept apart from
// the context half, and reported as plain data, because the routing and
// context headers cannot be included in one file yet (both define
// contextweaver::RoutingConfig).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver::cli {

struct DemoRouting {
  std::int64_t items = 0;
  std::int64_t namespaces = 0;
  Json graph_stats;  // GraphStats::to_dict()
  std::string query;
  std::vector<std::string> candidate_ids;
  std::vector<double> scores;
  Json cards = Json::array();  // ChoiceCard::to_dict() each
  std::string cards_text;      // render_cards_text
};

// The reference demo's steps 1-3 on sample_catalog(): a tree with at most 10
// children per node, a router with beam width 3 and top_k 5.
DemoRouting run_demo_routing();

}  // namespace contextweaver::cli
