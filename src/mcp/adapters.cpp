#include "contextweaver/mcp/adapters.hpp"

#include <map>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/tool_id.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/base64.hpp"

namespace contextweaver {

namespace {

// The part of `name` after `sep` when both sides are non-empty, else nullopt.
std::optional<std::pair<std::string_view, std::string_view>> split_once(std::string_view name, char sep) {
  const auto pos = name.find(sep);
  if (pos == std::string_view::npos) return std::nullopt;
  return std::make_pair(name.substr(0, pos), name.substr(pos + 1));
}

// The tool id's name field: the part after a '.'/'/' prefix, else the full
// upstream name (the underscore and fallback cases keep the prefix).
std::string derive_tool_id_name(std::string_view upstream_name) {
  for (const char sep : {'.', '/'}) {
    if (auto parts = split_once(upstream_name, sep); parts && !parts->first.empty() && !parts->second.empty()) {
      return std::string(parts->second);
    }
  }
  return std::string(upstream_name);
}

std::string string_or_empty(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string file_safe(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  }
  return out;
}

// Python base64.b64decode(validate=True), falling back to the raw UTF-8 text.
std::string decode_data(const std::string& data) {
  try {
    return base64_decode(data);
  } catch (const ValueError&) {
    return data;
  }
}

}  // namespace

std::string infer_namespace(std::string_view tool_name, std::string_view fallback) {
  for (const char sep : {'.', '/'}) {
    if (auto parts = split_once(tool_name, sep); parts && !parts->first.empty()) return std::string(parts->first);
  }
  std::size_t segments = 1;
  for (const char c : tool_name) segments += c == '_' ? 1 : 0;
  const auto first_underscore = tool_name.find('_');
  if (segments >= 3 && first_underscore != 0) return std::string(tool_name.substr(0, first_underscore));
  return std::string(fallback);
}

std::string namespace_from_server_name(std::string_view server_name) {
  std::string out;
  for (const char raw : server_name) {
    const char c = (raw >= 'A' && raw <= 'Z') ? static_cast<char>(raw - 'A' + 'a') : raw;
    const bool letter = c >= 'a' && c <= 'z';
    const bool allowed = letter || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (out.empty() && !letter) continue;  // the namespace must start with a letter
    out.push_back(allowed ? c : '-');
    if (out.size() == 64) break;
  }
  return out;
}

SelectableItem mcp_tool_to_selectable(const Json& tool_def, std::string_view fallback_namespace) {
  if (!tool_def.is_object())
    throw CatalogError("MCP tool definition must be an object, got " + std::string(py_type_name(tool_def)));
  const std::string name = string_or_empty(tool_def, "name");
  const std::string description = string_or_empty(tool_def, "description");
  if (name.empty() || description.empty()) {
    std::vector<std::string> missing;
    if (name.empty()) missing.push_back("'name'");
    if (description.empty()) missing.push_back("'description'");
    std::string listed;
    for (std::size_t i = 0; i < missing.size(); ++i) listed += (i > 0 ? ", " : "") + missing[i];
    throw CatalogError("MCP tool definition missing required fields: [" + listed + "]");
  }

  Json annotations = Json::object();
  if (const auto it = tool_def.find("annotations"); it != tool_def.end() && py_truthy(*it)) {
    if (!it->is_object()) throw CatalogError("MCP tool '" + name + "': annotations must be an object");
    annotations = *it;
  }
  Json input_schema = Json::object();
  if (const auto it = tool_def.find("inputSchema"); it != tool_def.end() && py_truthy(*it)) input_schema = *it;
  std::optional<Json> output_schema;
  if (const auto it = tool_def.find("outputSchema"); it != tool_def.end() && !it->is_null()) output_schema = *it;

  const auto hint = [&](const char* key) {
    const auto it = annotations.find(key);
    return it != annotations.end() && py_truthy(*it);
  };
  std::vector<std::string> tags{"mcp"};
  if (hint("readOnlyHint")) tags.emplace_back("read-only");
  if (hint("destructiveHint")) tags.emplace_back("destructive");
  std::sort(tags.begin(), tags.end());

  double cost_hint = 0.0;
  if (const auto it = annotations.find("costHint"); it != annotations.end()) {
    try {
      cost_hint = py_float(*it, "costHint");
    } catch (const ContextWeaverError& e) {
      throw CatalogError("MCP tool '" + name + "': annotations.costHint is not a number: " + e.what());
    }
  }

  const std::string fallback = fallback_namespace.empty() ? std::string("mcp") : std::string(fallback_namespace);
  const std::string namespace_ = infer_namespace(name, fallback);
  std::optional<std::string> version;
  if (const auto meta = tool_def.find("_meta"); meta != tool_def.end() && meta->is_object()) {
    if (const auto v = meta->find("version"); v != meta->end() && py_truthy(*v)) version = py_str(*v);
  }

  SelectableItem item;
  item.id = canonical_tool_id(namespace_, derive_tool_id_name(name), name, input_schema, version);
  item.kind = "tool";
  item.name = name;
  item.description = description;
  item.tags = std::move(tags);
  item.namespace_ = namespace_;
  item.args_schema = input_schema;
  item.output_schema = std::move(output_schema);
  item.side_effects = !hint("readOnlyHint");
  item.cost_hint = cost_hint;
  for (const auto& [key, value] : annotations.items()) {
    if (key != "costHint") item.metadata[key] = value;
  }
  return item;
}

std::string mcp_handle_prefix(const std::string& tool_name, const std::string& call_id) {
  std::string prefix = "mcp:" + file_safe(tool_name) + ":";
  if (!call_id.empty()) prefix += file_safe(call_id) + ":";
  return prefix;
}

namespace {

// One CallToolResult being converted: the steps of mcp_result_to_envelope,
// sharing the output, the text parts and the content annotations.
class ResultConverter {
 public:
  ResultConverter(const std::string& tool_name, const std::string& call_id)
      : tool_name_(tool_name), prefix_(mcp_handle_prefix(tool_name, call_id)) {}

