#include "contextweaver/context/prompt.hpp"

#include "join_pieces.hpp"

namespace contextweaver {

std::string_view section_label(ItemKind kind) {
  switch (kind) {
    case ItemKind::user_turn:
      return "USER";
    case ItemKind::agent_msg:
      return "ASSISTANT";
    case ItemKind::tool_call:
      return "TOOL CALL";
    case ItemKind::tool_result:
      return "TOOL RESULT";
    case ItemKind::doc_snippet:
      return "DOCUMENT";
    case ItemKind::memory_fact:
      return "FACT";
    case ItemKind::plan_state:
      return "PLAN";
    case ItemKind::policy:
      return "POLICY";
  }
  return "ITEM";
}

std::string render_item(const ContextItem& item) {
  std::string out;
  render_item_to(item, out);
  return out;
}

void render_item_to(const ContextItem& item, std::string& out) {
  const std::string_view label = section_label(item.kind);
  out.clear();
  out.reserve(label.size() + item.text.size() + 16 + (item.artifact_ref ? item.artifact_ref->handle.size() + 12 : 0));
  out += '[';
  out += label;
  if (item.artifact_ref) {
    const std::string& handle = item.artifact_ref->handle;
    out += handle.starts_with("artifact:") ? " [" : " [artifact:";
    out += handle;
    out += ']';
  }
  out += "]\n";
  out += item.text;
}

std::string join_prompt(const std::vector<std::string>& rendered, std::string_view separator, std::string_view header,
                        std::string_view footer) {
  std::size_t body = 0;
  for (const auto& r : rendered) body += r.size();
  return context_detail::join_pieces(rendered, body, separator, header, footer);
}

std::string render_context(const std::vector<ContextItem>& items, std::string_view separator, std::string_view header,
                           std::string_view footer) {
  std::vector<std::string> rendered;
  rendered.reserve(items.size());
  for (const auto& item : items) rendered.push_back(render_item(item));
  return join_prompt(rendered, separator, header, footer);
}

}  // namespace contextweaver
