// The reference's JSONL session input (`ingest --events`, docs/cli.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver::cli {

// Parses JSONL text as the reference does: the whole text is stripped, then
// split into lines (Python splitlines), numbered from 1; every line must be a
// JSON object. Fields: "type" (an ItemKind value; unknown or missing ->
// user_turn), "id" (default "line-<n>"), "text" or, when that is empty or
// missing, "content" (non-strings as Python str()), "parent_id",
// "token_estimate" (Python int(), default 0); every other key becomes item
// metadata. A lone surrogate escape ("\ud800") is an error, not U+FFFD, so
// two different ids never read equal. Errors name the source and line: ValueError
// "<source>:<n>: invalid JSON — <detail>", "<source>:<n>: expected a JSON
// object, got list", "<source>:<n>: 'id' must be a string, got int", …
std::vector<ContextItem> parse_jsonl_events(std::string_view text, std::string_view source);

// One JSONL line as ingest holds it until its one transaction writes it (the
// whole file is parsed and checked first, docs/cli.md#ingest): the fields a
// ContextItem takes from a line and nothing else — no sensitivity or artifact
// reference, and no metadata object when the line has no other keys — so a
// large file's events take about half the memory as items.
struct JsonlEvent {
  std::string id;
  std::string text;
  std::optional<std::string> parent_id;
  Json metadata;  // the other keys in file order; null when there are none
  std::int64_t token_estimate = 0;
  ItemKind kind = ItemKind::user_turn;

  // The item parse_jsonl_events makes of the line; the strings and metadata
  // move out, leaving this event empty.
  ContextItem take_item();
};

// The default cap on one line of a JSONL file (ingest --max-line-bytes).
inline constexpr std::size_t kDefaultMaxLineBytes = std::size_t{64} << 20;

// Reads and parses a JSONL file as parse_jsonl_events does, streaming it: the
// file is never held whole, and a line longer than `max_line_bytes` is a
// ValueError naming the file and line, so memory stays bounded by the items
// the file really holds (docs/cli.md#ingest). StorageError when it cannot be
// read, ValueError when it is not UTF-8 or a line is invalid.
std::vector<ContextItem> load_jsonl_events(const std::filesystem::path& path,
                                           std::size_t max_line_bytes = kDefaultMaxLineBytes);

// load_jsonl_events, the lines kept as JsonlEvent (what ingest holds).
std::vector<JsonlEvent> load_jsonl_event_lines(const std::filesystem::path& path,
                                               std::size_t max_line_bytes = kDefaultMaxLineBytes);

}  // namespace contextweaver::cli
