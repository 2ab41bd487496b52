// The default router's ranking index saved beside the graph file
// (docs/ranking-index.md): "graph.json" + "graph.ranking.json".
#include <algorithm>
#include <fstream>
#include <sstream>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/graph_with_index.hpp"

namespace contextweaver {
namespace {

// The graph's catalog hash (its manifest's build_hash), or "" when it has none.
std::string catalog_hash(const ChoiceGraph& graph) {
  const auto m = graph.manifest();
  return m ? m->build_hash : std::string();
}

std::vector<std::string> indexed_ids(const DefaultRouter& router) {
  std::vector<std::string> ids;
  for (const auto& item : router.items()) ids.push_back(item.id);
  return ids;  // sorted, as graph.items()
}

}  // namespace

std::filesystem::path ranking_index_path(const std::filesystem::path& graph_path) {
  std::filesystem::path p = graph_path;
  p.replace_extension(".ranking.json");
  return p;
}

void save_graph_with_index(const ChoiceGraph& graph, const DefaultRouter& router,
                           const std::filesystem::path& graph_path) {
  if (indexed_ids(router) != graph.items()) {
    throw ValueError("save_graph_with_index: the ranking index must hold exactly the graph's items");
  }
  save_graph(graph, graph_path);
  // The index file is the ranker's own format (DefaultRouter::to_json, with its
  // format version) plus the graph's catalog hash, written atomically.
  Json data = router.to_json();
  data["graph_catalog_hash"] = catalog_hash(graph);
  const std::filesystem::path target = ranking_index_path(graph_path);
  const std::filesystem::path tmp = target.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw StorageError("cannot write ranking index '" + tmp.string() + "'");
    std::string text;
    try {
      text = data.dump();
    } catch (const Json::exception& e) {
      throw ValueError(std::string("cannot save ranking index: ") + e.what());
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) throw StorageError("cannot write ranking index '" + tmp.string() + "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw StorageError("cannot move ranking index into place at '" + target.string() + "'");
  }
}

GraphWithIndex load_graph_with_index(const std::filesystem::path& graph_path) {
  GraphWithIndex out{load_graph(graph_path), std::nullopt, "missing"};
  const std::filesystem::path index_path = ranking_index_path(graph_path);
  std::error_code ec;
  if (!std::filesystem::exists(index_path, ec)) return out;
  std::ifstream in(index_path, std::ios::binary);
  if (!in) throw StorageError("cannot read ranking index '" + index_path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  Json data;
  try {
    data = Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    throw JsonDecodeError("ranking index '" + index_path.string() + "' is not valid JSON: " + e.what());
  }
  const auto hash = data.find("graph_catalog_hash");
  if (hash == data.end() || !hash->is_string() || hash->get<std::string>() != catalog_hash(out.graph)) {
    out.index_status = "stale: built for another catalog than the graph's";
    return out;
  }
  DefaultRouter router = DefaultRouter::from_json(data);
  if (indexed_ids(router) != out.graph.items()) {
    out.index_status = "stale: its tools differ from the graph's items";
    return out;
  }
  out.router.emplace(std::move(router));
  out.index_status = "loaded";
  return out;
}

}  // namespace contextweaver
