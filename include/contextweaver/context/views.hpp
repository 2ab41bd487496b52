// Views: named drill-downs into a stored artifact (context/views.py), chosen
// by content type, and the drilldown tool's spec.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// A generator receives the artifact's ref and raw bytes.
using ViewGenerator = std::function<std::vector<ViewSpec>(const ArtifactRef&, std::string_view)>;

// Not thread-safe while register_() runs; has() and generate_views() only
// read, so they may run concurrently.
class ViewRegistry {
 public:
  // Built-ins: application/json, text/csv, text/plain (binary fallback otherwise).
  ViewRegistry();

  // Adds or replaces the generator of an exact media-type string.
  void register_(const std::string& content_type, ViewGenerator generator);
  // Whether a generator is registered for exactly this media type.
  bool has(const std::string& content_type) const { return generators_.count(content_type) != 0; }

  // Detects the effective type (detect_content_type), then: exact generator;
  // else the text/plain generator for any text/*; else the binary view.
  std::vector<ViewSpec> generate_views(const ArtifactRef& ref, std::string_view data) const;

 private:
  std::map<std::string, ViewGenerator> generators_;
};

// generate_views with `registry`, or with a fresh default registry when null.
std::vector<ViewSpec> generate_views(const ArtifactRef& ref, std::string_view data,
                                     const ViewRegistry* registry = nullptr);

// image/* unchanged; application/octet-stream sniffed (strict UTF-8, else
// unchanged; JSON -> application/json; CSV -> text/csv; else text/plain);
// anything else unchanged.
std::string detect_content_type(std::string_view data, const std::string& media_type);

// At least two lines and CPython's csv.Sniffer finds a delimiter in the first five.
bool looks_like_csv(std::string_view text);

// The built-in generators (usable when overriding a type).
std::vector<ViewSpec> json_views(const ArtifactRef& ref, std::string_view data);
std::vector<ViewSpec> csv_views(const ArtifactRef& ref, std::string_view data);
std::vector<ViewSpec> text_views(const ArtifactRef& ref, std::string_view data);
std::vector<ViewSpec> binary_views(const ArtifactRef& ref, std::string_view data);

// The "contextweaver:drilldown" internal tool for an agent's interpret-phase catalog.
SelectableItem drilldown_tool_spec();

}  // namespace contextweaver
