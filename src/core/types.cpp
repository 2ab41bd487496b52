#include "contextweaver/core/types.hpp"

#include <array>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

constexpr std::array<std::string_view, 8> kKindNames = {"user_turn",   "agent_msg",   "tool_call",
                                                        "tool_result", "doc_snippet", "memory_fact",
                                                        "plan_state",  "policy"};
constexpr std::array<std::string_view, 4> kSensitivityNames = {"public", "internal", "confidential", "restricted"};
constexpr std::array<std::string_view, 4> kPhaseNames = {"route", "call", "interpret", "answer"};

template <typename Enum, std::size_t N>
Enum parse_enum(const std::array<std::string_view, N>& names, std::string_view value, std::string_view type) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == value) return static_cast<Enum>(i);
  }
  throw ValueError(py_repr(value) + " is not a valid " + std::string(type));
}

template <typename Enum, std::size_t N>
Enum enum_from_json(const std::array<std::string_view, N>& names, const Json& value, std::string_view type) {
  if (value.is_string()) return parse_enum<Enum>(names, value.get_ref<const std::string&>(), type);
  const std::string shown = value.is_null() ? "None" : dumps(value);
  throw ValueError(shown + " is not a valid " + std::string(type));
}

// An optional member: absent or null gives nullptr.
const Json* member(const Json& data, const char* key) {
  const auto it = data.find(key);
  if (it == data.end()) return nullptr;
  return &*it;
}

void require_object(const Json& data, std::string_view type) {
  if (!data.is_object()) {
    throw TypeError(std::string(type) + ".from_dict expects a dict, not '" + std::string(py_type_name(data)) + "'");
  }
}

std::optional<ArtifactRef> optional_ref(const Json& data, const char* key) {
  const Json* value = member(data, key);
  // The reference parses artifact_ref only when truthy: absent, null and {} all mean none.
  if (value == nullptr || !py_truthy(*value)) return std::nullopt;
  return ArtifactRef::from_dict(*value);
}

Json string_list(const std::vector<std::string>& values) {
  Json out = Json::array();
  for (const auto& v : values) out.push_back(v);
  return out;
}

}  // namespace

std::string_view to_string(ItemKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }
std::string_view to_string(Sensitivity s) { return kSensitivityNames[static_cast<std::size_t>(s)]; }
std::string_view to_string(Phase phase) { return kPhaseNames[static_cast<std::size_t>(phase)]; }

ItemKind parse_item_kind(std::string_view value) { return parse_enum<ItemKind>(kKindNames, value, "ItemKind"); }
Sensitivity parse_sensitivity(std::string_view value) {
  return parse_enum<Sensitivity>(kSensitivityNames, value, "Sensitivity");
}
Phase parse_phase(std::string_view value) { return parse_enum<Phase>(kPhaseNames, value, "Phase"); }

ItemKind item_kind_from_json(const Json& value) { return enum_from_json<ItemKind>(kKindNames, value, "ItemKind"); }
Sensitivity sensitivity_from_json(const Json& value) {
  return enum_from_json<Sensitivity>(kSensitivityNames, value, "Sensitivity");
}
Phase phase_from_json(const Json& value) { return enum_from_json<Phase>(kPhaseNames, value, "Phase"); }

Json ArtifactRef::to_dict() const {
  Json out = Json::object();
  out["handle"] = handle;
  out["media_type"] = media_type;
  out["size_bytes"] = size_bytes;
  out["label"] = label;
  if (!content_hash.empty()) out["content_hash"] = content_hash;
  return out;
}

ArtifactRef ArtifactRef::from_dict(const Json& data) {
  require_object(data, "ArtifactRef");
  ArtifactRef ref;
  ref.handle = as_string(require_key(data, "handle"), "handle");
  ref.media_type = as_string(require_key(data, "media_type"), "media_type");
  ref.size_bytes = py_int(require_key(data, "size_bytes"), "size_bytes");
  if (const Json* v = member(data, "label")) ref.label = as_string(*v, "label");
  if (const Json* v = member(data, "content_hash")) ref.content_hash = as_string(*v, "content_hash");
  return ref;
}

Json ContextItem::to_dict() const {
  Json out = Json::object();
  out["id"] = id;
  out["kind"] = std::string(to_string(kind));
  out["text"] = text;
  out["token_estimate"] = token_estimate;
  out["sensitivity"] = std::string(to_string(sensitivity));
  out["metadata"] = metadata;
  out["parent_id"] = parent_id ? Json(*parent_id) : Json(nullptr);
  out["artifact_ref"] = artifact_ref ? artifact_ref->to_dict() : Json(nullptr);
  return out;
}

