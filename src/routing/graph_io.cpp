// Graph files: JSON/YAML save and validated load.
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/core/file_io.hpp"
#include "contextweaver/core/yaml.hpp"

namespace contextweaver {
namespace {

// The loader adds missing edge endpoints as nodes (as the reference does), so
// a dangling reference must be caught on the raw data before that happens.
void check_edge_refs(const Json& data) {
  if (!data.is_object() || !data.contains("edges") || !data.at("edges").is_object()) return;
  const Json* nodes = data.contains("nodes") && data.at("nodes").is_object() ? &data.at("nodes") : nullptr;
  std::set<std::string> items;
  if (data.contains("items") && data.at("items").is_array()) {
    for (const auto& v : data.at("items"))
      if (v.is_string()) items.insert(v.get<std::string>());
  }
  const auto known = [&](const std::string& id) { return (nodes && nodes->contains(id)) || items.count(id) != 0; };
  const Json& edges = data.at("edges");
  for (auto it = edges.begin(); it != edges.end(); ++it) {
    if (!it.value().is_array()) continue;
    for (const auto& dst : it.value()) {
      if (!dst.is_string()) continue;
      const std::string id = dst.get<std::string>();
      if (!known(id)) {
        throw GraphBuildError("Child ref " + py_repr(id) + " from " + py_repr(it.key()) + " not found in graph.");
      }
    }
  }
}

}  // namespace

void save_graph(const ChoiceGraph& graph, const std::filesystem::path& path) {
  const Json data = graph.to_dict();
  const std::string text = is_yaml_path(path) ? dump_yaml(data) : dumps(data, DumpOptions{true, 2, true}) + "\n";
  if (const std::error_code error = write_file_atomic(path, text)) {
    throw GraphBuildError("Cannot write graph file: " + path.string() + ": " + error.message());
  }
}

ChoiceGraph load_graph(const std::filesystem::path& path) {
  std::string text;
  if (const std::error_code error = read_file(path, text)) {
    throw GraphBuildError("Cannot read graph file: " + os_error_text(error, path.string()));
  }
  if (!is_valid_utf8(text)) throw GraphBuildError("Cannot read graph file: '" + path.string() + "' is not valid UTF-8");
  Json data;
  if (is_yaml_path(path)) {
    try {
      data = parse_yaml(text);
    } catch (const YamlSyntaxError& e) {
      throw GraphBuildError("Invalid YAML in graph file: " + path.string() + ": " + e.what());
    }
  } else {
    try {
      data = loads(text);
    } catch (const JsonDecodeError& e) {
      throw GraphBuildError("Invalid JSON in graph file: " + path.string() + ": " + e.what());
    }
  }
  check_edge_refs(data);
  ChoiceGraph graph = [&] {
    try {
      return ChoiceGraph::from_dict(data);
    } catch (const GraphBuildError&) {
      throw;
    } catch (const ContextWeaverError& e) {  // a wrongly typed field
      throw GraphBuildError("Invalid graph file " + path.string() + ": " + e.what());
    }
  }();
  graph.validate();
  return graph;
}

}  // namespace contextweaver
