#include "contextweaver/core/yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <sstream>
#include <vector>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {
namespace {

// PyYAML's implicit resolvers (YAML 1.1), hand-written (std::regex trips a
// GCC 12 -Wmaybe-uninitialized false positive under sanitizers).
bool is_bool_text(const std::string& s) {
  static const char* const kWords[] = {"yes",   "Yes",   "YES",   "no", "No", "NO", "true", "True", "TRUE",
                                       "false", "False", "FALSE", "on", "On", "ON", "off",  "Off",  "OFF"};
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* w) { return s == w; });
}

bool all_of_chars(std::string_view s, std::string_view allowed) {
  return std::all_of(s.begin(), s.end(), [&](char c) { return allowed.find(c) != std::string_view::npos; });
}

constexpr std::string_view kDigits_ = "0123456789_";

// [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
bool is_int_text(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  if (s.size() > 2 && s.substr(0, 2) == "0b") return all_of_chars(s.substr(2), "01_");
  if (s.size() > 2 && s.substr(0, 2) == "0x") return all_of_chars(s.substr(2), "0123456789abcdefABCDEF_");
  if (s[0] == '0') return s.size() == 1 || all_of_chars(s.substr(1), "01234567_");
  return s[0] >= '1' && s[0] <= '9' && all_of_chars(s.substr(1), kDigits_);
}

// ([eE][-+][0-9]+)? at the end of `s`.
bool exponent_ok(std::string_view s) {
  if (s.empty()) return true;
  if (s.size() < 3 || (s[0] != 'e' && s[0] != 'E') || (s[1] != '-' && s[1] != '+')) return false;
  return all_of_chars(s.substr(2), "0123456789");
}

// [-+]?[0-9][0-9_]*\.[0-9_]*(exp)? | \.[0-9_]+(exp)? | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
bool is_float_text(std::string_view s) {
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  std::string_view body = s;
  const bool signed_ = !body.empty() && (body[0] == '-' || body[0] == '+');
  if (signed_) body.remove_prefix(1);
  if (body == ".inf" || body == ".Inf" || body == ".INF") return true;
  const auto split_exp = [](std::string_view t) {
    const auto e = t.find_first_of("eE");
    return e == std::string_view::npos ? std::pair{t, std::string_view()} : std::pair{t.substr(0, e), t.substr(e)};
  };
  if (!body.empty() && body[0] == '.') {
    if (signed_) return false;
    const auto [mantissa, exp] = split_exp(body.substr(1));
    return !mantissa.empty() && all_of_chars(mantissa, kDigits_) && exponent_ok(exp);
  }
  const auto dot = body.find('.');
  if (dot == std::string_view::npos || dot == 0 || body[0] < '0' || body[0] > '9') return false;
  if (!all_of_chars(body.substr(0, dot), kDigits_)) return false;
  const auto [fraction, exp] = split_exp(body.substr(dot + 1));
  return all_of_chars(fraction, kDigits_) && exponent_ok(exp);
}

