// DefaultRouter construction and incremental updates of its index (rank() is
// in default_router.cpp, persistence in default_router_io.cpp).
#include "contextweaver/routing/default_router.hpp"

#include <algorithm>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {

std::string version_family(std::string_view id) {
  std::size_t end = id.size();
  std::size_t i = end;
  while (i > 0 && id[i - 1] >= '0' && id[i - 1] <= '9') --i;
  if (i == end) return std::string(id);                      // no trailing number
  if (i > 0 && (id[i - 1] == 'v' || id[i - 1] == 'V')) --i;  // "v10"
  if (i == 0 || (id[i - 1] != '.' && id[i - 1] != '_' && id[i - 1] != '-')) return std::string(id);
  return std::string(id.substr(0, i - 1));
}

DefaultRouter::DefaultRouter(DefaultRouterConfig config) : config_(std::move(config)) {
  config_.validate();
  static const Lexicon empty;
  lexicon_ = config_.related_words ? &Lexicon::builtin(config_.analyzer.stem) : &empty;
}

DefaultRouter::DefaultRouter(const std::vector<SelectableItem>& items, DefaultRouterConfig config)
    : DefaultRouter(std::move(config)) {
  slot_of_.reserve(items.size());
  items_.reserve(items.size());
  for (const auto& item : items) add(item);
}

FieldTerms DefaultRouter::analyze_item(const SelectableItem& item) const {
  FieldTerms t;
  const auto& opt = config_.analyzer;
  // The name carries the operation; an item without one is known by its id.
  t[0] = analyze(item.name.empty() ? item.id : item.name, opt);
  t[1] = analyze(item.namespace_, opt);
  std::string text = item.description;
  for (const auto& ex : item.examples) text += "\n" + ex;  // examples read like descriptions
  t[2] = analyze(text, opt);
  for (const auto& tag : item.tags) {
    for (auto& w : analyze(tag, opt)) t[3].push_back(std::move(w));
  }
  if (item.args_schema.is_object()) {
    const auto props = item.args_schema.find("properties");
    if (props != item.args_schema.end() && props->is_object()) {
      for (const auto& [key, value] : props->items()) {
        for (auto& w : analyze(key, opt)) t[4].push_back(std::move(w));
      }
    }
  }
  return t;
}

void DefaultRouter::insert(const SelectableItem& item, FieldTerms terms) {
  if (item.id.empty()) throw ValueError("DefaultRouter: a tool needs a non-empty id");
  if (slot_of_.count(item.id)) throw DuplicateItemError("Duplicate item id: '" + item.id + "'");
  const std::uint32_t slot = index_.add(std::move(terms));
  if (slot >= items_.size()) items_.resize(slot + 1), family_of_.resize(slot + 1);
  items_[slot] = item;
  const auto fam = family_ids_.try_emplace(version_family(item.id), family_count_);
  if (fam.second) ++family_count_;
  family_of_[slot] = fam.first->second;
  slot_of_.emplace(item.id, slot);
}

void DefaultRouter::add(const SelectableItem& item) {
  if (slot_of_.count(item.id)) throw DuplicateItemError("Duplicate item id: '" + item.id + "'");
  insert(item, analyze_item(item));
}

void DefaultRouter::remove(std::string_view id) {
  const auto it = slot_of_.find(std::string(id));
  if (it == slot_of_.end()) throw ItemNotFoundError("Tool not in the ranking index: '" + std::string(id) + "'");
  index_.remove(it->second);
  items_[it->second] = SelectableItem{};
  slot_of_.erase(it);
}

const SelectableItem* DefaultRouter::find(std::string_view id) const {
  const auto it = slot_of_.find(std::string(id));
  return it == slot_of_.end() ? nullptr : &items_[it->second];
}

std::vector<SelectableItem> DefaultRouter::items() const {
  std::vector<SelectableItem> out;
  out.reserve(slot_of_.size());
  for (const auto& [id, slot] : slot_of_) out.push_back(items_[slot]);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace contextweaver
