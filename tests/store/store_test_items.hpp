// Items for the SQLite event-log tests: ids "ev%06d", so ordinal order and id
// order agree.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "contextweaver/core/types.hpp"

namespace cwtest {

// Item i: a user_turn, or a tool_result whose parent is item `parent`.
inline contextweaver::ContextItem make_event(int i, std::optional<int> parent = std::nullopt) {
  contextweaver::ContextItem item;
  char id[32];
  std::snprintf(id, sizeof id, "ev%06d", i);
  item.id = id;
  item.kind = parent ? contextweaver::ItemKind::tool_result : contextweaver::ItemKind::user_turn;
  item.text = "text " + std::to_string(i);
  item.metadata = contextweaver::Json::object({{"i", i}});
  if (parent) item.parent_id = make_event(*parent).id;
  return item;
}

}  // namespace cwtest
