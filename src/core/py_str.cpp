#include "contextweaver/core/py_str.hpp"

#include <cstdint>

#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

std::string py_str(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "None";
    case Json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case Json::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case Json::value_t::number_float:
      return float_repr(value.get<double>());
    case Json::value_t::string:
      return value.get<std::string>();
    default:
      return py_repr_json(value);  // containers print their repr
  }
}

std::string py_repr_json(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return py_repr(value.get_ref<const std::string&>());
    case Json::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& v : value) {
        if (!first) out += ", ";
        first = false;
        out += py_repr_json(v);
      }
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : value.items()) {
        if (!first) out += ", ";
        first = false;
        out += py_repr(k) + ": " + py_repr_json(v);
      }
      return out + "}";
    }
    case Json::value_t::null:
    case Json::value_t::boolean:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return py_str(value);  // a scalar's repr is its str
    default: {
      // Binary or discarded values never come from loads(); named, as the
      // drill-down names a type it cannot show. Appended piecewise: GCC 12's
      // -Wrestrict misfires on "<" + std::string(...) at -O3.
      std::string out = "<";
      out.append(py_type_name(value));
      out.push_back('>');
      return out;
    }
  }
}

}  // namespace contextweaver
