#include "contextweaver/context/scenario.hpp"

#include <fstream>
#include <sstream>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

std::vector<ContextItem> parse_scenario_jsonl(std::string_view text) {
  std::vector<ContextItem> items;
  std::size_t line_no = 0;
  for (std::string_view raw_line : splitlines(text)) {
    ++line_no;
    const std::string where = "line " + std::to_string(line_no) + ": ";
    std::string_view line = py_strip(raw_line);
    if (line.empty()) continue;
    if (!is_valid_utf8(line)) throw ValueError(where + "not valid UTF-8");
    Json raw;
    try {
      raw = loads(line);
    } catch (const JsonDecodeError& e) {
      throw ValueError(where + "invalid JSON: " + e.what());
    }
    if (!raw.is_object()) throw TypeError(where + "expected a JSON object, got " + std::string(py_type_name(raw)));
    ContextItem item;
    try {
      item.id = as_string(require_key(raw, "id"), "id");
      const auto type = raw.find("type");
      const std::string kind = type != raw.end() && type->is_string() ? type->get<std::string>() : "";
      if (kind == "agent_msg") {
        item.kind = ItemKind::agent_msg;
      } else if (kind == "tool_call") {
        item.kind = ItemKind::tool_call;
      } else if (kind == "tool_result") {
        item.kind = ItemKind::tool_result;
      } else {
        item.kind = ItemKind::user_turn;
      }
      if (auto t = raw.find("text"); t != raw.end()) item.text = as_string(*t, "text");
      if (auto p = raw.find("parent_id"); p != raw.end() && !p->is_null()) item.parent_id = as_string(*p, "parent_id");
    } catch (const KeyError& e) {
      throw KeyError(where + "missing required field " + e.what());
    } catch (const TypeError& e) {
      throw TypeError(where + e.what());
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<ContextItem> load_scenario_jsonl(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StorageError("Cannot read scenario file " + path.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw StorageError("Cannot read scenario file " + path.string());
  return parse_scenario_jsonl(buf.str());
}

std::string scenario_query(const std::vector<ContextItem>& items) {
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (it->kind == ItemKind::user_turn) return it->text;
  }
  return "";
}

}  // namespace contextweaver
