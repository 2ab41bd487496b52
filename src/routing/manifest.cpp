#include "contextweaver/routing/manifest.hpp"

#include <algorithm>
#include <chrono>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/sha256.hpp"

namespace contextweaver {
namespace {

// str(value) for a scalar as the reference's str() coercion gives it.
std::string py_str(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "None";
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  return dumps(value);
}

}  // namespace

std::string compute_catalog_hash(const std::vector<SelectableItem>& items) {
  std::vector<const SelectableItem*> sorted;
  sorted.reserve(items.size());
  for (const auto& item : items) sorted.push_back(&item);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  // Appended in place: no per-item temporaries or tag copies.
  std::size_t total = 0;
  for (const auto* item : sorted) {
    total += item->id.size() + item->name.size() + item->description.size() + item->namespace_.size() + 5;
    for (const auto& tag : item->tags) total += tag.size() + 1;
  }
  std::string text;
  text.reserve(total);
  std::vector<const std::string*> tags;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const SelectableItem& item = *sorted[i];
    if (i > 0) text += '\n';
    text.append(item.id).append(1, '|').append(item.name).append(1, '|').append(item.description);
    text.append(1, '|').append(item.namespace_).append(1, '|');
    tags.clear();
    for (const auto& tag : item.tags) tags.push_back(&tag);
    std::sort(tags.begin(), tags.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
    for (std::size_t t = 0; t < tags.size(); ++t) text.append(t ? "," : "").append(*tags[t]);
  }
  return sha256_hex(text);
}

GraphManifest GraphManifest::for_build(const std::vector<SelectableItem>& items, const std::string& strategy,
                                       std::int64_t max_depth, std::optional<std::int64_t> seed, Json engine_versions,
                                       Json extra, std::optional<double> timestamp,
                                       std::optional<std::string> build_hash) {
  GraphManifest m;
  m.build_hash = build_hash ? std::move(*build_hash) : compute_catalog_hash(items);
  m.seed = seed;
  m.engine_versions = std::move(engine_versions);
  m.timestamp = timestamp ? *timestamp
                          : std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  m.item_count = static_cast<std::int64_t>(items.size());
  m.strategy = strategy;
  m.max_depth = max_depth;
  m.extra = std::move(extra);
  return m;
}

Json GraphManifest::to_dict() const {
  Json out = Json::object();
  out["manifest_version"] = manifest_version;
  out["build_hash"] = build_hash;
  out["seed"] = seed ? Json(*seed) : Json(nullptr);
  out["engine_versions"] = engine_versions;
  out["timestamp"] = timestamp;
  out["item_count"] = item_count;
  out["strategy"] = strategy;
  out["max_depth"] = max_depth;
  out["extra"] = extra;
  return out;
}

GraphManifest GraphManifest::from_dict(const Json& data) {
  if (!data.is_object())
    throw TypeError("GraphManifest: expected a JSON object, got '" + std::string(py_type_name(data)) + "'");
  GraphManifest m;
  auto get = [&](const char* key) -> const Json* {
    const auto it = data.find(key);
    return it == data.end() ? nullptr : &*it;
  };
  if (const Json* v = get("manifest_version")) m.manifest_version = py_int(*v, "manifest_version");
  if (const Json* v = get("build_hash")) m.build_hash = py_str(*v);
  if (const Json* v = get("seed"); v != nullptr && !v->is_null()) m.seed = py_int(*v, "seed");
  if (const Json* v = get("engine_versions")) m.engine_versions = as_object(*v, "engine_versions");
  if (const Json* v = get("timestamp")) m.timestamp = py_float(*v, "timestamp");
  if (const Json* v = get("item_count")) m.item_count = py_int(*v, "item_count");
  if (const Json* v = get("strategy")) m.strategy = py_str(*v);
  if (const Json* v = get("max_depth")) m.max_depth = py_int(*v, "max_depth");
  if (const Json* v = get("extra")) m.extra = as_object(*v, "extra");
  return m;
}

bool GraphManifest::matches_catalog(const std::vector<SelectableItem>& items) const {
  return !build_hash.empty() && compute_catalog_hash(items) == build_hash;
}

}  // namespace contextweaver
