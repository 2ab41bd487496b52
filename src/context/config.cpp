#include "contextweaver/context/config.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"

namespace contextweaver {

namespace {

const Json& object_or_empty(const Json& data, std::string_view what) {
  if (!data.is_object())
    throw TypeError(std::string(what) + " must be a JSON object, got " + std::string(py_type_name(data)));
  return data;
}

double float_or(const Json& data, const char* key, double fallback) {
  auto it = data.find(key);
  return it == data.end() ? fallback : py_float(*it, key);
}

std::int64_t int_or(const Json& data, const char* key, std::int64_t fallback) {
  auto it = data.find(key);
  return it == data.end() ? fallback : py_int(*it, key);
}

}  // namespace

Json ScoringConfig::to_dict() const {
  Json out = Json::object();
  out["recency_weight"] = recency_weight;
  out["tag_match_weight"] = tag_match_weight;
  out["kind_priority_weight"] = kind_priority_weight;
  out["token_cost_penalty"] = token_cost_penalty;
  out["dedup_threshold"] = dedup_threshold;
  return out;
}

ScoringConfig ScoringConfig::from_dict(const Json& data) {
  object_or_empty(data, "ScoringConfig");
  ScoringConfig d;
  return ScoringConfig{
      float_or(data, "recency_weight", d.recency_weight), float_or(data, "tag_match_weight", d.tag_match_weight),
      float_or(data, "kind_priority_weight", d.kind_priority_weight),
      float_or(data, "token_cost_penalty", d.token_cost_penalty), float_or(data, "dedup_threshold", d.dedup_threshold)};
}

std::int64_t ContextBudget::for_phase(Phase phase) const {
  return const_cast<ContextBudget*>(this)->for_phase(phase);
}

std::int64_t& ContextBudget::for_phase(Phase phase) {
  switch (phase) {
    case Phase::route:
      return route;
    case Phase::call:
      return call;
    case Phase::interpret:
      return interpret;
    case Phase::answer:
      break;
  }
  return answer;
}

Json ContextBudget::to_dict() const {
  Json out = Json::object();
  out["route"] = route;
  out["call"] = call;
  out["interpret"] = interpret;
  out["answer"] = answer;
  return out;
}

ContextBudget ContextBudget::from_dict(const Json& data) {
  object_or_empty(data, "ContextBudget");
  ContextBudget d;
  return ContextBudget{int_or(data, "route", d.route), int_or(data, "call", d.call),
                       int_or(data, "interpret", d.interpret), int_or(data, "answer", d.answer)};
}

std::vector<std::pair<Phase, std::vector<ItemKind>>> ContextPolicy::default_allowed_kinds() {
  using K = ItemKind;
  std::vector<ItemKind> all(std::begin(kAllItemKinds), std::end(kAllItemKinds));
  return {{Phase::route, {K::user_turn, K::plan_state, K::policy}},
          {Phase::call, {K::user_turn, K::agent_msg, K::tool_call, K::plan_state, K::policy}},
          {Phase::interpret, all},
          {Phase::answer, all}};
}

std::vector<std::pair<ItemKind, std::int64_t>> ContextPolicy::default_max_items() {
  std::vector<std::pair<ItemKind, std::int64_t>> out;
  for (ItemKind k : kAllItemKinds) out.emplace_back(k, 50);
  return out;
}

const std::vector<ItemKind>& ContextPolicy::allowed_kinds(Phase phase) const {
  static const std::vector<ItemKind> kNone;
  for (const auto& [p, kinds] : allowed_kinds_per_phase) {
    if (p == phase) return kinds;
  }
  return kNone;
}

std::int64_t ContextPolicy::max_items(ItemKind kind) const {
  for (const auto& [k, n] : max_items_per_kind) {
    if (k == kind) return n;
  }
  return 50;
}

Json ContextPolicy::to_dict() const {
  Json allowed = Json::object();
  for (const auto& [phase, kinds] : allowed_kinds_per_phase) {
    Json list = Json::array();
    for (ItemKind k : kinds) list.push_back(std::string(to_string(k)));
    allowed[std::string(to_string(phase))] = std::move(list);
  }
  Json max_items_json = Json::object();
  for (const auto& [kind, n] : max_items_per_kind) max_items_json[std::string(to_string(kind))] = n;
  Json out = Json::object();
  out["allowed_kinds_per_phase"] = std::move(allowed);
  out["max_items_per_kind"] = std::move(max_items_json);
  out["sensitivity_floor"] = std::string(to_string(sensitivity_floor));
  out["sensitivity_action"] = sensitivity_action;
  out["redaction_hooks"] = redaction_hooks;
  out["extra"] = extra;
  return out;
}

ContextPolicy ContextPolicy::from_dict(const Json& data) {
  object_or_empty(data, "ContextPolicy");
  ContextPolicy policy;
  if (auto it = data.find("allowed_kinds_per_phase"); it != data.end() && !it->is_null()) {
    object_or_empty(*it, "allowed_kinds_per_phase");
    policy.allowed_kinds_per_phase.clear();
    for (const auto& [phase, kinds] : it->items()) {
      std::vector<ItemKind> parsed;
      if (!kinds.is_array()) throw TypeError("allowed_kinds_per_phase['" + phase + "'] must be a list of kinds");
      for (const auto& k : kinds) parsed.push_back(item_kind_from_json(k));
      Phase p = parse_phase(phase);
      bool replaced = false;
      for (auto& entry : policy.allowed_kinds_per_phase) {
        if (entry.first == p) {
          entry.second = parsed;
          replaced = true;
        }
      }
      if (!replaced) policy.allowed_kinds_per_phase.emplace_back(p, std::move(parsed));
    }
  }
  if (auto it = data.find("max_items_per_kind"); it != data.end() && !it->is_null()) {
    object_or_empty(*it, "max_items_per_kind");
    policy.max_items_per_kind.clear();
    for (const auto& [kind, n] : it->items()) {
      ItemKind k = parse_item_kind(kind);
      std::int64_t value = py_int(n, "max_items_per_kind");
      bool replaced = false;
      for (auto& entry : policy.max_items_per_kind) {
        if (entry.first == k) {
          entry.second = value;
          replaced = true;
        }
      }
      if (!replaced) policy.max_items_per_kind.emplace_back(k, value);
    }
  }
  if (auto it = data.find("sensitivity_floor"); it != data.end()) policy.sensitivity_floor = sensitivity_from_json(*it);
  if (auto it = data.find("sensitivity_action"); it != data.end()) {
    policy.sensitivity_action = it->is_string() ? it->get<std::string>() : dumps(*it);
  }
  if (auto it = data.find("redaction_hooks"); it != data.end()) {
    policy.redaction_hooks = as_string_list(*it, "redaction_hooks");
  }
  if (auto it = data.find("extra"); it != data.end()) policy.extra = as_object(*it, "extra");
  return policy;
}

}  // namespace contextweaver
