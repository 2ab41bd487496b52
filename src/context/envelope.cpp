#include "contextweaver/context/envelope.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"

namespace contextweaver {

void add_count(OrderedCounts& counts, const std::string& key, std::int64_t n) {
  for (auto& [k, v] : counts) {
    if (k == key) {
      v += n;
      return;
    }
  }
  counts.emplace_back(key, n);
}

std::int64_t get_count(const OrderedCounts& counts, const std::string& key) {
  for (const auto& [k, v] : counts) {
    if (k == key) return v;
  }
  return 0;
}

namespace {

Json counts_to_json(const OrderedCounts& counts) {
  Json out = Json::object();
  for (const auto& [k, v] : counts) out[k] = v;
  return out;
}

OrderedCounts counts_from_json(const Json& data, std::string_view field) {
  OrderedCounts out;
  const Json object = as_object(data, field);
  for (const auto& [k, v] : object.items()) out.emplace_back(k, py_int(v, field));
  return out;
}

}  // namespace

Json ResultEnvelope::to_dict() const {
  Json out = Json::object();
  out["status"] = status;
  out["summary"] = summary;
  out["facts"] = facts;
  Json arts = Json::array();
  for (const auto& a : artifacts) arts.push_back(a.to_dict());
  out["artifacts"] = std::move(arts);
  Json vs = Json::array();
  for (const auto& v : views) vs.push_back(v.to_dict());
  out["views"] = std::move(vs);
  out["provenance"] = provenance;
  return out;
}

EnvelopeList::EnvelopeList(std::initializer_list<ResultEnvelope> envelopes) {
  items_.reserve(envelopes.size());
  for (const auto& e : envelopes) push_back(e);
}

EnvelopeList::EnvelopeList(std::vector<ResultEnvelope> envelopes) {
  items_.reserve(envelopes.size());
  for (auto& e : envelopes) push_back(std::move(e));
}

void EnvelopeList::push_back(std::shared_ptr<const ResultEnvelope> envelope) {
  if (!envelope) throw ValueError("EnvelopeList: a null envelope");
  items_.push_back(std::move(envelope));
}

bool EnvelopeList::operator==(const EnvelopeList& other) const {
  if (items_.size() != other.items_.size()) return false;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i] != other.items_[i] && *items_[i] != *other.items_[i]) return false;
  }
  return true;
}

ResultEnvelope ResultEnvelope::from_dict(const Json& data) {
  ResultEnvelope env;
  env.status = as_string(require_key(data, "status"), "status");
  env.summary = as_string(require_key(data, "summary"), "summary");
  if (auto it = data.find("facts"); it != data.end()) env.facts = as_string_list(*it, "facts");
  if (auto it = data.find("artifacts"); it != data.end()) {
    if (!it->is_array()) throw TypeError("artifacts must be a list");
    for (const auto& a : *it) env.artifacts.push_back(ArtifactRef::from_dict(a));
  }
  if (auto it = data.find("views"); it != data.end()) {
    if (!it->is_array()) throw TypeError("views must be a list");
    for (const auto& v : *it) env.views.push_back(ViewSpec::from_dict(v));
  }
  if (auto it = data.find("provenance"); it != data.end()) env.provenance = as_object(*it, "provenance");
  return env;
}

std::int64_t BuildStats::prompt_tokens() const {
  std::int64_t total = 0;
  for (const auto& [k, v] : tokens_per_section) total += v;
  return total + header_footer_tokens;
}

Json BuildStats::to_dict() const {
  Json out = Json::object();
  out["tokens_per_section"] = counts_to_json(tokens_per_section);
  out["total_candidates"] = total_candidates;
  out["included_count"] = included_count;
  out["dropped_count"] = dropped_count;
  out["dropped_reasons"] = counts_to_json(dropped_reasons);
  out["dedup_removed"] = dedup_removed;
  out["dependency_closures"] = dependency_closures;
  out["header_footer_tokens"] = header_footer_tokens;
  return out;
}

BuildStats BuildStats::from_dict(const Json& data) {
  if (!data.is_object()) throw TypeError("BuildStats must be a JSON object");
  BuildStats s;
  if (auto it = data.find("tokens_per_section"); it != data.end()) {
    s.tokens_per_section = counts_from_json(*it, "tokens_per_section");
  }
  auto get = [&](const char* key, std::int64_t& field) {
    if (auto it = data.find(key); it != data.end()) field = py_int(*it, key);
  };
  get("total_candidates", s.total_candidates);
  get("included_count", s.included_count);
  get("dropped_count", s.dropped_count);
  if (auto it = data.find("dropped_reasons"); it != data.end())
    s.dropped_reasons = counts_from_json(*it, "dropped_reasons");
  get("dedup_removed", s.dedup_removed);
  get("dependency_closures", s.dependency_closures);
  get("header_footer_tokens", s.header_footer_tokens);
  return s;
}

Json ContextPack::to_dict() const {
  Json out = Json::object();
  out["prompt"] = prompt;
  out["stats"] = stats.to_dict();
  out["phase"] = std::string(to_string(phase));
  Json envs = Json::array();
  for (const auto& e : envelopes) envs.push_back(e.to_dict());
  out["envelopes"] = std::move(envs);
  return out;
}

ContextPack ContextPack::from_dict(const Json& data) {
  ContextPack pack;
  pack.prompt = as_string(require_key(data, "prompt"), "prompt");
  if (auto it = data.find("stats"); it != data.end()) pack.stats = BuildStats::from_dict(*it);
  if (auto it = data.find("phase"); it != data.end()) pack.phase = phase_from_json(*it);
  if (auto it = data.find("envelopes"); it != data.end()) {
    if (!it->is_array()) throw TypeError("envelopes must be a list");
    for (const auto& e : *it) pack.envelopes.push_back(ResultEnvelope::from_dict(e));
  }
  return pack;
}

}  // namespace contextweaver
