// Python's conversions of JSON values, as the reference's from_dict applies them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

// int(value): ints, bools, floats (truncated toward zero) and numeric strings
// ("12", " -3 ", "1_000"); another string -> ValueError; null, array, object ->
// TypeError. `field` names the value in the message.
std::int64_t py_int(const Json& value, std::string_view field);

// float(value): numbers, bools and numeric strings ("1.5", "nan", "inf").
double py_float(const Json& value, std::string_view field);

// round(x, ndigits): the correctly rounded decimal of the exact binary value
// (ties to even, as glibc's printf rounds), read back; inf and nan unchanged.
double py_round(double x, int ndigits);

// bool(value): Python truthiness (empty string/array/object, 0, null are false).
bool py_truthy(const Json& value);

// The member `key` of `data`, or KeyError "'key'" when absent. TypeError when
// `data` is not an object.
const Json& require_key(const Json& data, std::string_view key);

// A string member (TypeError naming the field when it is not a string).
std::string as_string(const Json& value, std::string_view field);

// A list of strings (TypeError unless an array of strings).
std::vector<std::string> as_string_list(const Json& value, std::string_view field);

// An object (TypeError unless a JSON object).
Json as_object(const Json& value, std::string_view field);

// type(v).__name__ for a JSON value: str int float bool NoneType list dict.
std::string_view py_type_name(const Json& value);

}  // namespace contextweaver