  // Part i of "content": its annotations, then its text or artifact.
  void add_part(std::size_t i, const Json& part) {
    if (!part.is_object()) return;
    const std::string index = std::to_string(i);
    if (const auto ann = part.find("annotations"); ann != part.end() && ann->is_object() && !ann->empty()) {
      Json entry = Json{{"part_index", i}};
      for (const auto& [key, value] : ann->items()) entry[key] = value;
      content_annotations_.push_back(std::move(entry));
    }
    const auto type_it = part.find("type");
    const std::string type = type_it == part.end() ? "text" : (type_it->is_string() ? type_it->get<std::string>() : "");
    if (type == "text") {
      text_parts_.push_back(string_or_empty(part, "text"));
    } else if (type == "image" || type == "audio") {
      add_media(part, type, index);
    } else if (type == "resource") {
      add_resource(part, index);
    } else if (type == "resource_link") {
      add_resource_link(part, index);
    }
  }

  // structuredContent: stored as sorted-key JSON; each short top-level member
  // of an object also becomes a "key: value" text line.
  void add_structured_content(const Json& structured) {
    const std::string label = "structured content from " + tool_name_;
    add(prefix_ + "structured_content", dumps(structured, DumpOptions{true, -1, true}), "application/json",
        "application/json", label);
    if (!structured.is_object()) return;
    for (const auto& [key, value] : structured.items()) {
      const std::string rendered = py_str(value);
      if (code_point_count(rendered) < 200) text_parts_.push_back(key + ": " + rendered);
    }
  }

