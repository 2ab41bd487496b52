// load_gateway_config / parse_gateway_config (gateway_config.hpp).
#include <gtest/gtest.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/mcp/gateway_config.hpp"
#include "support/test_support.hpp"

namespace cw = contextweaver;
using cw::Json;

namespace {

std::string config_error(const std::string& text, const std::string& origin = "gateway.json") {
  try {
    cw::parse_gateway_config(cw::loads(text), origin);
  } catch (const cw::ConfigError& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST(GatewayConfig, GoodJsonFile) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "gateway.json", R"({
    "mcpServers": {
      "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"],
                "env": {"DEBUG": "1"}, "cwd": "/tmp", "timeout": 12.5},
      "memory": {"command": "/usr/bin/node", "type": "stdio", "autoApprove": []}
    },
    "contextweaver": {"session": "gw", "workspace": ".cw", "top_k": 5, "firewall_threshold": 1500},
    "globalShortcut": "Ctrl+Space"
  })");
  const cw::GatewayConfig config = cw::load_gateway_config((dir / "gateway.json").string());
  ASSERT_EQ(config.servers.size(), 2u);
  const auto& files = config.servers[0];
  EXPECT_EQ(files.name, "files");
  EXPECT_EQ(files.command, "npx");
  EXPECT_EQ(files.args, (std::vector<std::string>{"-y", "@modelcontextprotocol/server-filesystem", "/tmp"}));
  EXPECT_EQ(files.env.at("DEBUG"), "1");
  EXPECT_EQ(files.cwd.value_or(""), "/tmp");
  EXPECT_EQ(files.call_timeout.count(), 12500);
  const auto& memory = config.servers[1];
  EXPECT_EQ(memory.name, "memory");
  EXPECT_TRUE(memory.args.empty());
  EXPECT_FALSE(memory.cwd.has_value());
  EXPECT_EQ(memory.call_timeout.count(), 30000);
  EXPECT_EQ(config.session.value_or(""), "gw");
  EXPECT_EQ(config.workspace.value_or(""), ".cw");
  EXPECT_EQ(config.top_k, 5);
  EXPECT_EQ(config.firewall_threshold, 1500);
}

TEST(GatewayConfig, GoodYamlFileAndDefaults) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "gateway.yaml",
                     "mcpServers:\n"
                     "  everything:\n"
                     "    command: npx\n"
                     "    args: [\"-y\", \"@modelcontextprotocol/server-everything\"]\n"
                     "    timeout: 5\n"
                     "    env:\n"
                     "      PORT: \"8080\"\n");
  const cw::GatewayConfig config = cw::load_gateway_config((dir / "gateway.yaml").string());
  ASSERT_EQ(config.servers.size(), 1u);
  EXPECT_EQ(config.servers[0].name, "everything");
  EXPECT_EQ(config.servers[0].args.size(), 2u);
  EXPECT_EQ(config.servers[0].call_timeout.count(), 5000);
  EXPECT_EQ(config.servers[0].env.at("PORT"), "8080");
  EXPECT_FALSE(config.session.has_value());
  EXPECT_FALSE(config.workspace.has_value());
  EXPECT_EQ(config.top_k, 10);
  EXPECT_EQ(config.firewall_threshold, 2000);
}

TEST(GatewayConfig, FileOrderIsKept) {
  const auto config = cw::parse_gateway_config(
      cw::loads(R"({"mcpServers": {"zeta": {"command": "a"}, "alpha": {"command": "b"}, "mid": {"command": "c"}}})"),
      "x.json");
  ASSERT_EQ(config.servers.size(), 3u);
  EXPECT_EQ(config.servers[0].name, "zeta");
  EXPECT_EQ(config.servers[1].name, "alpha");
  EXPECT_EQ(config.servers[2].name, "mid");
}

