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

constexpr const char* kOpaqueMediaType = "application/octet-stream";
constexpr std::size_t kProblemValueBytes = 200;

bool is_alpha_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 6838 section 4.2 restricted-name-chars.
bool is_restricted_name_char(char c) {
  return is_alpha_digit(c) || std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
}

// RFC 2045 token characters: visible ASCII except tspecials.
bool is_token_char(char c) {
  return c > 0x20 && c < 0x7f && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// A restricted-name at `pos` (advanced past it).
bool take_restricted_name(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  if (pos >= text.size() || !is_alpha_digit(text[pos])) return false;
  while (pos < text.size() && is_restricted_name_char(text[pos])) ++pos;
  return pos - start <= 127;
}

void skip_blanks(std::string_view text, std::size_t& pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
}

// One "name=value" parameter at `pos` (advanced past it).
bool take_parameter(std::string_view text, std::size_t& pos) {
  const std::size_t name_start = pos;
  while (pos < text.size() && is_token_char(text[pos])) ++pos;
  if (pos == name_start || pos >= text.size() || text[pos] != '=') return false;
  ++pos;
  if (pos < text.size() && text[pos] == '"') {
    for (++pos; pos < text.size(); ++pos) {
      const char c = text[pos];
      if (c == '"') {
        ++pos;
        return true;
      }
      if (c == '\\') {
        if (++pos >= text.size()) return false;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) return false;
    }
    return false;  // unterminated quoted string
  }
  const std::size_t value_start = pos;
  while (pos < text.size() && is_token_char(text[pos])) ++pos;
  return pos > value_start;
}

// The value of a problem entry: at most kProblemValueBytes, never a cut
// UTF-8 sequence (it goes into JSON).
std::string problem_value(const std::string& value) {
  if (value.size() <= kProblemValueBytes) return value;
  std::size_t end = kProblemValueBytes;
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
  return value.substr(0, end) + "\u2026";
}

}  // namespace

bool is_valid_media_type(std::string_view media_type) {
  std::size_t pos = 0;
  if (!take_restricted_name(media_type, pos)) return false;
  if (pos >= media_type.size() || media_type[pos] != '/') return false;
  ++pos;
  if (!take_restricted_name(media_type, pos)) return false;
  for (;;) {
    skip_blanks(media_type, pos);
    if (pos == media_type.size()) return true;
    if (media_type[pos] != ';') return false;
    ++pos;
    skip_blanks(media_type, pos);
    if (!take_parameter(media_type, pos)) return false;
  }
}

bool decode_upstream_base64(std::string_view text, std::string& out) {
  if (text.find_first_of(" \t\r\n") == std::string_view::npos) return base64_decode_to(text, out);
  std::string compact;
  compact.reserve(text.size());
  for (const char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact.push_back(c);
  }
  return base64_decode_to(compact, out);
}

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
    if (!content_problems_.empty()) out_.envelope.provenance["content_problems"] = std::move(content_problems_);
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

  void problem(const std::string& index, const std::string& what, const std::string& value) {
    content_problems_.push_back(
        Json{{"part_index", std::stoll(index)}, {"problem", what}, {"value", problem_value(value)}});
  }

  // The media type to record for part `index`: `mime` when valid, else the
  // opaque type (and a problem entry).
  std::string checked_media_type(const std::string& mime, const std::string& index) {
    if (is_valid_media_type(mime)) return mime;
    problem(index, "invalid media type", mime);
    return kOpaqueMediaType;
  }

  // Base64 `data` of part `index` decoded into `bytes`; false (with a text
  // note and a problem entry) when it is not base64.
  bool decoded(const std::string& data, const std::string& type, const std::string& index, std::string& bytes) {
    if (decode_upstream_base64(data, bytes)) return true;
    // No ':' in the note: it must not read as a fact line.
    text_parts_.push_back("[" + type + " part " + index + " dropped (invalid base64 data)]");
    problem(index, "invalid base64 data", data);
    return false;
  }

  void add_media(const Json& part, const std::string& type, const std::string& index) {
    const std::string mime = checked_media_type(part.contains("mimeType") && part["mimeType"].is_string()
                                                    ? part["mimeType"].get<std::string>()
                                                    : (type == "image" ? "image/png" : "audio/wav"),
                                                index);
    const std::string label = type + " from " + tool_name_;
    std::string bytes;
    if (!decoded(string_or_empty(part, "data"), type, index, bytes)) return;
    add(prefix_ + type + ":" + index, std::move(bytes), mime, mime, label);
  }

  void add_resource(const Json& part, const std::string& index) {
    const Json resource = part.contains("resource") && part["resource"].is_object() ? part["resource"] : Json::object();
    std::string mime = string_or_empty(resource, "mimeType");
    if (!resource.contains("mimeType")) mime = kOpaqueMediaType;
    mime = checked_media_type(mime, index);
    const std::string uri = string_or_empty(resource, "uri");
    std::string content = string_or_empty(resource, "text");
    if (!content.empty()) text_parts_.push_back(content);
    // A blob resource (no text) keeps its decoded bytes; the reference stored it empty.
    if (content.empty() && resource.contains("blob") && resource["blob"].is_string()) {
      if (!decoded(resource["blob"].get<std::string>(), "resource", index, content)) return;
    }
    const std::string label = uri.empty() ? "resource from " + tool_name_ : uri;
    add(prefix_ + "resource:" + index, std::move(content), mime, mime, label);
  }

  void add_resource_link(const Json& part, const std::string& index) {
    const std::string uri = string_or_empty(part, "uri");
    std::string mime = string_or_empty(part, "mimeType");
    if (!part.contains("mimeType")) mime = kOpaqueMediaType;
    mime = checked_media_type(mime, index);
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
  Json content_problems_ = Json::array();
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
