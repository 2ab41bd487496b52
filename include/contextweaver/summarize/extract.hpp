// Rule-based fact extraction (summarize/extract.py): key-value lines,
// numbered and bullet lists. extract_facts is the firewall's default extractor.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// "key: value" / "key = value" lines (re `^\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*[:=]\s*(.*?)\s*$`),
// key lower-cased with spaces turned into '_'. A later duplicate key replaces
// the value but keeps the first position (a Python dict).
std::vector<std::pair<std::string, std::string>> extract_key_value_pairs(std::string_view text);

// Items of "1. x" / "2) y" lines, in order.
std::vector<std::string> extract_numbered_list(std::string_view text);

// Items of "- x" / "* x" / "• x" lines, in order. A bare "- " bullet yields
// nothing (docs/compat.md C9; the reference yielded "").
std::vector<std::string> extract_bullet_list(std::string_view text);

// The firewall's default facts: "key: value" pairs, then numbered items, then
// bullets, each distinct string once, first occurrence kept. `metadata` is unused.
std::vector<std::string> extract_facts(std::string_view text, const Json& metadata = Json::object());

}  // namespace contextweaver
