// load_gateway_config / parse_gateway_config (gateway_config.hpp).
//
// Strict where a typo would silently change behaviour (fields of a server
// entry and of the "contextweaver" section), lenient at the top level so a
// desktop client's whole config file (which has other keys) can be pointed at.
#include "contextweaver/mcp/gateway_config.hpp"

#include <cmath>
#include <set>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/file_io.hpp"
#include "contextweaver/core/yaml.hpp"

namespace contextweaver {
namespace {

// Keys that desktop clients write into a server entry and that mean nothing
// to a stdio launcher; accepted and ignored so their files load unchanged.
const std::set<std::string> kIgnoredServerKeys = {"autoApprove", "alwaysAllow", "description", "disabledTools"};

std::string type_name(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "an array";
  return "an object";
}

[[noreturn]] void fail(const std::string& origin, const std::string& field, const std::string& problem) {
  throw ConfigError(origin + ": " + field + " " + problem);
}

std::string require_string(const Json& value, const std::string& origin, const std::string& field) {
  if (!value.is_string()) fail(origin, field, "must be a string, not " + type_name(value));
  return value.get<std::string>();
}

std::chrono::milliseconds parse_seconds(const Json& value, const std::string& origin, const std::string& field) {
  if (!value.is_number() || value.is_boolean())
    fail(origin, field, "must be a number of seconds, not " + type_name(value));
  const double seconds = value.get<double>();
  // An upper bound keeps the conversion to milliseconds far from overflow.
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > 1e6)
    fail(origin, field, "must be a number of seconds greater than 0 (and at most 1000000)");
  const auto ms = static_cast<long long>(std::llround(seconds * 1000.0));
  return std::chrono::milliseconds(ms < 1 ? 1 : ms);
}

std::int64_t parse_positive_int(const Json& value, const std::string& origin, const std::string& field) {
  if (!value.is_number_integer()) fail(origin, field, "must be an integer, not " + type_name(value));
  const std::int64_t n = value.get<std::int64_t>();
  if (n < 1) fail(origin, field, "must be at least 1");
  return n;
}

UpstreamServerConfig parse_server(const std::string& name, const Json& entry, const std::string& origin) {
  const std::string where = "mcpServers." + name;
  if (!entry.is_object()) fail(origin, where, "must be an object, not " + type_name(entry));
  UpstreamServerConfig server;
  server.name = name;
  if (!entry.contains("command")) {
    if (entry.contains("url")) fail(origin, where, "has a \"url\": only stdio servers (\"command\") are supported");
    fail(origin, where + ".command", "is required");
  }
  for (const auto& [key, value] : entry.items()) {
    const std::string field = where + "." + key;
    if (key == "command") {
      server.command = require_string(value, origin, field);
      if (server.command.empty()) fail(origin, field, "must not be empty");
    } else if (key == "args") {
      if (!value.is_array()) fail(origin, field, "must be an array of strings");
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
          fail(origin, field,
               "must be an array of strings (item " + std::to_string(i) + " is " + type_name(value[i]) + ")");
        server.args.push_back(value[i].get<std::string>());
      }
    } else if (key == "env") {
      if (!value.is_object()) fail(origin, field, "must be an object of strings");
      for (const auto& [var, text] : value.items()) {
        if (var.empty() || var.find('=') != std::string::npos)
          fail(origin, field + "." + var, "is not a valid variable name");
        server.env[var] = require_string(text, origin, field + "." + var);
      }
    } else if (key == "cwd") {
      server.cwd = require_string(value, origin, field);
      if (server.cwd->empty()) fail(origin, field, "must not be empty");
    } else if (key == "timeout") {
      server.call_timeout = parse_seconds(value, origin, field);
    } else if (key == "type") {
      if (!value.is_string() || value.get<std::string>() != "stdio")
        fail(origin, field, "must be \"stdio\" (the only transport supported)");
    } else if (kIgnoredServerKeys.count(key) == 0) {
      fail(origin, field, "is not a known field (command, args, env, cwd, timeout, type)");
    }
  }
  return server;
}

void parse_section(const Json& section, const std::string& origin, GatewayConfig& config) {
  if (!section.is_object()) fail(origin, "contextweaver", "must be an object, not " + type_name(section));
  for (const auto& [key, value] : section.items()) {
    const std::string field = "contextweaver." + key;
    if (key == "session") {
      config.session = require_string(value, origin, field);
      if (config.session->empty()) fail(origin, field, "must not be empty");
    } else if (key == "workspace") {
      config.workspace = require_string(value, origin, field);
      if (config.workspace->empty()) fail(origin, field, "must not be empty");
    } else if (key == "top_k") {
      config.top_k = parse_positive_int(value, origin, field);
    } else if (key == "firewall_threshold") {
      config.firewall_threshold = parse_positive_int(value, origin, field);
    } else {
      fail(origin, field, "is not a known field (session, workspace, top_k, firewall_threshold)");
    }
  }
}

}  // namespace

GatewayConfig parse_gateway_config(const Json& document, const std::string& origin) {
  if (!document.is_object())
    throw ConfigError(origin + ": the config must be an object with \"mcpServers\", not " + type_name(document));
  if (!document.contains("mcpServers")) throw ConfigError(origin + ": mcpServers is required");
  const Json& servers = document["mcpServers"];
  if (!servers.is_object()) fail(origin, "mcpServers", "must be an object of servers, not " + type_name(servers));
  if (servers.empty()) fail(origin, "mcpServers", "must name at least one server");
  GatewayConfig config;
  for (const auto& [name, entry] : servers.items()) {
    if (name.empty()) fail(origin, "mcpServers", "has a server with an empty name");
    config.servers.push_back(parse_server(name, entry, origin));
  }
  if (document.contains("contextweaver")) parse_section(document["contextweaver"], origin, config);
  return config;
}

GatewayConfig load_gateway_config(const std::string& path) {
  std::string text;
  if (const std::error_code error = read_file(path, text)) throw StorageError(path + ": " + os_error_text(error, path));
  Json document;
  if (is_yaml_path(path)) {
    try {
      document = parse_yaml(text);
    } catch (const YamlSyntaxError& syntax) {
      throw ConfigError(path + ": " + syntax.what());
    }
  } else {
    try {
      document = loads(text);
    } catch (const JsonDecodeError& syntax) {
      throw JsonDecodeError(path + ": " + syntax.what());
    }
  }
  return parse_gateway_config(document, path);
}

}  // namespace contextweaver