  // The envelope from what was gathered: full text, summary, facts, provenance.
  McpConversion finish(bool is_error) && {
    if (text_parts_.empty()) {
      out_.full_text = "(no content)";
    } else {
      for (std::size_t i = 0; i < text_parts_.size(); ++i) out_.full_text += (i > 0 ? "\n" : "") + text_parts_[i];
    }
    out_.envelope.status = is_error ? "error" : "ok";
    out_.envelope.summary = slice_code_points(out_.full_text, 0, 500);
    for (const auto& text : text_parts_) {
      for (const auto line : splitlines(text)) {
        const std::string_view stripped = py_strip(line);
        if (stripped.find(':') != std::string_view::npos && code_point_count(stripped) < 200) {
          if (out_.envelope.facts.size() < 20) out_.envelope.facts.emplace_back(stripped);
        }
      }
    }
    out_.envelope.provenance = Json{{"tool", tool_name_}, {"protocol", "mcp"}};
    if (!content_annotations_.empty())
      out_.envelope.provenance["content_annotations"] = std::move(content_annotations_);
    return std::move(out_);
  }

 private:
  void add(const std::string& handle, std::string bytes, const std::string& ref_mime, const std::string& stored_mime,
           const std::string& label) {
    ArtifactRef ref;
    ref.handle = handle;
    ref.media_type = ref_mime;
    ref.size_bytes = static_cast<std::int64_t>(bytes.size());
    ref.label = label;
    out_.envelope.artifacts.push_back(ref);
    out_.binaries[handle] = McpBinary{std::move(bytes), stored_mime, label};
  }

  void add_media(const Json& part, const std::string& type, const std::string& index) {
    const std::string mime = part.contains("mimeType") && part["mimeType"].is_string()
                                 ? part["mimeType"].get<std::string>()
                                 : (type == "image" ? "image/png" : "audio/wav");
    const std::string label = type + " from " + tool_name_;
    add(prefix_ + type + ":" + index, decode_data(string_or_empty(part, "data")), mime, mime, label);
  }

  void add_resource(const Json& part, const std::string& index) {
    const Json resource = part.contains("resource") && part["resource"].is_object() ? part["resource"] : Json::object();
    std::string mime = string_or_empty(resource, "mimeType");
    if (!resource.contains("mimeType")) mime = "application/octet-stream";
    const std::string uri = string_or_empty(resource, "uri");
    const std::string text = string_or_empty(resource, "text");
    if (!text.empty()) text_parts_.push_back(text);
    const std::string label = uri.empty() ? "resource from " + tool_name_ : uri;
    add(prefix_ + "resource:" + index, text, mime, mime, label);
  }

  void add_resource_link(const Json& part, const std::string& index) {
    const std::string uri = string_or_empty(part, "uri");
    std::string mime = string_or_empty(part, "mimeType");
    if (!part.contains("mimeType")) mime = "application/octet-stream";
    const std::string link_name = string_or_empty(part, "name");
    const std::string label =
        !link_name.empty() ? link_name : (!uri.empty() ? uri : "resource link from " + tool_name_);
    add(prefix_ + "resource_link:" + index, uri, mime, "text/uri-list", label);
  }

  const std::string& tool_name_;
  const std::string prefix_;
  McpConversion out_;
  std::vector<std::string> text_parts_;
  Json content_annotations_ = Json::array();
};

}  // namespace

McpConversion mcp_result_to_envelope(const Json& result, const std::string& tool_name, const std::string& call_id) {
  const bool is_error = result.is_object() && result.contains("isError") && py_truthy(result["isError"]);
  ResultConverter converter(tool_name, call_id);
  if (result.is_object()) {
    if (const auto it = result.find("content"); it != result.end() && it->is_array()) {
      for (std::size_t i = 0; i < it->size(); ++i) converter.add_part(i, (*it)[i]);
    }
    if (const auto sc = result.find("structuredContent"); sc != result.end() && !sc->is_null()) {
      converter.add_structured_content(*sc);
    }
  }
  return std::move(converter).finish(is_error);
}

}  // namespace contextweaver
