#include "contextweaver/routing/trace.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"

namespace contextweaver {
namespace {

Json scored_json(const std::vector<std::pair<std::string, double>>& scored) {
  Json out = Json::array();
  for (const auto& [id, score] : scored) {
    Json entry = Json::object();
    entry["id"] = id;
    entry["score"] = py_round(score, 4);
    out.push_back(entry);
  }
  return out;
}

std::string str_of(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  return dumps(value);
}

const Json* member(const Json& data, const char* key) {
  const auto it = data.find(key);
  return it == data.end() ? nullptr : &*it;
}

}  // namespace

Json TraceStep::to_dict() const {
  Json out = Json::object();
  out["depth"] = depth;
  out["node"] = node;
  out["scored_children"] = scored_json(scored_children);
  Json k = Json::array();
  for (const auto& id : kept) k.push_back(id);
  out["kept"] = k;
  return out;
}

TraceStep TraceStep::from_dict(const Json& data) {
  if (!data.is_object())
    throw TypeError("TraceStep: expected a JSON object, got '" + std::string(py_type_name(data)) + "'");
  TraceStep step;
  if (const Json* v = member(data, "depth")) step.depth = py_int(*v, "depth");
  if (const Json* v = member(data, "node")) step.node = str_of(*v);
  if (const Json* v = member(data, "scored_children")) {
    if (!v->is_array()) throw TypeError("scored_children must be a list, not '" + std::string(py_type_name(*v)) + "'");
    for (const auto& entry : *v) {
      if (entry.is_object()) {
        step.scored_children.emplace_back(str_of(require_key(entry, "id")),
                                          py_float(require_key(entry, "score"), "score"));
      } else if (entry.is_array() && entry.size() == 2) {
        step.scored_children.emplace_back(str_of(entry[0]), py_float(entry[1], "score"));
      } else {
        throw ValueError("scored_children entries must be {id, score} objects or [id, score] pairs");
      }
    }
  }
  if (const Json* v = member(data, "kept")) step.kept = as_string_list(*v, "kept");
  return step;
}

Json RouteTrace::to_dict() const {
  Json out = Json::object();
  out["trace_version"] = trace_version;
  out["query"] = query;
  out["confidence_gap"] = confidence_gap;
  out["top_score"] = top_score;
  out["runner_up_score"] = runner_up_score ? Json(*runner_up_score) : Json(nullptr);
  out["is_ambiguous"] = is_ambiguous;
  out["excluded_count"] = excluded_count;
  out["gated_count"] = gated_count;
  out["retriever_engine"] = retriever_engine;
  Json s = Json::array();
  for (const auto& step : steps) s.push_back(step.to_dict());
  out["steps"] = s;
  out["clarifying_question"] = clarifying_question ? Json(*clarifying_question) : Json(nullptr);
  out["extra"] = extra;
  return out;
}

RouteTrace RouteTrace::from_dict(const Json& data) {
  if (!data.is_object())
    throw TypeError("RouteTrace: expected a JSON object, got '" + std::string(py_type_name(data)) + "'");
  RouteTrace t;
  if (const Json* v = member(data, "trace_version")) t.trace_version = py_int(*v, "trace_version");
  if (const Json* v = member(data, "query")) t.query = str_of(*v);
  if (const Json* v = member(data, "confidence_gap")) t.confidence_gap = py_float(*v, "confidence_gap");
  if (const Json* v = member(data, "top_score")) t.top_score = py_float(*v, "top_score");
  if (const Json* v = member(data, "runner_up_score"); v && !v->is_null()) {
    t.runner_up_score = py_float(*v, "runner_up_score");
  }
  if (const Json* v = member(data, "is_ambiguous")) t.is_ambiguous = py_truthy(*v);
  if (const Json* v = member(data, "excluded_count")) t.excluded_count = py_int(*v, "excluded_count");
  if (const Json* v = member(data, "gated_count")) t.gated_count = py_int(*v, "gated_count");
  if (const Json* v = member(data, "retriever_engine")) t.retriever_engine = str_of(*v);
  if (const Json* v = member(data, "steps")) {
    if (!v->is_array()) throw TypeError("steps must be a list, not '" + std::string(py_type_name(*v)) + "'");
    for (const auto& s : *v) t.steps.push_back(TraceStep::from_dict(s));
  }
  if (const Json* v = member(data, "clarifying_question"); v && !v->is_null()) {
    t.clarifying_question = as_string(*v, "clarifying_question");
  }
  if (const Json* v = member(data, "extra")) t.extra = as_object(*v, "extra");
  return t;
}

Json RouteTrace::to_legacy_dicts() const {
  std::map<std::int64_t, Json> by_depth;
  for (const auto& step : steps) {
    Json expansion = Json::object();
    expansion["node"] = step.node;
    expansion["scored_children"] = scored_json(step.scored_children);
    auto [it, inserted] = by_depth.try_emplace(step.depth, Json::array());
    it->second.push_back(expansion);
  }
  Json out = Json::array();
  for (auto& [depth, expansions] : by_depth) {
    Json entry = Json::object();
    entry["depth"] = depth;
    entry["expansions"] = expansions;
    out.push_back(entry);
  }
  return out;
}

}  // namespace contextweaver
