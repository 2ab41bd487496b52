// Pipeline stages 1-2: phase filtering and dependency closure (context/candidates.py).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "contextweaver/context/config.hpp"
#include "contextweaver/store/event_log.hpp"

namespace contextweaver {

// Stage 1: every log item whose kind the policy allows in `phase`, in log order.
std::vector<ContextItem> generate_candidates(const EventLog& log, Phase phase, const ContextPolicy& policy);

// Stage 2: adds the missing ancestors (parent_id chains) of `items`, of any
// kind, and returns the union in log order with the number of ancestors
// added. A parent id not in the log ends its chain; cycles terminate.
std::pair<std::vector<ContextItem>, std::int64_t> resolve_dependency_closure(std::vector<ContextItem> items,
                                                                             const EventLog& log);

// Both stages over an already-read log (`all` = log.all()), so a build reads
// the log once. Same results as the two functions above.
std::pair<std::vector<ContextItem>, std::int64_t> candidates_with_closure(std::vector<ContextItem> all, Phase phase,
                                                                          const ContextPolicy& policy);

}  // namespace contextweaver
