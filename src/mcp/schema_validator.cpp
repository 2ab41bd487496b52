// RapidJSON asserts become exceptions here, so a schema RapidJSON cannot
// handle is reported, not a crash. No other translation unit of the project
// includes RapidJSON, so its templates see this one definition only.
#include <cctype>

#include "contextweaver/core/errors.hpp"

namespace contextweaver::schema_detail {
// Caught below and reported as a ValueError or a violation; never escapes.
struct RapidJsonAssertion : InternalError {
  using InternalError::InternalError;
};
}  // namespace contextweaver::schema_detail

#define RAPIDJSON_ASSERT(x)                                                                         \
  do {                                                                                              \
    if (!(x)) throw ::contextweaver::schema_detail::RapidJsonAssertion("RapidJSON assertion: " #x); \
  } while (0)
#define RAPIDJSON_HAS_STDSTRING 1

#include "contextweaver/mcp/schema_validator.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/py_str.hpp"

namespace contextweaver {

namespace {

enum class Constant { none, accept_all, reject_all };

// nlohmann -> RapidJSON through standard JSON text (NaN/Infinity become null).
rapidjson::Document to_rapidjson(const Json& value) {
  rapidjson::Document doc;
  const std::string text = value.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError()) {
    throw ValueError(std::string("cannot convert JSON for validation: ") +
                     rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return doc;
}

// RapidJSON reads "$ref": "#/…" as a URI fragment and ignores it when a
// character such as '$' ("#/$defs/x", the 2020-12 spelling) is not
// percent-encoded; encode those so such references resolve.
void encode_ref_fragments(Json& schema) {
  if (schema.is_object()) {
    for (auto& [key, value] : schema.items()) {
      if (key == "$ref" && value.is_string()) {
        const std::string ref = value.get<std::string>();
        if (ref.empty() || ref[0] != '#') continue;
        std::string encoded = "#";
        for (std::size_t i = 1; i < ref.size(); ++i) {
          const unsigned char c = static_cast<unsigned char>(ref[i]);
          const bool plain =
              std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '%';
          if (plain) {
            encoded.push_back(static_cast<char>(c));
          } else {
            static const char* hex = "0123456789ABCDEF";
            encoded += {'%', hex[c >> 4], hex[c & 15]};
          }
        }
        value = encoded;
      } else {
        encode_ref_fragments(value);
      }
    }
  } else if (schema.is_array()) {
    for (auto& value : schema) encode_ref_fragments(value);
  }
}

std::string pointer_text(const rapidjson::Pointer& pointer) {
  rapidjson::StringBuffer buffer;
  pointer.StringifyUriFragment(buffer);
  return buffer.GetString();
}

std::string type_name(const Json& value) {
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer() || value.is_number_unsigned()) return "integer";
  if (value.is_number()) return "number";
  if (value.is_array()) return "array";
  if (value.is_object()) return "object";
  return "null";
}

// A message in the spirit of Python jsonschema's for the common keywords.
std::string describe(const std::string& keyword, const Json& instance, const Json* schema, const std::string& where) {
  const Json* rule =
      schema != nullptr && schema->is_object() && schema->contains(keyword) ? &(*schema)[keyword] : nullptr;
  if (keyword == "required" && rule != nullptr && rule->is_array() && instance.is_object()) {
    for (const auto& name : *rule) {
      if (name.is_string() && !instance.contains(name.get<std::string>())) {
        return py_repr_json(name) + " is a required property" + where;
      }
    }
  }
  if (keyword == "type" && rule != nullptr) {
    return py_repr_json(instance) + " is not of type " + py_repr_json(*rule) + where;
  }
  if (keyword == "additionalProperties" && instance.is_object() && schema != nullptr) {
    const Json* props = schema->contains("properties") ? &(*schema)["properties"] : nullptr;
    for (const auto& [key, value] : instance.items()) {
      if (props == nullptr || !props->is_object() || !props->contains(key)) {
        return "Additional properties are not allowed (" + py_repr_json(Json(key)) + " was unexpected)" + where;
      }
    }
  }
  if (keyword == "enum" && rule != nullptr)
    return py_repr_json(instance) + " is not one of " + py_repr_json(*rule) + where;
  std::string shown = py_repr_json(instance);
  if (shown.size() > 80) shown = type_name(instance) + " value";
  return shown + " does not satisfy '" + keyword + "'" + (rule != nullptr ? " " + py_repr_json(*rule) : "") + where;
}

}  // namespace

struct JsonSchemaValidator::Impl {
  Constant constant = Constant::none;
  Json schema;  // kept to phrase messages
  rapidjson::Document schema_doc;
  std::unique_ptr<rapidjson::SchemaDocument> compiled;
};

JsonSchemaValidator::JsonSchemaValidator(const Json& schema) : impl_(std::make_unique<Impl>()) {
  impl_->schema = schema;
  if (schema.is_null() || (schema.is_object() && schema.empty()) || (schema.is_boolean() && schema.get<bool>())) {
    impl_->constant = Constant::accept_all;
    return;
  }
  if (schema.is_boolean()) {
    impl_->constant = Constant::reject_all;
    return;
  }
  if (!schema.is_object()) throw ValueError("invalid JSON Schema: expected an object, got " + type_name(schema));
  try {
    Json prepared = schema;
    encode_ref_fragments(prepared);
    impl_->schema_doc = to_rapidjson(prepared);
    impl_->compiled = std::make_unique<rapidjson::SchemaDocument>(impl_->schema_doc);
  } catch (const schema_detail::RapidJsonAssertion& e) {
    throw ValueError(std::string("invalid JSON Schema: ") + e.what());
  }
}

JsonSchemaValidator::~JsonSchemaValidator() = default;

std::optional<SchemaViolation> JsonSchemaValidator::validate(const Json& instance) const {
  if (impl_->constant == Constant::accept_all) return std::nullopt;
  if (impl_->constant == Constant::reject_all) {
    return SchemaViolation{"False schema does not allow " + py_repr_json(instance), "false", Json::array(), "#"};
  }
  const rapidjson::Document doc = to_rapidjson(instance);
  rapidjson::SchemaValidator validator(*impl_->compiled);
  bool ok = false;
  try {
    ok = doc.Accept(validator);
  } catch (const schema_detail::RapidJsonAssertion& e) {
    return SchemaViolation{std::string("schema could not be applied: ") + e.what(), "", Json::array(), "#"};
  }
  if (ok || validator.IsValid()) return std::nullopt;

  SchemaViolation violation;
  violation.keyword = validator.GetInvalidSchemaKeyword();
  violation.schema_path = pointer_text(validator.GetInvalidSchemaPointer());
  // Instance path segments; an index under an array is an integer (as jsonschema's error.path).
  const rapidjson::Pointer& at = validator.GetInvalidDocumentPointer();
  const Json* node = &instance;
  std::string where_path;
  for (std::size_t i = 0; i < at.GetTokenCount(); ++i) {
    const auto& token = at.GetTokens()[i];
    const std::string name(token.name, token.length);
    where_path += "/" + name;
    if (node != nullptr && node->is_array() && token.index != rapidjson::kPointerInvalidIndex) {
      violation.instance_path.push_back(token.index);
      node = token.index < node->size() ? &(*node)[token.index] : nullptr;
    } else {
      violation.instance_path.push_back(name);
      node = node != nullptr && node->is_object() && node->contains(name) ? &(*node)[name] : nullptr;
    }
  }
  // The failing schema, to phrase the message.
  const Json* schema_node = nullptr;
  {
    // Walk the fragment pointer ("#/a/b", percent-encoding as RapidJSON writes it).
    rapidjson::Pointer sp(violation.schema_path.c_str(), violation.schema_path.size());
    const Json* s = &impl_->schema;
    if (sp.IsValid()) {
      for (std::size_t i = 0; i < sp.GetTokenCount() && s != nullptr; ++i) {
        const auto& token = sp.GetTokens()[i];
        const std::string name(token.name, token.length);
        if (s->is_array() && token.index != rapidjson::kPointerInvalidIndex && token.index < s->size()) {
          s = &(*s)[token.index];
        } else if (s->is_object() && s->contains(name)) {
          s = &(*s)[name];
        } else {
          s = nullptr;
        }
      }
      schema_node = s;
    }
  }
  if (violation.keyword == "additionalProperties" && !violation.instance_path.empty() &&
      violation.instance_path.back().is_string()) {
    // RapidJSON points at the unexpected member; jsonschema (and the agent)
    // point at the object that has it.
    const std::string member = violation.instance_path.back().get<std::string>();
    violation.instance_path.erase(violation.instance_path.size() - 1);
    where_path.resize(where_path.size() - member.size() - 1);
    violation.message = "Additional properties are not allowed (" + py_repr_json(Json(member)) +
                        " was unexpected) (at instance path " + (where_path.empty() ? std::string("/") : where_path) +
                        ")";
    return violation;
  }
  const std::string where = " (at instance path " + (where_path.empty() ? std::string("/") : where_path) + ")";
  violation.message = describe(violation.keyword, node != nullptr ? *node : Json(), schema_node, where);
  return violation;
}

}  // namespace contextweaver
