// The benchmark scenario format (benchmarks/benchmark.py::_load_scenario):
// JSON lines {"type","id","text","parent_id"}; used by the parity tests and
// the benchmarks, and by anyone replaying a recorded session.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// Parses scenario lines (Python splitlines; blank lines skipped). type
// user_turn / agent_msg / tool_call / tool_result maps to its kind, anything
// else to user_turn (as the reference); token_estimate 0, sensitivity public,
// metadata {}; other fields ignored. Errors name the 1-based line:
// ValueError "line 3: invalid JSON: …", "line 3: not valid UTF-8";
// TypeError "line 3: expected a JSON object, got list" or a wrongly typed
// field; KeyError "line 3: missing required field 'id'".
std::vector<ContextItem> parse_scenario_jsonl(std::string_view text);

// Reads and parses a scenario file (StorageError when it cannot be read).
std::vector<ContextItem> load_scenario_jsonl(const std::filesystem::path& path);

// The benchmark's query: the text of the last user_turn, or "".
std::string scenario_query(const std::vector<ContextItem>& items);

}  // namespace contextweaver
