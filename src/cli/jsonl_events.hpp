// The reference's JSONL session input (`ingest --events`, docs/cli.md).
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver::cli {

// Parses JSONL text as the reference does: the whole text is stripped, then
// split into lines (Python splitlines), numbered from 1; every line must be a
// JSON object. Fields: "type" (an ItemKind value; unknown or missing ->
// user_turn), "id" (default "line-<n>"), "text" or, when that is empty or
// missing, "content" (non-strings as Python str()), "parent_id",
// "token_estimate" (Python int(), default 0); every other key becomes item
// metadata. Errors name the source and line: ValueError
// "<source>:<n>: invalid JSON — <detail>", "<source>:<n>: expected a JSON
// object, got list", "<source>:<n>: 'id' must be a string, got int", …
std::vector<ContextItem> parse_jsonl_events(std::string_view text, std::string_view source);

// Reads and parses a JSONL file (StorageError when it cannot be read,
// ValueError when it is not UTF-8 or a line is invalid).
std::vector<ContextItem> load_jsonl_events(const std::filesystem::path& path);

}  // namespace contextweaver::cli
