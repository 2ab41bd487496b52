// Rows of the event_log table <-> ContextItem (docs/storage.md, "Event
// log"): internal to the store module.
#pragma once

#include <span>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/store/sqlite_database.hpp"

// The item columns, in the order row_to_item reads them.
#define CW_ITEM_COLUMNS "id, kind, text, token_estimate, sensitivity, metadata, parent_id, artifact_ref"

namespace contextweaver::store_detail {

// ContextItem.from_dict's rules applied to the current row of `st`.
ContextItem row_to_item(const SqliteStatement& st);

// Every remaining row of `st` as items; `expected` rows are reserved up front
// (a hint: more or fewer may come).
std::vector<ContextItem> read_all(SqliteStatement& st, std::size_t expected = 0);

// Inserts one item; a UNIQUE violation on id (only that, S1) is DuplicateItemError.
void insert_item(SqliteDatabase& db, const ContextItem& item);

// Inserts items (inside the caller's transaction), several rows per
// statement, with the errors insert_item raises one by one.
void insert_items(SqliteDatabase& db, std::span<const ContextItem> items);

}  // namespace contextweaver::store_detail