ContextItem ContextItem::from_dict(const Json& data) {
  require_object(data, "ContextItem");
  ContextItem item;
  item.id = as_string(require_key(data, "id"), "id");
  item.kind = item_kind_from_json(require_key(data, "kind"));
  item.text = as_string(require_key(data, "text"), "text");
  if (const Json* v = member(data, "token_estimate")) item.token_estimate = py_int(*v, "token_estimate");
  if (const Json* v = member(data, "sensitivity")) item.sensitivity = sensitivity_from_json(*v);
  if (const Json* v = member(data, "metadata")) item.metadata = as_object(*v, "metadata");
  if (const Json* v = member(data, "parent_id"); v != nullptr && !v->is_null()) {
    item.parent_id = as_string(*v, "parent_id");
  }
  item.artifact_ref = optional_ref(data, "artifact_ref");
  return item;
}

Json ViewSpec::to_dict() const {
  Json out = Json::object();
  out["view_id"] = view_id;
  out["label"] = label;
  out["selector"] = selector;
  out["artifact_ref"] = artifact_ref ? artifact_ref->to_dict() : Json(nullptr);
  return out;
}

ViewSpec ViewSpec::from_dict(const Json& data) {
  require_object(data, "ViewSpec");
  ViewSpec view;
  view.view_id = as_string(require_key(data, "view_id"), "view_id");
  view.label = as_string(require_key(data, "label"), "label");
  if (const Json* v = member(data, "selector")) view.selector = as_object(*v, "selector");
  view.artifact_ref = optional_ref(data, "artifact_ref");
  return view;
}

Json Fact::to_dict() const {
  Json out = Json::object();
  out["fact_id"] = fact_id;
  out["key"] = key;
  out["value"] = value;
  out["tags"] = string_list(tags);
  out["metadata"] = metadata;
  return out;
}

Fact Fact::from_dict(const Json& data) {
  require_object(data, "Fact");
  Fact fact;
  fact.fact_id = as_string(require_key(data, "fact_id"), "fact_id");
  fact.key = as_string(require_key(data, "key"), "key");
  fact.value = as_string(require_key(data, "value"), "value");
  if (const Json* v = member(data, "tags")) fact.tags = as_string_list(*v, "tags");
  if (const Json* v = member(data, "metadata")) fact.metadata = as_object(*v, "metadata");
  return fact;
}

Json Episode::to_dict() const {
  Json out = Json::object();
  out["episode_id"] = episode_id;
  out["summary"] = summary;
  out["tags"] = string_list(tags);
  out["metadata"] = metadata;
  return out;
}

Episode Episode::from_dict(const Json& data) {
  require_object(data, "Episode");
  Episode episode;
  episode.episode_id = as_string(require_key(data, "episode_id"), "episode_id");
  episode.summary = as_string(require_key(data, "summary"), "summary");
  if (const Json* v = member(data, "tags")) episode.tags = as_string_list(*v, "tags");
  if (const Json* v = member(data, "metadata")) episode.metadata = as_object(*v, "metadata");
  return episode;
}

Json SelectableItem::to_dict() const {
  Json out = Json::object();
  out["id"] = id;
  out["kind"] = kind;
  out["name"] = name;
  out["description"] = description;
  out["tags"] = string_list(tags);
  out["namespace"] = namespace_;
  out["args_schema"] = args_schema;
  out["output_schema"] = output_schema ? *output_schema : Json(nullptr);
  out["examples"] = string_list(examples);
  out["constraints"] = constraints;
  out["side_effects"] = side_effects;
  out["cost_hint"] = cost_hint;
  out["metadata"] = metadata;
  return out;
}

SelectableItem SelectableItem::from_dict(const Json& data) {
  require_object(data, "SelectableItem");
  SelectableItem item;
  item.id = as_string(require_key(data, "id"), "id");
  item.kind = as_string(require_key(data, "kind"), "kind");
  item.name = as_string(require_key(data, "name"), "name");
  item.description = as_string(require_key(data, "description"), "description");
  if (const Json* v = member(data, "tags")) item.tags = as_string_list(*v, "tags");
  if (const Json* v = member(data, "namespace")) item.namespace_ = as_string(*v, "namespace");
  if (const Json* v = member(data, "args_schema")) item.args_schema = as_object(*v, "args_schema");
  if (const Json* v = member(data, "output_schema"); v != nullptr && !v->is_null()) item.output_schema = *v;
  if (const Json* v = member(data, "examples")) item.examples = as_string_list(*v, "examples");
  if (const Json* v = member(data, "constraints")) item.constraints = as_object(*v, "constraints");
  if (const Json* v = member(data, "side_effects")) item.side_effects = py_truthy(*v);
  if (const Json* v = member(data, "cost_hint")) item.cost_hint = py_float(*v, "cost_hint");
  if (const Json* v = member(data, "metadata")) item.metadata = as_object(*v, "metadata");
  return item;
}

}  // namespace contextweaver
