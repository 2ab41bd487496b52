// The engine registry (routing/registry.py): named factories for the three
// pluggable routing engines — "retriever", "reranker" and "clustering".
// TreeBuilder resolves its clustering engine and ReferenceRouter its retriever from a
// registry (default_registry() unless the caller passes another).
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "contextweaver/routing/clustering.hpp"
#include "contextweaver/routing/reranker.hpp"
#include "contextweaver/routing/retriever.hpp"

namespace contextweaver {

// The recognised slot names, sorted (the order error messages list them in).
inline constexpr std::array<std::string_view, 3> kEngineSlots = {"clustering", "reranker", "retriever"};

// A resolved engine. The reference returns Any; here the slot's interface is
// one of three alternatives, so callers get a typed object (resolve_* below).
using Engine = std::variant<std::shared_ptr<Retriever>, std::shared_ptr<Reranker>, std::shared_ptr<ClusteringEngine>>;
// A zero-argument factory returning a fresh engine on every call.
using EngineFactory = std::function<Engine()>;

// Thread-safety: every member may run concurrently from any thread (an
// internal mutex guards the factories).
class EngineRegistry {
 public:
  EngineRegistry() = default;
  EngineRegistry(const EngineRegistry& other);
  EngineRegistry& operator=(const EngineRegistry& other);

  // Registers `factory` under (slot, name), replacing an earlier factory of
  // that name. It becomes the slot's default when `make_default` is set or
  // the slot has no default yet. ConfigError "Unknown engine slot 'x'. Valid
  // slots: clustering, reranker, retriever." for another slot.
  // (The reference's `register`, a C++ keyword.)
  void register_engine(std::string_view slot, const std::string& name, EngineFactory factory,
                       bool make_default = false);

  // A fresh engine from the factory of `name`, or of the slot's default when
  // `name` is nullopt. ConfigError for an unknown slot, "No default engine
  // registered for slot 's'." or "Engine 'n' not registered under slot 's'.
  // Available: a, b." ("(none)" when the slot is empty).
  Engine resolve(std::string_view slot, const std::optional<std::string>& name = std::nullopt) const;

  // resolve() for one slot, typed. ConfigError "Engine 'n' under slot 's' is
  // not a <kind>" when the factory returned another slot's kind of engine.
  std::shared_ptr<Retriever> resolve_retriever(const std::optional<std::string>& name = std::nullopt) const;
  std::shared_ptr<Reranker> resolve_reranker(const std::optional<std::string>& name = std::nullopt) const;
  std::shared_ptr<ClusteringEngine> resolve_clustering(const std::optional<std::string>& name = std::nullopt) const;

  // The slot's engine names, sorted. ConfigError for an unknown slot.
  std::vector<std::string> list_engines(std::string_view slot) const;

  // The slot's default engine name; nullopt when none or the slot is unknown.
  std::optional<std::string> default_for(std::string_view slot) const;

 private:
  // Engine name -> factory per slot; std::map keeps names sorted.
  std::map<std::string, std::map<std::string, EngineFactory>, std::less<>> factories_;
  std::map<std::string, std::string, std::less<>> defaults_;
  mutable std::mutex mutex_;  // the default registry is shared and may be extended at run time
};

// A registry with retriever "tfidf" (TfIdfRetriever), reranker "identity"
// (NoOpReranker) and clustering "jaccard" (JaccardClusteringEngine), each the default.
EngineRegistry make_default_registry();

// The process-wide registry TreeBuilder and ReferenceRouter use when given none;
// callers may register more engines on it. Thread-safe.
EngineRegistry& default_registry();

}  // namespace contextweaver
