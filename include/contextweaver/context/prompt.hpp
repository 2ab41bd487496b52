// Pipeline stage 8: rendering the prompt (context/prompt.py).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// The section label of a kind: USER, ASSISTANT, TOOL CALL, TOOL RESULT,
// DOCUMENT, FACT, PLAN, POLICY.
std::string_view section_label(ItemKind kind);

// "[LABEL]\n<text>", or "[LABEL [<handle>]]\n<text>" for an item with an
// artifact ref whose handle starts with "artifact:", else
// "[LABEL [artifact:<handle>]]\n<text>" (docs/compat.md C1: printed once).
std::string render_item(const ContextItem& item);
// The same, written over `out` (reusing its capacity).
void render_item_to(const ContextItem& item, std::string& out);

// header, the items joined by `separator`, and footer, each present part
// joined by `separator`; "" when all are empty.
std::string render_context(const std::vector<ContextItem>& items, std::string_view separator = "\n\n",
                           std::string_view header = "", std::string_view footer = "");

// The same from already-rendered items.
std::string join_prompt(const std::vector<std::string>& rendered, std::string_view separator, std::string_view header,
                        std::string_view footer);

}  // namespace contextweaver
