#include "tokens/tokens_test_support.hpp"

#include "contextweaver/core/json.hpp"
#include "support/test_support.hpp"

#include <cstdio>
#include <cstdlib>

namespace cwtest {

std::filesystem::path repo_root() {
  return std::filesystem::path(CW_SOURCE_DIR);
}

std::optional<std::filesystem::path> tiktoken_npm_dir() {
  std::error_code ec;
  if (const char* env = std::getenv("CONTEXTWEAVER_TIKTOKEN_NPM_DIR"); env && *env) {
    if (std::filesystem::is_regular_file(std::filesystem::path(env) / "tiktoken_bg.wasm", ec)) return env;
    return std::nullopt;
  }
  const auto dir = repo_root() / ".deps" / "tiktoken" / "package";
  if (std::filesystem::is_regular_file(dir / "tiktoken_bg.wasm", ec)) return dir;
  return std::nullopt;
}

std::shared_ptr<const contextweaver::BpeEncoding> real_encoding(const std::string& name) {
  std::optional<std::filesystem::path> fallback;
  if (const auto npm = tiktoken_npm_dir()) fallback = *npm / "encoders";
  if (auto path = contextweaver::BpeEncoding::find_table(name))
    return contextweaver::BpeEncoding::load_file(*path, name);
  if (fallback) {
    if (auto path = contextweaver::BpeEncoding::find_table(name, fallback))
      return contextweaver::BpeEncoding::load_file(*path, name);
  }
  return nullptr;
}

bool node_available() {
  return std::system("node --version >/dev/null 2>&1") == 0;
}

std::optional<std::vector<std::vector<contextweaver::TokenId>>> run_oracle(const std::string& encoding,
                                                                           const std::string& mode,
                                                                           const std::vector<std::string>& texts,
                                                                           std::string& error) {
  const auto npm = tiktoken_npm_dir();
  if (!npm) {
    error = "tiktoken npm package absent";
    return std::nullopt;
  }
  TempDir tmp;
  contextweaver::Json in = contextweaver::Json::array();
  for (const auto& t : texts) in.push_back(t);
  write_file(tmp / "in.json", in.dump());
  const auto script = repo_root() / "tests" / "tokens" / "oracle" / "oracle.cjs";
  const std::string cmd = "node '" + script.string() + "' '" + npm->string() + "' " + encoding + " " + mode + " '" +
                          (tmp / "in.json").string() + "' '" + (tmp / "out.json").string() + "'";
  if (std::system(cmd.c_str()) != 0) {
    error = "oracle command failed: " + cmd;
    return std::nullopt;
  }
  const auto out = contextweaver::Json::parse(read_file(tmp / "out.json"));
  std::vector<std::vector<contextweaver::TokenId>> result;
  for (const auto& ids : out) result.push_back(ids.get<std::vector<contextweaver::TokenId>>());
  if (result.size() != texts.size()) {
    error = "oracle returned " + std::to_string(result.size()) + " results for " + std::to_string(texts.size());
    return std::nullopt;
  }
  return result;
}

std::string escaped(const std::string& text) {
  contextweaver::DumpOptions options;
  options.ensure_ascii = true;
  const std::string s = contextweaver::dumps(contextweaver::Json(text), options);
  return s.size() > 300 ? s.substr(0, 300) + "…(" + std::to_string(text.size()) + " bytes)" : s;
}

}  // namespace cwtest
