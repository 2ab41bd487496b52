#include "contextweaver/routing/tool_id.hpp"

#include <algorithm>
#include <vector>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/sha256.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

bool lower_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool namespace_ok(std::string_view s) {
  if (s.empty() || s.size() > 64 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return lower_or_digit(c) || c == '_' || c == '-'; });
}
bool name_ok(std::string_view s) {
  if (s.empty() || s.size() > 128 || !(alpha(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [](char c) { return alpha(c) || digit(c) || c == '_' || c == '.' || c == '-'; });
}
bool version_ok(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return alpha(c) || digit(c) || c == '.' || c == '_' || c == '-'; });
}
bool hash8_ok(std::string_view s) {
  return s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) { return digit(c) || (c >= 'a' && c <= 'f'); });
}

std::string json_string_list(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out.append(i ? "," : "").append(dumps(Json(values[i])));
  return out + "]";
}

}  // namespace

std::string format_tool_id(const ToolIdParts& parts) {
  if (!namespace_ok(parts.namespace_)) {
    throw CatalogError("tool_id namespace not matching grammar: " + py_repr(parts.namespace_));
  }
  if (!name_ok(parts.name)) throw CatalogError("tool_id name not matching grammar: " + py_repr(parts.name));
  if (parts.version && !version_ok(*parts.version)) {
    throw CatalogError("tool_id version not matching grammar: " + py_repr(*parts.version));
  }
  if (parts.hash8 && !hash8_ok(*parts.hash8)) {
    throw CatalogError("tool_id hash8 not matching grammar: " + py_repr(*parts.hash8));
  }
  if (!parts.version && !parts.hash8) throw CatalogError("tool_id requires hash8 when version is absent (\u00a71.2)");
  std::string out = parts.namespace_ + ":" + parts.name;
  if (parts.version) out += "@" + *parts.version;
  if (parts.hash8) out += "#" + *parts.hash8;
  if (out.size() > 240) throw CatalogError("tool_id exceeds 240-char limit: " + std::to_string(out.size()) + " chars");
  return out;
}

ToolIdParts parse_tool_id(std::string_view id) {
  const std::size_t length = code_point_count(id);
  if (length > 240) throw CatalogError("tool_id exceeds 240-char limit: " + std::to_string(length) + " chars");
  const std::size_t colon = id.find(':');
  if (colon == std::string_view::npos) {
    throw CatalogError("tool_id missing namespace separator ':' in " + py_repr(id));
  }
  ToolIdParts parts;
  parts.namespace_ = std::string(id.substr(0, colon));
  std::string rest(id.substr(colon + 1));
  if (const auto hash = rest.rfind('#'); hash != std::string::npos) {
    parts.hash8 = rest.substr(hash + 1);
    rest.resize(hash);
  }
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    parts.version = rest.substr(at + 1);
    rest.resize(at);
  }
  parts.name = rest;
  format_tool_id(parts);
  return parts;
}

std::string compute_hash8(std::string_view upstream_name, const Json& input_schema) {
  std::vector<std::string> properties, required;
  if (input_schema.is_object()) {
    if (const auto it = input_schema.find("properties"); it != input_schema.end() && !it->is_null()) {
      if (!it->is_object()) throw CatalogError("input_schema 'properties' must be an object");
      for (auto p = it->begin(); p != it->end(); ++p) properties.push_back(p.key());
    }
    if (const auto it = input_schema.find("required"); it != input_schema.end() && !it->is_null()) {
      if (!it->is_array()) throw CatalogError("input_schema 'required' must be a list of strings");
      for (const auto& r : *it) {
        if (!r.is_string()) throw CatalogError("input_schema 'required' must be a list of strings");
        required.push_back(r.get<std::string>());
      }
    }
  } else if (!input_schema.is_null()) {
    throw CatalogError("input_schema must be an object or null");
  }
  const std::string shape =
      "{\"properties\":" + json_string_list(properties) + ",\"required\":" + json_string_list(required) + "}";
  return sha256_hex(std::string(upstream_name) + "\n" + shape).substr(0, 8);
}

std::string canonical_tool_id(const std::string& namespace_, const std::string& name, std::string_view upstream_name,
                              const Json& input_schema, const std::optional<std::string>& version) {
  ToolIdParts parts{namespace_, name, version, std::nullopt};
  if (!version) parts.hash8 = compute_hash8(upstream_name, input_schema);
  return format_tool_id(parts);
}

}  // namespace contextweaver
