// Catalog files: JSON and YAML loading with located errors, and saving.
#include <algorithm>
#include <array>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/routing/catalog.hpp"
#include "contextweaver/core/file_io.hpp"
#include "contextweaver/core/yaml.hpp"

namespace contextweaver {
namespace {

// " (id 'x', file 'p')" — the context appended to an item error.
std::string item_context(const Json& raw, std::string_view source) {
  std::vector<std::string> parts;
  if (raw.is_object()) {
    const auto it = raw.find("id");
    if (it != raw.end() && it->is_string()) parts.push_back("id " + py_repr(it->get<std::string>()));
  }
  if (!source.empty()) parts.push_back("file " + py_repr(source));
  if (parts.empty()) return "";
  std::string out = " (";
  for (std::size_t i = 0; i < parts.size(); ++i) out.append(i ? ", " : "").append(parts[i]);
  return out + ")";
}

std::string in_file(std::string_view source) {
  return source.empty() ? "" : " (file " + py_repr(source) + ")";
}

std::string read_catalog_text(const std::filesystem::path& path) {
  std::string text;
  if (const std::error_code error = read_file(path, text)) {
    throw CatalogError("Cannot read catalog file: " + os_error_text(error, path.string()));
  }
  if (!is_valid_utf8(text)) {
    throw CatalogError("Cannot read catalog file: '" + path.string() + "' is not valid UTF-8");
  }
  return text;
}

}  // namespace

std::vector<SelectableItem> load_catalog_dicts(const Json& data, std::string_view source) {
  if (!data.is_array()) {
    throw CatalogError("Catalog must be a list of item dicts, got " + std::string(py_type_name(data)) +
                       in_file(source));
  }
  static const std::array<const char*, 4> kRequired = {"description", "id", "kind", "name"};  // sorted
  std::vector<SelectableItem> items;
  items.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    const Json& raw = data[i];
    const std::string prefix = "Item at index " + std::to_string(i);
    if (!raw.is_object()) throw CatalogError(prefix + " is not a dict." + item_context(raw, source));
    std::string missing;
    for (const char* key : kRequired) {
      if (!raw.contains(key)) missing += (missing.empty() ? "'" : ", '") + std::string(key) + "'";
    }
    if (!missing.empty()) {
      throw CatalogError(prefix + " missing required fields: [" + missing + "]" + item_context(raw, source));
    }
    try {
      items.push_back(SelectableItem::from_dict(raw));
    } catch (const ContextWeaverError& e) {  // KeyError / TypeError / ValueError naming the field
      throw CatalogError(prefix + " has invalid data: " + e.what() + item_context(raw, source));
    }
  }
  return items;
}

std::vector<SelectableItem> parse_catalog_json(std::string_view text, std::string_view source) {
  Json data;
  try {
    data = loads(text);
  } catch (const JsonDecodeError& e) {
    throw CatalogError("Invalid JSON in catalog file: " + (source.empty() ? "" : std::string(source) + ": ") +
                       e.what());
  }
  if (!data.is_array()) throw CatalogError("Catalog JSON must be an array of item dicts." + in_file(source));
  return load_catalog_dicts(data, source);
}

std::vector<SelectableItem> parse_catalog_yaml(std::string_view text, std::string_view source) {
  Json data;
  try {
    data = parse_yaml(text);
  } catch (const YamlSyntaxError& e) {
    throw CatalogError("Invalid YAML in catalog file: " + (source.empty() ? "" : std::string(source) + ": ") +
                       e.what());
  }
  if (!data.is_array()) throw CatalogError("Catalog YAML must be a sequence of item mappings." + in_file(source));
  return load_catalog_dicts(data, source);
}

std::vector<SelectableItem> load_catalog_json(const std::filesystem::path& path) {
  return parse_catalog_json(read_catalog_text(path), path.string());
}

std::vector<SelectableItem> load_catalog_yaml(const std::filesystem::path& path) {
  return parse_catalog_yaml(read_catalog_text(path), path.string());
}

std::vector<SelectableItem> load_catalog(const std::filesystem::path& path) {
  return is_yaml_path(path) ? load_catalog_yaml(path) : load_catalog_json(path);
}

void save_catalog(const std::vector<SelectableItem>& items, const std::filesystem::path& path) {
  Json data = Json::array();
  for (const auto& item : items) data.push_back(item.to_dict());
  const std::string text = is_yaml_path(path) ? dump_yaml(data) : dumps(data, DumpOptions{false, 2, true}) + "\n";
  if (const std::error_code error = write_file_atomic(path, text)) {
    throw CatalogError("Cannot write catalog file: " + path.string() + ": " + error.message());
  }
}

}  // namespace contextweaver
