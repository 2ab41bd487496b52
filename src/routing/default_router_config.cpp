#include "contextweaver/routing/default_router_config.hpp"

#include <cmath>
#include <string>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {
namespace {

constexpr std::string_view kFieldNames[kRankFieldCount] = {"name", "namespace", "description", "tags", "params"};

void require_finite_in(std::string_view what, double v, double lo, double hi) {
  if (!std::isfinite(v) || v < lo || v > hi) {
    throw ConfigError("DefaultRouterConfig." + std::string(what) + " must be in [" + std::to_string(lo) + ", " +
                      std::to_string(hi) + "], got " + std::to_string(v));
  }
}

double number_at(const Json& obj, const char* key, double fallback) {
  if (!obj.contains(key)) return fallback;
  const Json& v = obj.at(key);
  if (!v.is_number()) throw TypeError(std::string("DefaultRouterConfig.") + key + " must be a number");
  return v.get<double>();
}

bool bool_at(const Json& obj, const char* key, bool fallback) {
  if (!obj.contains(key)) return fallback;
  const Json& v = obj.at(key);
  if (!v.is_boolean()) throw TypeError(std::string("DefaultRouterConfig.") + key + " must be a boolean");
  return v.get<bool>();
}

}  // namespace

std::string_view to_string(RankField field) {
  return kFieldNames[static_cast<std::size_t>(field)];
}

void DefaultRouterConfig::validate() const {
  for (std::size_t f = 0; f < kRankFieldCount; ++f) {
    require_finite_in("field_weight." + std::string(kFieldNames[f]), field_weight[f], 0.0, 1000.0);
    require_finite_in("field_b." + std::string(kFieldNames[f]), field_b[f], 0.0, 1.0);
  }
  require_finite_in("k1", k1, 1e-6, 100.0);
  require_finite_in("related_factor", related_factor, 0.0, 1.0);
  require_finite_in("typo_factor", typo_factor, 0.0, 1.0);
  require_finite_in("hint_factor", hint_factor, 0.0, 1.0);
  require_finite_in("generic_weight", generic_weight, 0.0, 1.0);
  require_finite_in("coordination", coordination, 0.0, 4.0);
  require_finite_in("refusal_threshold", refusal_threshold, 0.0, 1.0);
  require_finite_in("min_coverage", min_coverage, 0.0, 1.0);
}

Json DefaultRouterConfig::to_json() const {
  Json weights = Json::object();
  Json bs = Json::object();
  for (std::size_t f = 0; f < kRankFieldCount; ++f) {
    weights[std::string(kFieldNames[f])] = field_weight[f];
    bs[std::string(kFieldNames[f])] = field_b[f];
  }
  return Json{{"split_identifiers", analyzer.split_identifiers},
              {"stem", analyzer.stem},
              {"drop_stopwords", analyzer.drop_stopwords},
              {"field_weight", weights},
              {"field_b", bs},
              {"k1", k1},
              {"related_words", related_words},
              {"related_factor", related_factor},
              {"typos", typos},
              {"typo_factor", typo_factor},
              {"hint_factor", hint_factor},
              {"generic_weight", generic_weight},
              {"coordination", coordination},
              {"refusal_threshold", refusal_threshold},
              {"dictionary", dictionary},
              {"min_coverage", min_coverage},
              {"refuse_generic_only", refuse_generic_only}};
}

DefaultRouterConfig DefaultRouterConfig::from_json(const Json& data) {
  if (!data.is_object()) throw TypeError("DefaultRouterConfig must be a JSON object");
  DefaultRouterConfig c;
  c.analyzer.split_identifiers = bool_at(data, "split_identifiers", c.analyzer.split_identifiers);
  c.analyzer.stem = bool_at(data, "stem", c.analyzer.stem);
  c.analyzer.drop_stopwords = bool_at(data, "drop_stopwords", c.analyzer.drop_stopwords);
  for (const char* key : {"field_weight", "field_b"}) {
    if (!data.contains(key)) continue;
    const Json& obj = data.at(key);
    if (!obj.is_object()) throw TypeError(std::string("DefaultRouterConfig.") + key + " must be an object");
    auto& target = std::string_view(key) == "field_weight" ? c.field_weight : c.field_b;
    for (std::size_t f = 0; f < kRankFieldCount; ++f) {
      target[f] = number_at(obj, std::string(kFieldNames[f]).c_str(), target[f]);
    }
  }
  c.k1 = number_at(data, "k1", c.k1);
  c.related_words = bool_at(data, "related_words", c.related_words);
  c.related_factor = number_at(data, "related_factor", c.related_factor);
  c.typos = bool_at(data, "typos", c.typos);
  c.typo_factor = number_at(data, "typo_factor", c.typo_factor);
  c.hint_factor = number_at(data, "hint_factor", c.hint_factor);
  c.generic_weight = number_at(data, "generic_weight", c.generic_weight);
  c.coordination = number_at(data, "coordination", c.coordination);
  c.refusal_threshold = number_at(data, "refusal_threshold", c.refusal_threshold);
  c.dictionary = bool_at(data, "dictionary", c.dictionary);
  c.min_coverage = number_at(data, "min_coverage", c.min_coverage);
  c.refuse_generic_only = bool_at(data, "refuse_generic_only", c.refuse_generic_only);
  c.validate();
  return c;
}

}  // namespace contextweaver
