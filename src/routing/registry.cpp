#include "contextweaver/routing/registry.hpp"

#include <algorithm>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

bool known_slot(std::string_view slot) {
  return std::find(kEngineSlots.begin(), kEngineSlots.end(), slot) != kEngineSlots.end();
}

void check_slot(std::string_view slot) {
  if (known_slot(slot)) return;
  std::string valid;
  for (const std::string_view s : kEngineSlots) valid.append(valid.empty() ? "" : ", ").append(s);
  throw ConfigError("Unknown engine slot " + py_repr(slot) + ". Valid slots: " + valid + ".");
}

template <class T>
std::shared_ptr<T> typed(Engine engine, std::string_view slot, const std::optional<std::string>& name,
                         const EngineRegistry& registry, const char* kind) {
  if (auto* p = std::get_if<std::shared_ptr<T>>(&engine); p != nullptr && *p) return std::move(*p);
  const std::string shown = name ? *name : registry.default_for(slot).value_or("");
  throw ConfigError("Engine " + py_repr(shown) + " under slot " + py_repr(slot) + " is not a " + kind + ".");
}

}  // namespace

EngineRegistry::EngineRegistry(const EngineRegistry& other) {
  const std::lock_guard<std::mutex> lock(other.mutex_);
  factories_ = other.factories_;
  defaults_ = other.defaults_;
}

EngineRegistry& EngineRegistry::operator=(const EngineRegistry& other) {
  if (this == &other) return *this;
  std::scoped_lock lock(mutex_, other.mutex_);
  factories_ = other.factories_;
  defaults_ = other.defaults_;
  return *this;
}

void EngineRegistry::register_engine(std::string_view slot, const std::string& name, EngineFactory factory,
                                     bool make_default) {
  check_slot(slot);
  const std::lock_guard<std::mutex> lock(mutex_);
  auto& by_name = factories_[std::string(slot)];
  by_name.insert_or_assign(name, std::move(factory));
  const auto it = defaults_.find(slot);
  if (make_default || it == defaults_.end()) defaults_.insert_or_assign(std::string(slot), name);
}

Engine EngineRegistry::resolve(std::string_view slot, const std::optional<std::string>& name) const {
  check_slot(slot);
  EngineFactory factory;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::string resolved;
    if (name) {
      resolved = *name;
    } else {
      const auto it = defaults_.find(slot);
      if (it == defaults_.end()) throw ConfigError("No default engine registered for slot " + py_repr(slot) + ".");
      resolved = it->second;
    }
    const auto slot_it = factories_.find(slot);
    const std::map<std::string, EngineFactory>* by_name = slot_it == factories_.end() ? nullptr : &slot_it->second;
    const auto f =
        by_name != nullptr ? by_name->find(resolved) : std::map<std::string, EngineFactory>::const_iterator{};
    if (by_name == nullptr || f == by_name->end()) {
      std::string valid;
      if (by_name != nullptr)
        for (const auto& entry : *by_name) valid.append(valid.empty() ? "" : ", ").append(entry.first);
      throw ConfigError("Engine " + py_repr(resolved) + " not registered under slot " + py_repr(slot) +
                        ". Available: " + (valid.empty() ? "(none)" : valid) + ".");
    }
    factory = f->second;
  }
  // Outside the lock: a factory may itself consult the registry.
  return factory();
}

std::shared_ptr<Retriever> EngineRegistry::resolve_retriever(const std::optional<std::string>& name) const {
  return typed<Retriever>(resolve("retriever", name), "retriever", name, *this, "retriever");
}

std::shared_ptr<Reranker> EngineRegistry::resolve_reranker(const std::optional<std::string>& name) const {
  return typed<Reranker>(resolve("reranker", name), "reranker", name, *this, "reranker");
}

std::shared_ptr<ClusteringEngine> EngineRegistry::resolve_clustering(const std::optional<std::string>& name) const {
  return typed<ClusteringEngine>(resolve("clustering", name), "clustering", name, *this, "clustering engine");
}

std::vector<std::string> EngineRegistry::list_engines(std::string_view slot) const {
  check_slot(slot);
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  const auto it = factories_.find(slot);
  if (it != factories_.end())
    for (const auto& entry : it->second) out.push_back(entry.first);
  return out;
}

std::optional<std::string> EngineRegistry::default_for(std::string_view slot) const {
  if (!known_slot(slot)) return std::nullopt;
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = defaults_.find(slot);
  if (it == defaults_.end()) return std::nullopt;
  return it->second;
}

EngineRegistry make_default_registry() {
  EngineRegistry registry;
  registry.register_engine(
      "retriever", "tfidf", [] { return Engine(std::make_shared<TfIdfRetriever>()); }, true);
  registry.register_engine(
      "reranker", "identity", [] { return Engine(std::make_shared<NoOpReranker>()); }, true);
  registry.register_engine(
      "clustering", "jaccard", [] { return Engine(std::make_shared<JaccardClusteringEngine>()); }, true);
  return registry;
}

EngineRegistry& default_registry() {
  static EngineRegistry registry = make_default_registry();
  return registry;
}

}  // namespace contextweaver
