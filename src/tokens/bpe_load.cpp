// BpeEncoding (bpe.hpp), loading encoder tables: parsing the npm tiktoken JSON format, locating the
// file, and caching loaded encodings per process.
#include "contextweaver/core/base64.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/tokens/bpe.hpp"
#include "rank_table.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace contextweaver {
namespace {

// bpe_ranks: lines "<first token, ignored> <offset> <base64> <base64> …";
// the k-th base64 token of a line has rank offset + k.
void parse_bpe_ranks(std::string_view text, tokens_detail::RankTable& table, const std::string& name) {
  std::string bytes;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    const auto fail = [&](const std::string& what) {
      throw ValueError(name + ": bpe_ranks line " + std::to_string(line_no) + ": " + what);
    };
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) fail("expected '<token> <offset> <tokens…>'");
    line.remove_prefix(sp1 + 1);
    const std::size_t sp2 = line.find(' ');
    const std::string_view offset_text = line.substr(0, sp2);
    std::uint64_t offset = 0;
    const auto [ptr, ec] = std::from_chars(offset_text.data(), offset_text.data() + offset_text.size(), offset);
    if (ec != std::errc{} || ptr != offset_text.data() + offset_text.size() || offset_text.empty())
      fail("invalid rank offset '" + std::string(offset_text) + "'");
    line = sp2 == std::string_view::npos ? std::string_view{} : line.substr(sp2 + 1);
    std::uint64_t rank = offset;
    while (!line.empty()) {
      const std::size_t sp = line.find(' ');
      const std::string_view b64 = line.substr(0, sp);
      line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
      if (b64.empty() || !base64_decode_to(b64, bytes)) fail("invalid base64 token '" + std::string(b64) + "'");
      if (rank >= tokens_detail::kNoRank) fail("rank " + std::to_string(rank) + " out of range");
      if (!table.add(bytes, static_cast<tokens_detail::Rank>(rank)))
        fail("duplicate token or rank " + std::to_string(rank));
      ++rank;
    }
  }
  table.finish();
  if (table.size() == 0) throw ValueError(name + ": bpe_ranks holds no tokens");
  if (!table.covers_all_bytes()) throw ValueError(name + ": bpe_ranks lacks a token for some single byte");
}

const Json& require(const Json& doc, const char* key, const std::string& name) {
  const auto it = doc.find(key);
  if (it == doc.end()) throw ValueError(name + ": encoder file has no \"" + key + "\"");
  return *it;
}

}  // namespace

std::shared_ptr<const BpeEncoding> BpeEncoding::from_json(std::string_view json_text, std::string name) {
  const Json doc = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw JsonDecodeError(name + ": encoder file is not valid JSON");
  if (!doc.is_object()) throw ValueError(name + ": encoder file is not a JSON object");
  const Json& pat = require(doc, "pat_str", name);
  const Json& specials = require(doc, "special_tokens", name);
  const Json& ranks = require(doc, "bpe_ranks", name);
  if (!pat.is_string() || !ranks.is_string() || !specials.is_object())
    throw ValueError(name + ": pat_str and bpe_ranks must be strings, special_tokens an object");

  std::shared_ptr<BpeEncoding> enc(new BpeEncoding());
  enc->name_ = std::move(name);
  const auto pattern = pretoken_pattern_from_pat_str(pat.get_ref<const std::string&>());
  if (!pattern)
    throw ValueError(enc->name_ +
                     ": unsupported pat_str (only the cl100k_base and o200k_base patterns are implemented)");
  enc->pattern_ = *pattern;
  enc->table_ = std::make_unique<tokens_detail::RankTable>();
  parse_bpe_ranks(ranks.get_ref<const std::string&>(), *enc->table_, enc->name_);

  for (const auto& [text, id] : specials.items()) {
    if (!id.is_number_unsigned() || id.get<std::uint64_t>() >= tokens_detail::kNoRank)
      throw ValueError(enc->name_ + ": special token " + text + " has an invalid id");
    const auto value = static_cast<TokenId>(id.get<std::uint64_t>());
    if (text.empty() || !enc->table_->token(value).empty())
      throw ValueError(enc->name_ + ": special token '" + text + "' is empty or collides with a rank");
    for (const auto& [other, other_id] : enc->special_) {
      if (other_id == value || other.starts_with(text) || text.starts_with(other))
        throw ValueError(enc->name_ + ": special tokens '" + other + "' and '" + text + "' overlap");
    }
    enc->special_.emplace_back(text, value);
  }
  return enc;
}

std::shared_ptr<const BpeEncoding> BpeEncoding::load_file(const std::filesystem::path& file, std::string name) {
  std::error_code ec;
  auto key = std::filesystem::weakly_canonical(file, ec);
  if (ec) key = file;
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::weak_ptr<const BpeEncoding>> cache;
  std::lock_guard lock(mutex);  // also keeps two threads from parsing the same file twice
  if (auto it = cache.find(key); it != cache.end())
    if (auto hit = it->second.lock(); hit && hit->name() == name) return hit;

  std::ifstream in(file, std::ios::binary);
  if (!in) throw StorageError("cannot open tokenizer table " + file.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw StorageError("cannot read tokenizer table " + file.string());
  auto enc = from_json(buffer.str(), std::move(name));
  cache[key] = enc;
  return enc;
}

std::optional<std::filesystem::path> BpeEncoding::find_table(
    std::string_view name, const std::optional<std::filesystem::path>& explicit_path) {
  const std::string file = std::string(name) + ".json";
  std::error_code ec;
  const auto is_file = [&](const std::filesystem::path& p) { return std::filesystem::is_regular_file(p, ec); };
  if (explicit_path) {
    if (is_file(*explicit_path)) return *explicit_path;
    if (is_file(*explicit_path / file)) return *explicit_path / file;
  }
  if (const char* env = std::getenv("CONTEXTWEAVER_TOKENIZER_DIR"); env && *env)
    if (is_file(std::filesystem::path(env) / file)) return std::filesystem::path(env) / file;
#ifdef CW_TOKENIZER_BUILD_DIR
  if (is_file(std::filesystem::path(CW_TOKENIZER_BUILD_DIR) / file))
    return std::filesystem::path(CW_TOKENIZER_BUILD_DIR) / file;
#endif
#ifdef CW_TOKENIZER_INSTALL_DIR
  if (is_file(std::filesystem::path(CW_TOKENIZER_INSTALL_DIR) / file))
    return std::filesystem::path(CW_TOKENIZER_INSTALL_DIR) / file;
#endif
  return std::nullopt;
}

std::shared_ptr<const BpeEncoding> BpeEncoding::load(std::string_view name,
                                                     const std::optional<std::filesystem::path>& explicit_path) {
  if (auto path = find_table(name, explicit_path)) return load_file(*path, std::string(name));
  std::string searched;
  if (explicit_path) searched += explicit_path->string() + ", ";
  searched += "$CONTEXTWEAVER_TOKENIZER_DIR";
#ifdef CW_TOKENIZER_BUILD_DIR
  searched += std::string(", ") + CW_TOKENIZER_BUILD_DIR;
#endif
#ifdef CW_TOKENIZER_INSTALL_DIR
  searched += std::string(", ") + CW_TOKENIZER_INSTALL_DIR;
#endif
  throw StorageError("tokenizer table " + std::string(name) + ".json not found (searched " + searched +
                     "; run scripts/bootstrap)");
}

}  // namespace contextweaver
