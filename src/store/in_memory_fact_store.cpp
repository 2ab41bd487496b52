#include "contextweaver/store/in_memory_fact_store.hpp"

#include <mutex>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/log.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

constexpr const char* kLogger = "contextweaver.store";

}  // namespace

void InMemoryFactStore::put_locked(const Fact& fact) {
  auto it = facts_.find(fact.fact_id);
  if (it != facts_.end() && it->second.key != fact.key) {
    auto& ids = by_key_[it->second.key];
    ids.erase(fact.fact_id);
    if (ids.empty()) by_key_.erase(it->second.key);
  }
  by_key_[fact.key].insert(fact.fact_id);
  facts_.insert_or_assign(fact.fact_id, fact);
}

void InMemoryFactStore::put(const Fact& fact) {
  {
    std::unique_lock lock(mutex_);
    put_locked(fact);
  }
  CW_LOG_DEBUG(kLogger, "fact_store.put: id=" + fact.fact_id + ", key=" + fact.key);
}

Fact InMemoryFactStore::get(const std::string& fact_id) const {
  std::shared_lock lock(mutex_);
  const auto it = facts_.find(fact_id);
  if (it == facts_.end()) throw ItemNotFoundError("Fact not found: " + py_repr(fact_id));
  return it->second;
}

std::vector<Fact> InMemoryFactStore::get_by_key(const std::string& key) const {
  std::shared_lock lock(mutex_);
  std::vector<Fact> out;
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return out;
  for (const auto& id : it->second) out.push_back(facts_.find(id)->second);
  return out;
}

std::vector<std::string> InMemoryFactStore::list_keys(const std::string& prefix) const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  // Keys are sorted, so the ones with this prefix are contiguous from lower_bound.
  for (auto it = by_key_.lower_bound(prefix); it != by_key_.end() && it->first.starts_with(prefix); ++it) {
    out.push_back(it->first);
  }
  return out;
}

void InMemoryFactStore::delete_(const std::string& fact_id) {
  std::unique_lock lock(mutex_);
  const auto it = facts_.find(fact_id);
  if (it == facts_.end()) throw ItemNotFoundError("Fact not found: " + py_repr(fact_id));
  auto& ids = by_key_[it->second.key];
  ids.erase(fact_id);
  if (ids.empty()) by_key_.erase(it->second.key);
  facts_.erase(it);
}

std::vector<Fact> InMemoryFactStore::all() const {
  std::shared_lock lock(mutex_);
  std::vector<Fact> out;
  out.reserve(facts_.size());
  for (const auto& [id, fact] : facts_) out.push_back(fact);
  return out;
}

Json InMemoryFactStore::to_dict() const {
  Json facts = Json::array();
  for (const auto& fact : all()) facts.push_back(fact.to_dict());
  Json out = Json::object();
  out["facts"] = std::move(facts);
  return out;
}

std::unique_ptr<InMemoryFactStore> InMemoryFactStore::from_dict(const Json& data) {
  if (!data.is_object()) {
    throw TypeError("InMemoryFactStore.from_dict expects a dict, not '" + std::string(py_type_name(data)) + "'");
  }
  auto store = std::make_unique<InMemoryFactStore>();
  const auto it = data.find("facts");
  if (it == data.end()) return store;
  if (!it->is_array()) {
    throw TypeError("InMemoryFactStore.from_dict: 'facts' must be a list, not '" + std::string(py_type_name(*it)) +
                    "'");
  }
  for (const auto& entry : *it) store->put(Fact::from_dict(entry));
  return store;
}

}  // namespace contextweaver
