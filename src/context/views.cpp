#include "contextweaver/context/views.hpp"

#include <algorithm>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/core/unicode_fast.hpp"
#include "json_object.hpp"

namespace contextweaver {

namespace {

ViewSpec make_view(const ArtifactRef& ref, const std::string& suffix, std::string label, Json selector) {
  std::string view_id;  // handle + ":" + suffix in one allocation
  view_id.reserve(ref.handle.size() + 1 + suffix.size());
  view_id.append(ref.handle).append(1, ':').append(suffix);
  return ViewSpec{std::move(view_id), std::move(label), std::move(selector), ref};
}

Json head_selector(std::int64_t chars) {
  return object_of(std::pair{"type", "head"}, std::pair{"chars", chars});
}

Json range_selector(const char* type, std::size_t start, std::size_t end) {
  return object_of(std::pair{"type", type}, std::pair{"start", start}, std::pair{"end", end});
}

}  // namespace

std::vector<ViewSpec> json_views(const ArtifactRef& ref, std::string_view data) {
  const std::string text = decode_utf8_replace(data);
  Json obj;
  try {
    obj = loads(text);
  } catch (const JsonDecodeError&) {
    return {};
  }
  std::vector<ViewSpec> views;
  if (obj.is_object() && !obj.empty()) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : obj.items()) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    std::string label = "JSON keys: ";
    for (std::size_t i = 0; i < keys.size() && i < 5; ++i) label += (i ? ", " : "") + keys[i];
    if (keys.size() > 5) label += "\u2026";
    views.push_back(make_view(ref, "json_keys", label, Json{{"type", "json_keys"}, {"keys", keys}}));
    for (std::size_t i = 0; i < keys.size() && i < 10; ++i) {
      views.push_back(make_view(ref, "key:" + keys[i], "JSON key '" + keys[i] + "'",
                                Json{{"type", "json_keys"}, {"keys", Json::array({keys[i]})}}));
    }
  }
  if (obj.is_array() && !obj.empty()) {
    views.push_back(make_view(ref, "array_head",
                              "Array head (" + std::to_string(std::min<std::size_t>(obj.size(), 5)) + " of " +
                                  std::to_string(obj.size()) + " items)",
                              head_selector(500)));
  }
  if (code_point_count(text) > 200) views.push_back(make_view(ref, "head", "Head (500 chars)", head_selector(500)));
  return views;
}

std::vector<ViewSpec> csv_views(const ArtifactRef& ref, std::string_view data) {
  const std::string text = decode_utf8_replace(data);
  const std::size_t total = splitlines(text).size();
  std::vector<ViewSpec> views;
  const std::string of = " of " + std::to_string(total) + ")";
  const std::size_t shown = std::min<std::size_t>(total, 10);
  if (total > 0) {
    views.push_back(make_view(ref, "head_rows", "Head rows (first " + std::to_string(shown) + of,
                              range_selector("rows", 0, shown)));
  }
  if (total > 10) {
    views.push_back(make_view(ref, "tail_rows", "Tail rows (last " + std::to_string(shown) + of,
                              range_selector("rows", total - 10, total)));
  }
  return views;
}

std::vector<ViewSpec> text_views(const ArtifactRef& ref, std::string_view data) {
  // Text broken only by '\n' is counted directly (even ill-formed: decoding
  // moves no line break); otherwise decoding only changes ill-formed input,
  // so valid text needs no copy either.
  const std::size_t total = only_newline_breaks(data) ? newline_line_count(data)
                            : is_valid_utf8(data)     ? splitlines(data).size()
                                                      : splitlines(decode_utf8_replace(data)).size();
  const std::size_t shown = std::min<std::size_t>(total, 20);
  std::vector<ViewSpec> views;
  if (total > 0) {
    views.push_back(
        make_view(ref, "head", "Head (" + std::to_string(shown) + " lines)", range_selector("lines", 0, shown)));
  }
  if (total > 20) {
    views.push_back(make_view(ref, "tail", "Tail (" + std::to_string(shown) + " lines)",
                              range_selector("lines", total - 20, total)));
  }
  return views;
}

std::vector<ViewSpec> binary_views(const ArtifactRef& ref, std::string_view /*data*/) {
  return {make_view(ref, "meta", "Header (128 bytes, " + ref.media_type + ")", head_selector(128))};
}

std::string detect_content_type(std::string_view data, const std::string& media_type) {
  if (media_type.starts_with("image/")) return media_type;
  if (media_type != "application/octet-stream") return media_type;
  if (!is_valid_utf8(data)) return media_type;
  std::string_view text = py_strip(data);
  if (!text.empty() && (text.front() == '{' || text.front() == '[')) {
    try {
      loads(text);
      return "application/json";
    } catch (const JsonDecodeError&) {
    }
  }
  if (looks_like_csv(text)) return "text/csv";
  return "text/plain";
}

ViewRegistry::ViewRegistry() {
  generators_["application/json"] = json_views;
  generators_["text/csv"] = csv_views;
  generators_["text/plain"] = text_views;
}

void ViewRegistry::register_(const std::string& content_type, ViewGenerator generator) {
  if (!generator) throw ValueError("view generator for " + py_repr(content_type) + " is empty");
  generators_[content_type] = std::move(generator);
}

std::vector<ViewSpec> ViewRegistry::generate_views(const ArtifactRef& ref, std::string_view data) const {
  const std::string effective = detect_content_type(data, ref.media_type);
  if (auto it = generators_.find(effective); it != generators_.end()) return it->second(ref, data);
  if (effective.starts_with("text/")) {
    if (auto it = generators_.find("text/plain"); it != generators_.end()) return it->second(ref, data);
  }
  return binary_views(ref, data);
}

std::vector<ViewSpec> generate_views(const ArtifactRef& ref, std::string_view data, const ViewRegistry* registry) {
  if (registry) return registry->generate_views(ref, data);
  static const ViewRegistry kDefault;
  return kDefault.generate_views(ref, data);
}

SelectableItem drilldown_tool_spec() {
  SelectableItem item;
  item.id = "contextweaver:drilldown";
  item.kind = "internal";
  item.name = "drilldown";
  item.description =
      "Fetch a specific slice of a stored artifact. Provide an artifact handle and a selector to retrieve only the "
      "data you need.";
  item.tags = {"progressive-disclosure", "drilldown", "artifact"};
  item.args_schema = loads(
      R"({"type": "object", "properties": {"handle": {"type": "string", "description": "Artifact handle."},)"
      R"( "selector": {"type": "object", "description": "Selector: \"head\", \"lines\", \"json_keys\", or \"rows\".",)"
      R"( "properties": {"type": {"type": "string", "enum": ["head", "lines", "json_keys", "rows"]}},)"
      R"( "required": ["type"]}}, "required": ["handle", "selector"]})");
  item.metadata = Json{{"builtin", true}, {"phase", "interpret"}};
  return item;
}

}  // namespace contextweaver
