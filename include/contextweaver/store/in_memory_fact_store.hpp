// InMemoryFactStore: facts kept in process memory.
#pragma once

#include <map>
#include <set>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/store/fact_store.hpp"

namespace contextweaver {

// Facts ordered by fact_id (UTF-8 byte order = code point order), with a
// key -> fact_ids index so get_by_key and list_keys do not scan every fact.
// Internally synchronized: readers share a lock, writers take it exclusively.
class InMemoryFactStore final : public FactStore {
 public:
  InMemoryFactStore() = default;

  void put(const Fact& fact) override;
  Fact get(const std::string& fact_id) const override;
  std::vector<Fact> get_by_key(const std::string& key) const override;
  std::vector<std::string> list_keys(const std::string& prefix = "") const override;
  void delete_(const std::string& fact_id) override;
  std::vector<Fact> all() const override;

  // {"facts": [fact.to_dict() ...]} ordered by fact_id.
  Json to_dict() const;
  // A store holding data["facts"] (absent -> empty), put in order so later
  // duplicate fact_ids win. Throws what Fact::from_dict throws; TypeError
  // when "facts" is not a list.
  static std::unique_ptr<InMemoryFactStore> from_dict(const Json& data);

 private:
  void put_locked(const Fact& fact);

  mutable std::shared_mutex mutex_;
  std::map<std::string, Fact, std::less<>> facts_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> by_key_;  // key -> fact_ids
};

}  // namespace contextweaver
