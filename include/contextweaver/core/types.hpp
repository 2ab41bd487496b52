// The core data types, with the reference's JSON shapes (types.py,
// store/facts.py, store/episodic.py).
//
// to_dict() emits the reference's keys in the reference's order; from_dict()
// applies its defaults and coercions and throws KeyError (missing required
// key), TypeError (wrong JSON type) or ValueError (bad value).
//
// Plain values, like std::string: const access may be shared between threads,
// a value being modified may not. The free functions are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// Declaration order is the reference's and is significant (ordering, lists
// built from the enum).
enum class Sensitivity { public_, internal, confidential, restricted };
enum class ItemKind { user_turn, agent_msg, tool_call, tool_result, doc_snippet, memory_fact, plan_state, policy };
enum class Phase { route, call, interpret, answer };

inline constexpr ItemKind kAllItemKinds[] = {ItemKind::user_turn,   ItemKind::agent_msg,   ItemKind::tool_call,
                                             ItemKind::tool_result, ItemKind::doc_snippet, ItemKind::memory_fact,
                                             ItemKind::plan_state,  ItemKind::policy};
inline constexpr Phase kAllPhases[] = {Phase::route, Phase::call, Phase::interpret, Phase::answer};
inline constexpr Sensitivity kAllSensitivities[] = {Sensitivity::public_, Sensitivity::internal,
                                                    Sensitivity::confidential, Sensitivity::restricted};

// The enum's value string ("user_turn", "public", "answer").
std::string_view to_string(ItemKind kind);
std::string_view to_string(Sensitivity sensitivity);
std::string_view to_string(Phase phase);

// Parse a value string; ValueError "'bogus' is not a valid ItemKind" otherwise.
ItemKind parse_item_kind(std::string_view value);
Sensitivity parse_sensitivity(std::string_view value);
Phase parse_phase(std::string_view value);

// Parse from JSON: a string that names a member; ValueError otherwise (null included).
ItemKind item_kind_from_json(const Json& value);
Sensitivity sensitivity_from_json(const Json& value);
Phase phase_from_json(const Json& value);

// A pointer to bytes kept out of the prompt, in an ArtifactStore.
struct ArtifactRef {
  std::string handle;
  std::string media_type;
  std::int64_t size_bytes = 0;
  std::string label;
  std::string content_hash;  // lowercase hex sha256 of the stored bytes; "" = not populated

  // {"handle","media_type","size_bytes","label"} plus "content_hash" only when non-empty.
  Json to_dict() const;
  static ArtifactRef from_dict(const Json& data);
  bool operator==(const ArtifactRef&) const = default;
};

// One event in an agent's log.
struct ContextItem {
  std::string id;
  ItemKind kind = ItemKind::user_turn;
  std::string text;
  std::int64_t token_estimate = 0;
  Sensitivity sensitivity = Sensitivity::public_;
  Json metadata = Json::object();
  std::optional<std::string> parent_id = std::nullopt;  // initialized, so ContextItem{id, kind, text} is warning-free
  std::optional<ArtifactRef> artifact_ref = std::nullopt;

  // Key order: id, kind, text, token_estimate, sensitivity, metadata, parent_id, artifact_ref.
  Json to_dict() const;
  static ContextItem from_dict(const Json& data);
  bool operator==(const ContextItem&) const = default;
};

// A named drill-down into an artifact.
struct ViewSpec {
  std::string view_id;
  std::string label;
  Json selector = Json::object();
  std::optional<ArtifactRef> artifact_ref;

  Json to_dict() const;
  static ViewSpec from_dict(const Json& data);
  bool operator==(const ViewSpec&) const = default;
};

// A keyed fact (store/facts.py).
struct Fact {
  std::string fact_id;
  std::string key;
  std::string value;
  std::vector<std::string> tags;
  Json metadata = Json::object();

  Json to_dict() const;
  static Fact from_dict(const Json& data);
  bool operator==(const Fact&) const = default;
};

// A summarized past episode (store/episodic.py).
struct Episode {
  std::string episode_id;
  std::string summary;
  std::vector<std::string> tags;
  Json metadata = Json::object();

  Json to_dict() const;
  static Episode from_dict(const Json& data);
  bool operator==(const Episode&) const = default;
};

// A tool, agent or skill that a router can choose (alias ToolCard).
struct SelectableItem {
  std::string id;
  std::string kind;  // tool | agent | skill | internal (not validated, as in the reference)
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string namespace_;
  Json args_schema = Json::object();
  std::optional<Json> output_schema;
  std::vector<std::string> examples;
  Json constraints = Json::object();
  bool side_effects = false;
  double cost_hint = 0.0;
  Json metadata = Json::object();

  // All 13 keys in the reference's order ("namespace", output_schema null when absent).
  Json to_dict() const;
  static SelectableItem from_dict(const Json& data);
  bool operator==(const SelectableItem&) const = default;
};

}  // namespace contextweaver