bool is_null_text(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::string strip_underscores(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

Json resolve_int(const std::string& text) {
  std::string s = strip_underscores(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.erase(0, 1);
  }
  int base = 10;
  if (s.rfind("0b", 0) == 0) {
    base = 2;
    s.erase(0, 2);
  } else if (s.rfind("0x", 0) == 0) {
    base = 16;
    s.erase(0, 2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
  }
  if (s.empty()) return Json(0);
  errno = 0;
  const unsigned long long magnitude = std::strtoull(s.c_str(), nullptr, base);
  if (errno == ERANGE || magnitude > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max())) {
    // Beyond 64 bits: a double, as core loads() does for JSON.
    const double d = std::strtod(s.c_str(), nullptr);
    return Json(negative ? -d : d);
  }
  const auto v = static_cast<std::int64_t>(magnitude);
  return Json(negative ? -v : v);
}

Json resolve_float(const std::string& text) {
  const std::string s = strip_underscores(text);
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.find(".inf") != std::string::npos) {
    return Json(lower[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity());
  }
  if (lower == ".nan") return Json(std::numeric_limits<double>::quiet_NaN());
  return Json(std::strtod(s.c_str(), nullptr));
}

// A plain scalar's value as PyYAML's safe_load types it.
Json resolve_plain(const std::string& s) {
  if (is_null_text(s)) return Json(nullptr);
  if (is_bool_text(s)) {
    const char c = s[0];
    return Json(c == 'y' || c == 'Y' || c == 't' || c == 'T' || s == "on" || s == "On" || s == "ON");
  }
  if (is_int_text(s)) return resolve_int(s);
  if (is_float_text(s)) return resolve_float(s);
  return Json(s);
}

// Aliases make the node graph a DAG, or a cycle ("&a [*a]"); a Json value is a
// tree, so each alias is copied. Converting is bounded like core loads()
// (docs/compat.md: 1,000 levels) and in size, so that a cycle or an alias bomb
// is a YamlSyntaxError, not a stack overflow or an exhausted memory.
constexpr int kMaxDepth = 1000;

class Converter {
 public:
  explicit Converter(std::size_t max_nodes) : nodes_left_(max_nodes) {}

  Json convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth) fail(node, "nesting deeper than 1000 levels, or a recursive alias");
    if (nodes_left_ == 0) fail(node, "aliases expand to too many nodes");
    --nodes_left_;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Json(nullptr);
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (const auto& child : node) out.push_back(convert(child, depth + 1));
        return out;
      }
      case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto& kv : node) {
          const Json key = convert(kv.first, depth + 1);
          std::string key_text = key.is_string() ? key.get<std::string>() : dumps(key);
          out[key_text] = convert(kv.second, depth + 1);
        }
        return out;
      }
      case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        const std::string& text = node.Scalar();
        if (tag == "!" || tag == "tag:yaml.org,2002:str") return Json(text);
        if (tag == "?" || tag.empty()) return resolve_plain(text);
        if (tag == "tag:yaml.org,2002:int") return resolve_int(text);
        if (tag == "tag:yaml.org,2002:float") return resolve_float(text);
        if (tag == "tag:yaml.org,2002:null") return Json(nullptr);
        if (tag == "tag:yaml.org,2002:bool") return resolve_plain(text);
        return Json(text);
      }
    }
    return Json(nullptr);
  }

 private:
  [[noreturn]] static void fail(const YAML::Node& node, const char* problem) {
    const YAML::Mark mark = node.Mark();
    std::ostringstream msg;
    msg << "line " << (mark.line + 1) << ", column " << (mark.column + 1) << ": " << problem;
    throw YamlSyntaxError(msg.str());
  }

  std::size_t nodes_left_;
};

// PyYAML's float representer: repr(), with ".0" inserted before an exponent
// that has no fraction, and .inf/.nan spelled the YAML way.
std::string float_text(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  std::string s = float_repr(d);
  if (s.find('.') == std::string::npos && s.find('e') != std::string::npos) s.replace(s.find('e'), 1, ".0e");
  return s;
}

void emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      std::vector<std::string> keys;
      for (auto it = value.begin(); it != value.end(); ++it) keys.push_back(it.key());
      std::sort(keys.begin(), keys.end());
      out << YAML::BeginMap;
      for (const auto& key : keys) {
        out << YAML::Key;
        emit(out, Json(key));
        out << YAML::Value;
        emit(out, value.at(key));
      }
      out << YAML::EndMap;
      return;
    }
    case Json::value_t::array: {
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& child : value) emit(out, child);
      out << YAML::EndSeq;
      return;
    }
    case Json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      // Quote whatever would load back as something other than this string.
      const Json back = resolve_plain(s);
      const bool plain_ok = back.is_string() && back.get_ref<const std::string&>() == s;
      if (!plain_ok) out << YAML::DoubleQuoted;
      out << s;
      return;
    }
    case Json::value_t::boolean:
      out << (value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      out << value.get<std::int64_t>();
      return;
    case Json::value_t::number_unsigned:
      out << value.get<std::uint64_t>();
      return;
    case Json::value_t::number_float:
      out << float_text(value.get<double>());
      return;
    default:
      out << YAML::Null;
      return;
  }
}

}  // namespace

Json parse_yaml(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    std::ostringstream msg;
    msg << "line " << (e.mark.line + 1) << ", column " << (e.mark.column + 1) << ": " << e.msg;
    throw YamlSyntaxError(msg.str());
  }
  // Without aliases a document has fewer nodes than bytes; aliases may add a
  // million more (a legitimate file reuses a few blocks, a bomb multiplies them).
  return Converter(text.size() + 1'000'000).convert(root, 0);
}

bool is_yaml_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".yaml" || ext == ".yml";
}

std::string dump_yaml(const Json& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, value);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace contextweaver
