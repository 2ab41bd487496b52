// The tool catalog: an id-keyed registry of SelectableItems, and the loaders
// and savers for catalog files (routing/catalog.py).
//
// File errors are CatalogErrors whose messages start exactly like the
// reference's ("Invalid JSON in catalog file: …", "Item at index 3 missing
// required fields: […]") and then name the file, the item (index and id) and
// the field, so a user can fix the file without guessing.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

// Everything needed for a call-phase prompt once a tool is chosen.
struct HydrationResult {
  SelectableItem item;
  Json args_schema = Json::object();
  std::vector<std::string> examples;
  Json constraints = Json::object();

  // {"item","args_schema","examples","constraints"}.
  Json to_dict() const;
  // KeyError when "item" is missing; other keys default.
  static HydrationResult from_dict(const Json& data);
  bool operator==(const HydrationResult&) const = default;
};

// The reference's document text of an item: name + " " + description + " " + tags joined by " ".
std::string item_text(const SelectableItem& item);

// Thread-safety: const members may run concurrently; register_ and other
// changes need exclusive access (no internal locking).
class Catalog {
 public:
  // Adds an item; CatalogError "Duplicate item id: 'x'" when the id is taken.
  void register_(SelectableItem item);

  // The item with this id; ItemNotFoundError "Item not found: 'x'" otherwise.
  const SelectableItem& get(std::string_view id) const;
  bool contains(std::string_view id) const;
  std::size_t size() const { return items_.size(); }

  // Every item, sorted by id.
  std::vector<SelectableItem> all() const;
  // Items whose namespace equals `ns` exactly, sorted by id.
  std::vector<SelectableItem> filter_by_namespace(std::string_view ns) const;
  // Items carrying every tag in `tags` (all items when `tags` is empty), sorted by id.
  std::vector<SelectableItem> filter_by_tags(const std::vector<std::string>& tags) const;

  // {"items": [item.to_dict() for all()]}.
  Json to_dict() const;
  // Registers data["items"] (absent = none); duplicate ids raise CatalogError.
  static Catalog from_dict(const Json& data);

  // The item with its schema, examples and constraints; ItemNotFoundError if absent.
  HydrationResult hydrate(std::string_view id) const;

 private:
  std::map<std::string, SelectableItem, std::less<>> items_;
};

// Validates a parsed catalog (a JSON array of item objects) and converts it.
// Errors: "Item at index i is not a dict.", "Item at index i missing required
// fields: ['kind']", "Item at index i has invalid data: <field>: …", each
// followed by the item's id (when known) and `source` (when non-empty).
// Duplicate ids are not rejected here (as in the reference).
std::vector<SelectableItem> load_catalog_dicts(const Json& data, std::string_view source = "");

// Parses catalog text. JSON errors carry Python's "line L column C (char N)";
// YAML errors carry "line L, column C". `source` names the file in messages.
std::vector<SelectableItem> parse_catalog_json(std::string_view text, std::string_view source = "");
std::vector<SelectableItem> parse_catalog_yaml(std::string_view text, std::string_view source = "");

// Reads a catalog file. load_catalog dispatches on the lower-cased suffix:
// .yaml/.yml → YAML, anything else → JSON. Unreadable file → CatalogError
// "Cannot read catalog file: …".
std::vector<SelectableItem> load_catalog(const std::filesystem::path& path);
std::vector<SelectableItem> load_catalog_json(const std::filesystem::path& path);
std::vector<SelectableItem> load_catalog_yaml(const std::filesystem::path& path);

// Writes items as a catalog file (JSON indented by 2 with a final newline, or
// a YAML block sequence for .yaml/.yml) that load_catalog reads back equal.
// The file is replaced atomically; CatalogError when it cannot be written.
void save_catalog(const std::vector<SelectableItem>& items, const std::filesystem::path& path);

}  // namespace contextweaver
