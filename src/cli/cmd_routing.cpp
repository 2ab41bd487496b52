// The routing commands of the reference: build, route, print-tree, init.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "fileio.hpp"
#include "output.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/cards.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/routing/graph.hpp"
#include "contextweaver/routing/default_router.hpp"
#include "contextweaver/routing/reference_router.hpp"
#include "contextweaver/routing/any_router.hpp"
#include "contextweaver/routing/graph_with_index.hpp"
#include "contextweaver/routing/sample_catalog.hpp"
#include "contextweaver/routing/tree_builder.hpp"
#include "contextweaver/store/sqlite_database.hpp"

namespace fs = std::filesystem;

namespace contextweaver::cli {

namespace {

struct RoutingOptions {
  std::string catalog;
  std::string out;
  std::string graph;
  std::string query;
  std::int64_t max_children = 20;
  std::int64_t top_k = 10;
  std::int64_t beam_width = 3;
  std::string router = "default";
  std::int64_t depth = 3;
  bool force = false;
  bool ranking_index = false;
};

// The catalog at `path`, JSON or YAML by its suffix (as the gateway loads it),
// with every id once: CatalogError "<path>: duplicate catalog id 'x' (items
// i and j)" otherwise, so build and route refuse the same files.
std::vector<SelectableItem> load_unique_catalog(const std::string& path) {
  std::vector<SelectableItem> items = load_catalog(path);
  std::map<std::string, std::size_t> first;  // id -> 1-based position
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (const auto [it, inserted] = first.emplace(items[i].id, i + 1); !inserted) {
      throw CatalogError(fmt::format("{}: duplicate catalog id {} (items {} and {})", normalise_path(path),
                                     py_repr(items[i].id), it->second, i + 1));
    }
  }
  return items;
}

void run_build(const GlobalOptions& globals, const RoutingOptions& o) {
  const auto items = load_unique_catalog(o.catalog);
  const ChoiceGraph graph = TreeBuilder(o.max_children).build(items);
  if (o.ranking_index) {
    // The default router's index over the graph's items, saved beside it.
    const auto graph_items = graph.items();
    const std::set<std::string> in_graph(graph_items.begin(), graph_items.end());
    std::vector<SelectableItem> indexed;
    for (const auto& item : items) {
      if (in_graph.count(item.id) != 0) indexed.push_back(item);
    }
    save_graph_with_index(graph, DefaultRouter(indexed), o.out);
  } else {
    save_graph(graph, o.out);
  }
  const Json stats = graph.stats().to_dict();
  if (globals.json) {
    Json doc{{"catalog", normalise_path(o.catalog)},
             {"items", static_cast<std::int64_t>(items.size())},
             {"out", normalise_path(o.out)},
             {"stats", stats}};
    if (o.ranking_index) doc["ranking_index"] = normalise_path(ranking_index_path(o.out).string());
    print_json(doc);
    return;
  }
  std::cout << "Loaded " << items.size() << " items from " << normalise_path(o.catalog) << "\n"
            << "Graph saved to " << normalise_path(o.out) << "\n";
  if (o.ranking_index)
    std::cout << "Ranking index saved to " << normalise_path(ranking_index_path(o.out).string()) << "\n";
  std::cout << "Stats: " << dumps(stats, DumpOptions{false, 2, true}) << "\n";
}

void run_route(const GlobalOptions& globals, const RoutingOptions& o) {
  // A ranking index saved beside the graph (build --ranking-index) spares the
  // default router its indexing; a missing or stale one is rebuilt from the catalog.
  GraphWithIndex loaded = load_graph_with_index(o.graph);
  const auto all_items = load_unique_catalog(o.catalog);
  AnyRouterOptions factory_options;
  factory_options.top_k = o.top_k;
  factory_options.beam_width = o.beam_width;
  std::unique_ptr<AnyRouter> router;
  if (o.router == "default" && loaded.router) {
    router = make_router(std::move(loaded.graph), std::move(*loaded.router), factory_options);
  } else {
    const auto graph_items = loaded.graph.items();
    const std::set<std::string> in_graph(graph_items.begin(), graph_items.end());
    std::vector<SelectableItem> items;
    for (const auto& item : all_items) {
      if (in_graph.count(item.id) != 0) items.push_back(item);
    }
    router = make_router(o.router, std::move(loaded.graph), std::move(items), factory_options);
  }
  const AnyRouteResult routed = router->route(o.query);
  const RouteResult& result = routed.result;
  std::map<std::string, double> scores;
  for (std::size_t i = 0; i < result.candidate_ids.size() && i < result.scores.size(); ++i) {
    scores.emplace(result.candidate_ids[i], result.scores[i]);
  }
  const auto cards = make_choice_cards(result.candidate_items, 20, scores);
  const bool can_refuse = routed.confidence.has_value();  // the default router
  if (globals.json) {
    Json card_array = Json::array();
    for (const auto& card : cards) card_array.push_back(card.to_dict());
    Json doc{{"query", o.query},
             {"router", router->name()},
             {"candidate_ids", result.candidate_ids},
             {"scores", result.scores},
             {"is_ambiguous", result.is_ambiguous},
             {"cards", card_array}};
    if (can_refuse) {
      doc["refused"] = routed.refused;
      doc["refusal_reason"] = routed.refusal_reason;
      doc["confidence"] = *routed.confidence;
    }
    print_json(doc);
    return;
  }
  std::cout << "Query: " << py_repr(o.query) << "\n";
  if (routed.refused) {
    std::cout << "No suitable tool: " << routed.refusal_reason << " (closest tools below)\n";
  }
  std::cout << "Results (" << result.candidate_ids.size() << "):\n" << render_cards_text(cards) << "\n";
}

// One tree line: "> label  (hint)" for a navigation node, "* label" for an item.
std::string node_line(const ChoiceGraph& graph, const std::string& id, bool is_item) {
  std::string label = id;
  std::string hint;
  try {
    const ChoiceNode node = graph.get_node(id);
    if (!node.label.empty()) label = node.label;
    hint = node.routing_hint;
  } catch (const ContextWeaverError&) {
    // an item leaf has no navigation node: its id is its label
  }
  if (is_item) return "* " + label;
  return "> " + label + (hint.empty() ? "" : "  (" + hint + ")");
}

void print_subtree(const ChoiceGraph& graph, const std::set<std::string>& items, const std::string& id,
                   std::int64_t depth, std::int64_t max_depth, const std::string& prefix, Json* json_node) {
  if (json_node != nullptr) {
    (*json_node)["id"] = id;
    (*json_node)["line"] = node_line(graph, id, items.count(id) != 0);
    (*json_node)["children"] = Json::array();
  }
  if (depth >= max_depth) return;
  const auto children = graph.successors(id);
  for (std::size_t i = 0; i < children.size(); ++i) {
    const bool last = i + 1 == children.size();
    if (json_node == nullptr) {
      std::cout << prefix << (last ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ")
                << node_line(graph, children[i], items.count(children[i]) != 0) << "\n";
    }
    Json child = Json::object();
    print_subtree(graph, items, children[i], depth + 1, max_depth, prefix + (last ? "    " : "\u2502   "),
                  json_node != nullptr ? &child : nullptr);
    if (json_node != nullptr) (*json_node)["children"].push_back(std::move(child));
  }
}

void run_print_tree(const GlobalOptions& globals, const RoutingOptions& o) {
  const ChoiceGraph graph = load_graph(o.graph);
  const auto item_list = graph.items();
  const std::set<std::string> items(item_list.begin(), item_list.end());
  const auto stats = graph.stats();
  if (globals.json) {
    Json tree = Json::object();
    print_subtree(graph, items, graph.root_id(), 0, o.depth, "", &tree);
    print_json(Json{{"depth", o.depth}, {"tree", tree}, {"stats", stats.to_dict()}});
    return;
  }
  std::cout << "Routing tree (depth=" << o.depth << "):\n" << node_line(graph, graph.root_id(), false) << "\n";
  print_subtree(graph, items, graph.root_id(), 0, o.depth, "", nullptr);
  std::cout << "\nStats: " << stats.total_nodes << " nodes, " << stats.total_items
            << " items, depth=" << stats.max_depth << "\n";
}

Json init_config() {
  return loads(
      R"({"version": "0.1.0", "budget": {"route": 2000, "call": 3000, "interpret": 4000, "answer": 6000},
      "scoring": {"recency_weight": 0.3, "tag_match_weight": 0.25, "kind_priority_weight": 0.35,
      "token_cost_penalty": 0.1}, "policy": {"sensitivity_floor": "confidential"},
      "routing": {"max_children": 20, "beam_width": 2, "top_k": 20, "confidence_gap": 0.15}})");
}

void run_init(const GlobalOptions& globals, const RoutingOptions& o) {
  const fs::path config_path = "contextweaver.json";
  const fs::path catalog_path = "sample_catalog.json";
  std::vector<std::string> existing;
  for (const auto& path : {config_path, catalog_path}) {
    std::error_code ec;
    if (fs::exists(path, ec)) existing.push_back(path.string());
  }
  if (!existing.empty() && !o.force) {
    std::string names;
    for (const auto& name : existing) names += (names.empty() ? "" : ", ") + name;
    throw ValueError(names + " already exist. Use --force to overwrite.");
  }
  const auto items = sample_catalog();
  Json catalog = Json::array();
  for (const auto& item : items) catalog.push_back(item.to_dict());
  write_file_atomic(config_path, to_json_file_text(init_config()));
  write_file_atomic(catalog_path, to_json_file_text(catalog));
  if (globals.json) {
    print_json(Json{{"created", Json::array({config_path.string(), catalog_path.string()})},
                    {"items", static_cast<std::int64_t>(items.size())}});
    return;
  }
  std::cout << "Created " << config_path.string() << "\n"
            << "Created " << catalog_path.string() << " (" << items.size() << " items)\n";
}

const CommandRegistration kRegistration(20, [](CLI::App& app, GlobalOptions& globals) {
  auto o = std::make_shared<RoutingOptions>();
  CLI::App* build =
      add_command(app, "build", "Build a routing graph from a catalog file (JSON, or YAML for .yaml/.yml).",
                  "  contextweaver build --catalog sample_catalog.json --out graph.json\n"
                  "  contextweaver build --catalog tools.json --out graph.yaml --max-children 10 --json\n");
  build->add_option("--catalog", o->catalog, "Path to the tool catalog (JSON, or YAML for .yaml/.yml)")->required();
  build->add_option("--out", o->out, "Output path for the graph (JSON, or YAML for .yaml/.yml)")->required();
  build->add_option("--max-children", o->max_children, "Max children per node")->capture_default_str();
  build->add_flag("--ranking-index", o->ranking_index,
                  "Also save the default router's ranking index beside the graph (<out stem>.ranking.json)");
  build->callback([&globals, o] { run_build(globals, *o); });

  CLI::App* route =
      add_command(app, "route", "Route a query over a pre-built routing graph.",
                  "  contextweaver route --graph graph.json --catalog sample_catalog.json "
                  "--query \"open a support ticket\"\n"
                  "  contextweaver route --graph graph.json --catalog tools.json --query \"book a flight\" "
                  "--top-k 5 --json\n");
  route->add_option("--graph", o->graph, "Path to the graph file")->required();
  route->add_option("--catalog", o->catalog, "Path to the catalog (JSON, or YAML for .yaml/.yml)")->required();
  route->add_option("--query", o->query, "The user query to route")->required();
  route->add_option("--top-k", o->top_k, "Max results")->capture_default_str();
  route->add_option("--beam-width", o->beam_width, "Beam width (reference routers)")->capture_default_str();
  route
      ->add_option("--router", o->router,
                   "default (ranks every tool, says when nothing fits) or a reference router: "
                   "reference-tfidf, reference-bm25, reference-fuzzy")
      ->capture_default_str();
  route->callback([&globals, o] { run_route(globals, *o); });

  CLI::App* tree = add_command(app, "print-tree", "Pretty-print the routing tree of a graph.",
                               "  contextweaver print-tree --graph graph.json\n"
                               "  contextweaver print-tree --graph graph.json --depth 1 --json\n");
  tree->add_option("--graph", o->graph, "Path to the graph file")->required();
  tree->add_option("--depth", o->depth, "Max depth to display")->capture_default_str();
  tree->callback([&globals, o] { run_print_tree(globals, *o); });

  CLI::App* init =
      add_command(app, "init", "Write contextweaver.json and the project's sample_catalog.json in the current folder.",
                  "  contextweaver init\n  contextweaver init --force\n");
  init->add_flag("--force,!--no-force", o->force, "Overwrite existing files");
  init->callback([&globals, o] { run_init(globals, *o); });
});

}  // namespace

}  // namespace contextweaver::cli
