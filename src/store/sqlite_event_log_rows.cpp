#include "sqlite_event_log_rows.hpp"

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/sqlite_codec.hpp"
#include "stored_json.hpp"

namespace contextweaver::store_detail {
namespace {

constexpr const char* kInsert = "INSERT INTO event_log (" CW_ITEM_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

}  // namespace

// ContextItem.from_dict's rules applied to one row (columns in CW_ITEM_COLUMNS order).
// Built in one aggregate initialization, evaluated in member order: a default
// `metadata` (an allocated empty object) would be made only to be replaced.
ContextItem row_to_item(const SqliteStatement& st) {
  ContextItem item{
      .id = std::string(st.column_text(0)),
      .kind = parse_item_kind(st.column_text(1)),
      .text = std::string(st.column_text(2)),
      .token_estimate = [&]() -> std::int64_t {
        if (st.is_integer(3)) return st.column_int(3);
        if (st.is_null(3)) return py_int(Json(nullptr), "token_estimate");  // TypeError, as int(None)
        return py_int(Json(std::string(st.column_text(3))), "token_estimate");
      }(),
      .sensitivity = parse_sensitivity(st.column_text(4)),
      .metadata = parse_object_column(st.column_text(5), "metadata"),
      .parent_id = std::nullopt,
      .artifact_ref = std::nullopt,
  };
  if (!st.is_null(6)) item.parent_id = std::string(st.column_text(6));
  if (!st.is_null(7)) {
    const Json ref = store_detail::load_stored_json(st.column_text(7));
    if (py_truthy(ref)) item.artifact_ref = ArtifactRef::from_dict(ref);
  }
  return item;
}

std::vector<ContextItem> read_all(SqliteStatement& st, std::size_t expected) {
  std::vector<ContextItem> out;
  out.reserve(expected);
  while (st.step()) out.push_back(row_to_item(st));
  return out;
}

namespace {

// The validated text columns of one item (metadata and artifact_ref as PyJSON).
struct ItemRow {
  std::string metadata;
  std::optional<std::string> artifact;
};

ItemRow encode_item(const ContextItem& item) {
  require_utf8(item.id, "ContextItem.id");
  require_utf8(item.text, "ContextItem.text");
  if (item.parent_id) require_utf8(*item.parent_id, "ContextItem.parent_id");
  if (!item.metadata.is_object()) as_object(item.metadata, "ContextItem.metadata");  // TypeError
  require_utf8_json(item.metadata, "ContextItem.metadata");
  // Most events carry no metadata: "{}" without running the serializer.
  ItemRow row{item.metadata.empty() ? std::string("{}") : dumps_sorted(item.metadata), std::nullopt};
  if (item.artifact_ref) {
    const Json ref = item.artifact_ref->to_dict();
    require_utf8_json(ref, "ContextItem.artifact_ref");
    row.artifact = dumps_sorted(ref);
  }
  return row;
}

}  // namespace

// Inserts one item; maps a UNIQUE violation on id (only that, S1) to DuplicateItemError.
void insert_item(SqliteDatabase& db, const ContextItem& item) {
  const ItemRow row = encode_item(item);  // validation errors propagate as they are
  SqliteStatement st = db.prepare(kInsert);
  // Bound SQLITE_STATIC: the strings outlive the statement's run.
  st.bind_text(1, item.id)
      .bind_text(2, to_string(item.kind))
      .bind_text(3, item.text)
      .bind_int(4, item.token_estimate)
      .bind_text(5, to_string(item.sensitivity))
      .bind_text(6, row.metadata)
      .bind_optional_text(7, item.parent_id)
      .bind_optional_text(8, row.artifact);
  try {
    st.run();
  } catch (const ContextWeaverError& e) {
    if (db.last_error_code() == SQLITE_CONSTRAINT_UNIQUE &&
        std::string_view(e.what()).find("event_log.id") != std::string_view::npos) {
      throw DuplicateItemError("Duplicate item id: " + py_repr(item.id));
    }
    throw;
  }
}

namespace {

// append_many inserts this many rows per statement: one statement start
// (cursors, the AUTOINCREMENT sequence read and write) serves them all.
constexpr std::size_t kRowsPerInsert = 32;

// "INSERT ... VALUES (?,...), (?,...), ..." for `rows` rows.
std::string multi_row_insert(std::size_t rows) {
  std::string sql = "INSERT INTO event_log (" CW_ITEM_COLUMNS ") VALUES ";
  for (std::size_t r = 0; r < rows; ++r) sql += r == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)";
  return sql;
}

}  // namespace

// Inserts items (inside the caller's transaction) with the errors insert_item
// raises one by one: the first item that fails validation or insertion, in
// order, decides the error.
void insert_items(SqliteDatabase& db, std::span<const ContextItem> items) {
  static const std::string kInsertChunk = multi_row_insert(kRowsPerInsert);
  std::vector<ItemRow> rows;
  rows.reserve(kRowsPerInsert);
  while (items.size() >= kRowsPerInsert) {
    const auto chunk = items.first(kRowsPerInsert);
    rows.clear();
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      try {
        rows.push_back(encode_item(chunk[i]));
      } catch (...) {
        for (std::size_t j = 0; j < i; ++j) insert_item(db, chunk[j]);  // an earlier duplicate wins
        throw;
      }
    }
    bool failed = false;
    {
      SqliteStatement st = db.prepare(kInsertChunk);
      int p = 1;
      for (std::size_t i = 0; i < chunk.size(); ++i, p += 8) {
        const ContextItem& item = chunk[i];
        st.bind_text(p, item.id)
            .bind_text(p + 1, to_string(item.kind))
            .bind_text(p + 2, item.text)
            .bind_int(p + 3, item.token_estimate)
            .bind_text(p + 4, to_string(item.sensitivity))
            .bind_text(p + 5, rows[i].metadata)
            .bind_optional_text(p + 6, item.parent_id)
            .bind_optional_text(p + 7, rows[i].artifact);
      }
      try {
        st.run();
      } catch (const ContextWeaverError&) {
        if ((db.last_error_code() & 0xFF) != SQLITE_CONSTRAINT) throw;
        failed = true;  // the statement changed nothing; find the row one by one
      }
    }
    if (failed) {
      for (const auto& item : chunk) insert_item(db, item);
    }
    items = items.subspan(kRowsPerInsert);
  }
  for (const auto& item : items) insert_item(db, item);
}

}  // namespace contextweaver::store_detail
