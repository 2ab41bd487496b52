#include "contextweaver/routing/catalog.hpp"

#include <algorithm>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

Json HydrationResult::to_dict() const {
  Json out = Json::object();
  out["item"] = item.to_dict();
  out["args_schema"] = args_schema;
  Json ex = Json::array();
  for (const auto& e : examples) ex.push_back(e);
  out["examples"] = ex;
  out["constraints"] = constraints;
  return out;
}

HydrationResult HydrationResult::from_dict(const Json& data) {
  HydrationResult out;
  out.item = SelectableItem::from_dict(require_key(data, "item"));
  if (data.contains("args_schema")) out.args_schema = as_object(data.at("args_schema"), "args_schema");
  if (data.contains("examples")) out.examples = as_string_list(data.at("examples"), "examples");
  if (data.contains("constraints")) out.constraints = as_object(data.at("constraints"), "constraints");
  return out;
}

std::string item_text(const SelectableItem& item) {
  std::string text = item.name;
  text += ' ';
  text += item.description;
  text += ' ';
  for (std::size_t i = 0; i < item.tags.size(); ++i) {
    if (i > 0) text += ' ';
    text += item.tags[i];
  }
  return text;
}

void Catalog::register_(SelectableItem item) {
  if (items_.count(item.id) != 0) throw CatalogError("Duplicate item id: " + py_repr(item.id));
  std::string id = item.id;
  items_.emplace(std::move(id), std::move(item));
}

const SelectableItem& Catalog::get(std::string_view id) const {
  const auto it = items_.find(id);
  if (it == items_.end()) throw ItemNotFoundError("Item not found: " + py_repr(id));
  return it->second;
}

bool Catalog::contains(std::string_view id) const {
  return items_.find(id) != items_.end();
}

std::vector<SelectableItem> Catalog::all() const {
  std::vector<SelectableItem> out;
  out.reserve(items_.size());
  for (const auto& [id, item] : items_) out.push_back(item);
  return out;
}

std::vector<SelectableItem> Catalog::filter_by_namespace(std::string_view ns) const {
  std::vector<SelectableItem> out;
  for (const auto& [id, item] : items_)
    if (item.namespace_ == ns) out.push_back(item);
  return out;
}

std::vector<SelectableItem> Catalog::filter_by_tags(const std::vector<std::string>& tags) const {
  std::vector<SelectableItem> out;
  for (const auto& entry : items_) {
    const SelectableItem& item = entry.second;  // not a structured binding: clang 14 cannot capture one
    const bool has_all = std::all_of(tags.begin(), tags.end(), [&](const std::string& tag) {
      return std::find(item.tags.begin(), item.tags.end(), tag) != item.tags.end();
    });
    if (has_all) out.push_back(item);
  }
  return out;
}

Json Catalog::to_dict() const {
  Json items = Json::array();
  for (const auto& [id, item] : items_) items.push_back(item.to_dict());
  Json out = Json::object();
  out["items"] = items;
  return out;
}

Catalog Catalog::from_dict(const Json& data) {
  Catalog catalog;
  if (!data.is_object()) throw CatalogError("Catalog dict must be an object, got " + std::string(py_type_name(data)));
  if (!data.contains("items")) return catalog;
  for (auto& item : load_catalog_dicts(data.at("items"))) catalog.register_(std::move(item));
  return catalog;
}

HydrationResult Catalog::hydrate(std::string_view id) const {
  const SelectableItem& item = get(id);
  HydrationResult out;
  out.item = item;
  out.args_schema = item.args_schema;
  out.examples = item.examples;
  out.constraints = item.constraints;
  return out;
}

}  // namespace contextweaver
