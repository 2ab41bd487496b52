#include "cli/schema_check.hpp"

#include <cmath>
#include <set>

#include "contextweaver/core/unicode.hpp"

using contextweaver::Json;

namespace cwtest {

namespace {

// Keywords with no effect on validity here.
const std::set<std::string> kAnnotations = {"$schema", "$id", "title", "description", "$defs", "default", "examples"};

bool has_type(const Json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "integer") {
    if (value.is_number_integer()) return true;
    return value.is_number_float() && std::floor(value.get<double>()) == value.get<double>();
  }
  if (type == "number") return value.is_number();
  return false;
}

class Checker {
 public:
  explicit Checker(const Json& root) : root_(root) {}

  void check(const Json& schema, const Json& value, const std::string& where) {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) fail(where, "no value is allowed here");
      return;
    }
    if (!schema.is_object()) return fail(where, "schema is not an object");
    for (const auto& [keyword, argument] : schema.items()) {
      if (kAnnotations.count(keyword) != 0) continue;
      if (keyword == "$ref") {
        check(resolve(argument.get<std::string>(), where), value, where);
      } else if (keyword == "type") {
        check_type(argument, value, where);
      } else if (keyword == "properties") {
        if (!value.is_object()) continue;
        for (const auto& [name, sub] : argument.items()) {
          if (value.contains(name)) check(sub, value.at(name), where + "/" + name);
        }
      } else if (keyword == "required") {
        if (!value.is_object()) continue;
        for (const auto& name : argument) {
          if (!value.contains(name.get<std::string>())) fail(where, "missing required key " + name.dump());
        }
      } else if (keyword == "additionalProperties") {
        if (!value.is_object()) continue;
        const Json& known = schema.contains("properties") ? schema.at("properties") : Json::object();
        for (const auto& [name, sub] : value.items()) {
          if (!known.contains(name)) check(argument, sub, where + "/" + name);
        }
      } else if (keyword == "items") {
        if (!value.is_array()) continue;
        for (std::size_t i = 0; i < value.size(); ++i) check(argument, value[i], where + "/" + std::to_string(i));
      } else if (keyword == "anyOf") {
        bool matched = false;
        for (const auto& option : argument) {
          Checker trial(root_);
          trial.check(option, value, where);
          if (trial.errors_.empty()) matched = true;
        }
        if (!matched) fail(where, "matches none of anyOf");
      } else if (keyword == "enum") {
        bool found = false;
        for (const auto& option : argument) found = found || option == value;
        if (!found) fail(where, value.dump() + " is not one of " + argument.dump());
      } else if (keyword == "const") {
        if (argument != value) fail(where, value.dump() + " is not " + argument.dump());
      } else if (keyword == "maxLength") {
        if (value.is_string() &&
            contextweaver::code_point_count(value.get_ref<const std::string&>()) > argument.get<std::size_t>()) {
          fail(where, "longer than " + argument.dump());
        }
      } else if (keyword == "maxItems") {
        if (value.is_array() && value.size() > argument.get<std::size_t>())
          fail(where, "more items than " + argument.dump());
      } else if (keyword == "minimum") {
        if (value.is_number() && value.get<double>() < argument.get<double>()) fail(where, "below " + argument.dump());
      } else {
        fail(where, "unsupported schema keyword '" + keyword + "'");
      }
    }
  }

  std::vector<std::string> errors_;

 private:
  void check_type(const Json& argument, const Json& value, const std::string& where) {
    if (argument.is_string()) {
      if (!has_type(value, argument.get<std::string>()))
        fail(where, value.dump() + " is not of type " + argument.dump());
      return;
    }
    for (const auto& type : argument) {
      if (has_type(value, type.get<std::string>())) return;
    }
    fail(where, value.dump() + " is not of any type " + argument.dump());
  }

  const Json& resolve(const std::string& ref, const std::string& where) {
    static const Json kNothing = false;
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0 || !root_.contains("$defs") || !root_["$defs"].contains(ref.substr(prefix.size()))) {
      fail(where, "unresolvable $ref " + ref);
      return kNothing;
    }
    return root_["$defs"][ref.substr(prefix.size())];
  }

  void fail(const std::string& where, const std::string& reason) {
    errors_.push_back((where.empty() ? "/" : where) + ": " + reason);
  }

  const Json& root_;
};

}  // namespace

std::vector<std::string> schema_violations(const Json& schema, const Json& value) {
  Checker checker(schema);
  checker.check(schema, value, "");
  return checker.errors_;
}

}  // namespace cwtest
