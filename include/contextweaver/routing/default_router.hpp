// DefaultRouter: the default tool router, a flat, fielded (BM25F) ranking
// that can refuse. make_router (any_router.hpp) offers it as "default".
//
// Every eligible tool is scored directly (no tree pruning) with BM25F over
// name, namespace, description, tags and parameter names, after identifier
// splitting and Snowball stemming. Each query term may also match a related
// API word (Lexicon) or, when the catalog lacks it, a catalog term one or two
// edits away; a term's contribution is the best of its alternatives, so
// expansions never stack. When the best candidate covers too little of the
// query, the result says so (refused) instead of pretending.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"
#include "contextweaver/routing/field_index.hpp"
#include "contextweaver/routing/item_filter.hpp"
#include "contextweaver/routing/lexicon.hpp"
#include "contextweaver/routing/default_router_config.hpp"

namespace contextweaver {

// Per-call options of rank(): the filters both routers share (ItemFilter),
// the result size, hints and explanations.
struct RankOptions : ItemFilter {
  std::size_t top_k = 10;
  // Extra words from the conversation; stripped, blanks dropped, scored as
  // query terms at DefaultRouterConfig::hint_factor.
  std::vector<std::string> context_hints;
  bool explain = true;  // fill RankedCandidate::matches
};

// Why a candidate scored: one entry per query term that matched.
struct TermMatch {
  std::string query_term;           // the analyzed query term
  std::string matched_term;         // the catalog term it matched
  std::string kind;                 // "exact", "related" (lexicon), "typo" or "hint"
  std::vector<std::string> fields;  // fields holding matched_term, in field order
  double contribution = 0.0;
};

struct RankedCandidate {
  std::string id;
  double score = 0.0;
  std::vector<TermMatch> matches;
};

struct RankResult {
  // Best first, ties by id; only tools that matched a term. Other versions of
  // a listed tool (same version_family) come after all distinct tools.
  std::vector<RankedCandidate> candidates;
  // True when no tool fits well enough: no searchable word, no match, or the
  // best tool's confidence is below DefaultRouterConfig::refusal_threshold and the
  // product is not named. The candidates are still listed (closest tools).
  bool refused = false;
  std::string refusal_reason;  // empty unless refused
  // Share of the query's information the best candidate matched, in [0, 1]:
  // top score / (sum over query terms of their best achievable score).
  double confidence = 0.0;
  // A query word names the best tool's namespace (its product); such a query
  // is never refused, whatever its confidence.
  bool product_mentioned = false;
  // Share of the query terms the best candidate matches (any kind), in [0, 1].
  double coverage = 0.0;
  // Every query term the best candidate matches is a generic word
  // (is_generic_term): "put", "write", "current" alone.
  bool generic_only = false;
  std::int64_t excluded_count = 0;
  std::int64_t gated_count = 0;
  std::vector<std::string> context_hints;  // the hints applied
  std::vector<std::string> query_terms;    // analyzed query terms (distinct, in order)
  std::vector<std::string> unknown_terms;  // query terms no catalog tool holds (after typo matching)
};

// The id without a trailing version segment: "a.b.v10", "a.b_v2", "a.b-3" →
// "a.b". Versions of one tool form a family in the ranking (see rank()).
std::string version_family(std::string_view id);

// Thread-safety: rank() and the other const members may run concurrently
// from any thread (each thread keeps its own scratch buffers); add(), remove()
// and assignment need exclusive access.
class DefaultRouter {
 public:
  // An empty index (add() tools later). Throws ConfigError on a bad config.
  explicit DefaultRouter(DefaultRouterConfig config = {});
  // Indexes every item; DuplicateItemError on a repeated id.
  explicit DefaultRouter(const std::vector<SelectableItem>& items, DefaultRouterConfig config = {});

  // Indexes one more tool without touching the others. DuplicateItemError if
  // its id is already indexed; ValueError for an empty id.
  void add(const SelectableItem& item);
  // Removes a tool; ItemNotFoundError if the id is not indexed.
  void remove(std::string_view id);
  bool contains(std::string_view id) const { return slot_of_.count(std::string(id)) != 0; }
  std::size_t size() const { return slot_of_.size(); }
  // The indexed item, or nullptr.
  const SelectableItem* find(std::string_view id) const;
  // Indexed items sorted by id.
  std::vector<SelectableItem> items() const;
  const DefaultRouterConfig& config() const { return config_; }

  // Ranks the eligible tools for `query`. RouteError when filters leave no
  // tool (the reference's message), or top_k is 0. An empty index, or a query
  // with no usable term, gives an empty, refused result.
  RankResult rank(std::string_view query, const RankOptions& options = {}) const;

  // The index as JSON: {"format": "contextweaver.tool_ranker", "version": 1,
  // "analyzer": <fingerprint>, "config": {...}, "tools": [{"item": <SelectableItem>,
  // "terms": {"name": [...], ...}}]}. Analyzed terms are stored so that load
  // skips analysis; they are recomputed when the analyzer fingerprint differs.
  Json to_json() const;
  // Throws ValueError (wrong format/version, bad terms), KeyError, TypeError,
  // DuplicateItemError, ConfigError.
  static DefaultRouter from_json(const Json& data);
  // Writes to_json() atomically (temp file + rename); StorageError on failure.
  void save(const std::filesystem::path& path) const;
  // StorageError when unreadable, JsonDecodeError when not JSON, then as from_json.
  static DefaultRouter load(const std::filesystem::path& path);

  // Identifies analysis + lexicon; saved indexes with another value are re-analyzed.
  static std::string analyzer_fingerprint(const AnalyzerOptions& options);

 private:
  FieldTerms analyze_item(const SelectableItem& item) const;
  void insert(const SelectableItem& item, FieldTerms terms);

  DefaultRouterConfig config_;
  const Lexicon* lexicon_;
  FieldIndex index_;
  std::unordered_map<std::string, std::uint32_t> slot_of_;
  std::vector<SelectableItem> items_;  // by slot
  // Version families (version_family of the id): an id per family, by slot.
  std::unordered_map<std::string, std::uint32_t> family_ids_;
  std::vector<std::uint32_t> family_of_;
  std::uint32_t family_count_ = 0;
};

}  // namespace contextweaver
