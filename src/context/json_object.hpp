// object_of: a JSON object built member by member, for the JSON the pipeline
// creates for every firewalled item (view selectors, provenance).
#pragma once

#include <utility>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// The object {k1: v1, k2: v2, ...} from (key, value) pairs with distinct keys,
// in that order; the same value as Json{{k1, v1}, ...}. Built in place: the
// initializer-list form first builds every pair as a JSON array and checks
// that all look like pairs, and emplace searches for each key, which cost
// more than the rest of a view.
template <class... Members>
Json object_of(Members&&... members) {
  Json j(Json::value_t::object);
  auto& obj = j.get_ref<Json::object_t&>();
  obj.reserve(sizeof...(Members));
  (obj.emplace_back(std::forward<Members>(members).first, Json(std::forward<Members>(members).second)), ...);
  return j;
}

}  // namespace contextweaver
