#include "contextweaver/core/pyconv.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

// Python numeric literal text: optional sign, digits with single underscores
// between them, surrounding whitespace ignored.
std::optional<std::string> normalise_int_text(std::string_view text) {
  text = py_strip(text);
  std::string digits;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) digits += text[i++];
  bool previous_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      previous_digit = true;
    } else if (c == '_' && previous_digit && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
      previous_digit = false;
    } else {
      return std::nullopt;
    }
  }
  if (!previous_digit) return std::nullopt;
  return digits;
}

}  // namespace

std::int64_t py_int(const Json& value, std::string_view field) {
  switch (value.type()) {
    case Json::value_t::boolean:
      return value.get<bool>() ? 1 : 0;
    case Json::value_t::number_integer:
      return value.get<std::int64_t>();
    case Json::value_t::number_unsigned: {
      const auto u = value.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) throw ValueError(std::string(field) + ": integer out of range");
      return static_cast<std::int64_t>(u);
    }
    case Json::value_t::number_float: {
      const double d = value.get<double>();
      if (!std::isfinite(d))
        throw ValueError(std::string(field) + ": cannot convert float " + float_repr(d) + " to integer");
      const double t = std::trunc(d);
      if (t >= 9.2233720368547758e18 || t < -9.2233720368547758e18) {
        throw ValueError(std::string(field) + ": integer out of range");
      }
      return static_cast<std::int64_t>(t);
    }
    case Json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      if (auto digits = normalise_int_text(s)) {
        std::int64_t out = 0;
        const char* begin = digits->data() + (digits->front() == '+' ? 1 : 0);
        const auto r = std::from_chars(begin, digits->data() + digits->size(), out);
        if (r.ec == std::errc()) return out;
        throw ValueError(std::string(field) + ": integer out of range: " + py_repr(s));
      }
      throw ValueError(std::string(field) + ": invalid literal for int() with base 10: " + py_repr(s));
    }
    default:
      throw TypeError(std::string(field) + ": int() argument must be a string or a number, not '" +
                      std::string(py_type_name(value)) + "'");
  }
}

double py_float(const Json& value, std::string_view field) {
  switch (value.type()) {
    case Json::value_t::boolean:
      return value.get<bool>() ? 1.0 : 0.0;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return value.get<double>();
    case Json::value_t::string: {
      std::string text(py_strip(value.get_ref<const std::string&>()));
      std::string cleaned;
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '_') cleaned += text[i];
      }
      char* end = nullptr;
      const double d = std::strtod(cleaned.c_str(), &end);
      const bool hex = cleaned.find_first_of("xX") != std::string::npos;
      if (!cleaned.empty() && end == cleaned.c_str() + cleaned.size() && !hex) return d;
      throw ValueError(std::string(field) +
                       ": could not convert string to float: " + py_repr(value.get<std::string>()));
    }
    default:
      throw TypeError(std::string(field) + ": float() argument must be a string or a real number, not '" +
                      std::string(py_type_name(value)) + "'");
  }
}

double py_round(double x, int ndigits) {
  if (!std::isfinite(x)) return x;
  char buf[400];  // room for every finite double in %f
  std::snprintf(buf, sizeof buf, "%.*f", ndigits, x);
  return std::strtod(buf, nullptr);
}

bool py_truthy(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return false;
    case Json::value_t::boolean:
      return value.get<bool>();
    case Json::value_t::number_integer:
      return value.get<std::int64_t>() != 0;
    case Json::value_t::number_unsigned:
      return value.get<std::uint64_t>() != 0;
    case Json::value_t::number_float:
      return value.get<double>() != 0.0;
    case Json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object:
      return !value.empty();
    default:
      return false;
  }
}

const Json& require_key(const Json& data, std::string_view key) {
  if (!data.is_object()) {
    throw TypeError("expected a JSON object, got '" + std::string(py_type_name(data)) + "'");
  }
  const auto it = data.find(std::string(key));
  if (it == data.end()) throw KeyError(py_repr(key));
  return *it;
}

std::string as_string(const Json& value, std::string_view field) {
  if (!value.is_string()) {
    throw TypeError(std::string(field) + " must be a string, not '" + std::string(py_type_name(value)) + "'");
  }
  return value.get<std::string>();
}

std::vector<std::string> as_string_list(const Json& value, std::string_view field) {
  if (!value.is_array()) {
    throw TypeError(std::string(field) + " must be a list, not '" + std::string(py_type_name(value)) + "'");
  }
  std::vector<std::string> out;
  out.reserve(value.size());
  for (const auto& element : value) out.push_back(as_string(element, field));
  return out;
}

Json as_object(const Json& value, std::string_view field) {
  if (!value.is_object()) {
    throw TypeError(std::string(field) + " must be a dict, not '" + std::string(py_type_name(value)) + "'");
  }
  return value;
}

std::string_view py_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "NoneType";
    case Json::value_t::boolean:
      return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "int";
    case Json::value_t::number_float:
      return "float";
    case Json::value_t::string:
      return "str";
    case Json::value_t::array:
      return "list";
    case Json::value_t::object:
      return "dict";
    default:
      return "object";
  }
}

}  // namespace contextweaver
