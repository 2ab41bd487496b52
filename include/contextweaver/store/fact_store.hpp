// FactStore: keyed facts about the user, the task or the world.
#pragma once

#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

// Implementations (InMemoryFactStore, SqliteFactStore) are internally
// synchronized: any method may be called from any thread (docs/storage.md,
// "Threading and processes").
class FactStore {
 public:
  virtual ~FactStore() = default;

  // Inserts or replaces the fact with this fact_id.
  virtual void put(const Fact& fact) = 0;

  // ItemNotFoundError ("Fact not found: 'x'") when absent.
  virtual Fact get(const std::string& fact_id) const = 0;

  // Facts whose key equals `key` (case-sensitive), ordered by fact_id.
  virtual std::vector<Fact> get_by_key(const std::string& key) const = 0;

  // Distinct keys starting with `prefix` (case-sensitive), sorted.
  virtual std::vector<std::string> list_keys(const std::string& prefix = "") const = 0;

  // ItemNotFoundError when absent.
  virtual void delete_(const std::string& fact_id) = 0;

  // Every fact, ordered by fact_id.
  virtual std::vector<Fact> all() const = 0;
};

}  // namespace contextweaver