TEST(GatewayConfig, EachBadFieldIsNamed) {
  EXPECT_EQ(config_error("[]"), "gateway.json: the config must be an object with \"mcpServers\", not an array");
  EXPECT_EQ(config_error("{}"), "gateway.json: mcpServers is required");
  EXPECT_EQ(config_error(R"({"mcpServers": []})"),
            "gateway.json: mcpServers must be an object of servers, not an array");
  EXPECT_EQ(config_error(R"({"mcpServers": {}})"), "gateway.json: mcpServers must name at least one server");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": "npx"}})"),
            "gateway.json: mcpServers.files must be an object, not a string");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {}}})"), "gateway.json: mcpServers.files.command is required");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"url": "http://x"}}})"),
            "gateway.json: mcpServers.files has a \"url\": only stdio servers (\"command\") are supported");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": 3}}})"),
            "gateway.json: mcpServers.files.command must be a string, not a number");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": ""}}})"),
            "gateway.json: mcpServers.files.command must not be empty");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "args": "-y"}}})"),
            "gateway.json: mcpServers.files.args must be an array of strings");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "args": ["-y", 2]}}})"),
            "gateway.json: mcpServers.files.args must be an array of strings (item 1 is a number)");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "env": ["A=1"]}}})"),
            "gateway.json: mcpServers.files.env must be an object of strings");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "env": {"A": 1}}}})"),
            "gateway.json: mcpServers.files.env.A must be a string, not a number");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "env": {"A=B": "1"}}}})"),
            "gateway.json: mcpServers.files.env.A=B is not a valid variable name");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "cwd": false}}})"),
            "gateway.json: mcpServers.files.cwd must be a string, not a boolean");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "timeout": "30"}}})"),
            "gateway.json: mcpServers.files.timeout must be a number of seconds, not a string");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "timeout": 0}}})"),
            "gateway.json: mcpServers.files.timeout must be a number of seconds greater than 0 (and at most 1000000)");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "timeout": -2.5}}})"),
            "gateway.json: mcpServers.files.timeout must be a number of seconds greater than 0 (and at most 1000000)");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "type": "sse"}}})"),
            "gateway.json: mcpServers.files.type must be \"stdio\" (the only transport supported)");
  EXPECT_EQ(config_error(R"({"mcpServers": {"files": {"command": "npx", "arg": []}}})"),
            "gateway.json: mcpServers.files.arg is not a known field (command, args, env, cwd, timeout, type)");
  const std::string ok = R"("mcpServers": {"f": {"command": "x"}})";
  EXPECT_EQ(config_error("{" + ok + R"(, "contextweaver": []})"),
            "gateway.json: contextweaver must be an object, not an array");
  EXPECT_EQ(config_error("{" + ok + R"(, "contextweaver": {"top_k": "5"}})"),
            "gateway.json: contextweaver.top_k must be an integer, not a string");
  EXPECT_EQ(config_error("{" + ok + R"(, "contextweaver": {"top_k": 0}})"),
            "gateway.json: contextweaver.top_k must be at least 1");
  EXPECT_EQ(config_error("{" + ok + R"(, "contextweaver": {"firewall_threshold": 2.5}})"),
            "gateway.json: contextweaver.firewall_threshold must be an integer, not a number");
  EXPECT_EQ(config_error("{" + ok + R"(, "contextweaver": {"session": 1}})"),
            "gateway.json: contextweaver.session must be a string, not a number");
  EXPECT_EQ(config_error("{" + ok + R"(, "contextweaver": {"workspace": ""}})"),
            "gateway.json: contextweaver.workspace must not be empty");
  EXPECT_EQ(config_error("{" + ok + R"(, "contextweaver": {"topk": 3}})"),
            "gateway.json: contextweaver.topk is not a known field (session, workspace, top_k, firewall_threshold)");
}

TEST(GatewayConfig, SyntaxAndFileErrors) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "bad.json", "{\"mcpServers\": ");
  try {
    cw::load_gateway_config((dir / "bad.json").string());
    FAIL() << "expected JsonDecodeError";
  } catch (const cw::JsonDecodeError& error) {
    EXPECT_EQ(std::string(error.what()), (dir / "bad.json").string() + ": Expecting value: line 1 column 16 (char 15)");
  }
  cwtest::write_file(dir / "bad.yml", "mcpServers:\n  files: [unclosed\n");
  try {
    cw::load_gateway_config((dir / "bad.yml").string());
    FAIL() << "expected ConfigError";
  } catch (const cw::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find((dir / "bad.yml").string() + ": line "), std::string::npos)
        << error.what();
  }
  cwtest::write_file(dir / "shape.yaml", "mcpServers:\n  files:\n    command: [npx]\n");
  try {
    cw::load_gateway_config((dir / "shape.yaml").string());
    FAIL() << "expected ConfigError";
  } catch (const cw::ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              (dir / "shape.yaml").string() + ": mcpServers.files.command must be a string, not an array");
  }
  EXPECT_THROW(cw::load_gateway_config((dir / "missing.json").string()), cw::StorageError);
}
