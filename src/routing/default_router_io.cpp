// DefaultRouter persistence: JSON with the items and their analyzed terms.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/routing/default_router.hpp"

namespace contextweaver {
namespace {

constexpr const char* kFormat = "contextweaver.tool_ranker";
constexpr int kVersion = 1;
// Bump when the analyzer, stopwords or lexicon change meaning.
constexpr const char* kAnalyzerVersion = "analyzer-2/snowball-english/lexicon-1";

const Json& member(const Json& obj, const char* key, const char* where) {
  if (!obj.is_object()) throw TypeError(std::string(where) + " must be a JSON object");
  const auto it = obj.find(key);
  if (it == obj.end()) throw KeyError(std::string(where) + " lacks '" + key + "'");
  return *it;
}

}  // namespace

std::string DefaultRouter::analyzer_fingerprint(const AnalyzerOptions& o) {
  return std::string(kAnalyzerVersion) + (o.split_identifiers ? "/split" : "/nosplit") +
         (o.stem ? "/stem" : "/nostem") + (o.drop_stopwords ? "/stop" : "/nostop");
}

Json DefaultRouter::to_json() const {
  Json tools = Json::array();
  for (const auto& item : items()) {
    const std::uint32_t slot = slot_of_.at(item.id);
    Json terms = Json::object();
    for (std::size_t f = 0; f < kRankFieldCount; ++f) {
      terms[std::string(to_string(static_cast<RankField>(f)))] = index_.terms_of(slot)[f];
    }
    tools.push_back(Json{{"item", item.to_dict()}, {"terms", std::move(terms)}});
  }
  return Json{{"format", kFormat},
              {"version", kVersion},
              {"analyzer", analyzer_fingerprint(config_.analyzer)},
              {"config", config_.to_json()},
              {"tools", std::move(tools)}};
}

DefaultRouter DefaultRouter::from_json(const Json& data) {
  const Json& format = member(data, "format", "ranking index");
  if (!format.is_string() || format.get<std::string>() != kFormat) {
    throw ValueError(std::string("not a ranking index: format must be '") + kFormat + "'");
  }
  const Json& version = member(data, "version", "ranking index");
  if (!version.is_number_integer() || version.get<std::int64_t>() != kVersion) {
    throw ValueError("unsupported ranking index version " + version.dump() + " (this build reads " +
                     std::to_string(kVersion) + ")");
  }
  DefaultRouter r(DefaultRouterConfig::from_json(member(data, "config", "ranking index")));
  const Json& fp = member(data, "analyzer", "ranking index");
  const bool reuse_terms = fp.is_string() && fp.get<std::string>() == analyzer_fingerprint(r.config_.analyzer);
  const Json& tools = member(data, "tools", "ranking index");
  if (!tools.is_array()) throw TypeError("ranking index 'tools' must be an array");
  for (const Json& entry : tools) {
    SelectableItem item = SelectableItem::from_dict(member(entry, "item", "ranking index tool"));
    if (!reuse_terms) {
      r.add(item);
      continue;
    }
    const Json& terms = member(entry, "terms", "ranking index tool");
    FieldTerms ft;
    for (std::size_t f = 0; f < kRankFieldCount; ++f) {
      const std::string key(to_string(static_cast<RankField>(f)));
      const Json& list = member(terms, key.c_str(), "ranking index terms");
      if (!list.is_array()) throw TypeError("ranking index terms '" + key + "' of '" + item.id + "' must be an array");
      for (const Json& t : list) {
        if (!t.is_string() || t.get_ref<const std::string&>().empty()) {
          throw ValueError("ranking index terms '" + key + "' of '" + item.id + "' must be non-empty strings");
        }
        ft[f].push_back(t.get<std::string>());
      }
    }
    r.insert(item, std::move(ft));
  }
  return r;
}

void DefaultRouter::save(const std::filesystem::path& path) const {
  // The index is this library's own file: nlohmann's compact dump is several
  // times faster than the Python-compatible dumps() and reads back the same.
  std::string text;
  try {
    text = to_json().dump();
  } catch (const Json::exception& e) {
    throw ValueError(std::string("cannot save ranking index: ") + e.what());  // e.g. invalid UTF-8 in a tool
  }
  const std::filesystem::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw StorageError("cannot write ranking index '" + tmp.string() + "'");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      out.close();
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw StorageError("cannot write ranking index '" + tmp.string() + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw StorageError("cannot move ranking index into place at '" + path.string() + "'");
  }
}

DefaultRouter DefaultRouter::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StorageError("cannot read ranking index '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw StorageError("cannot read ranking index '" + path.string() + "'");
  Json data;
  try {
    data = Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    throw JsonDecodeError("ranking index '" + path.string() + "' is not valid JSON: " + e.what());
  }
  return from_json(data);
}

}  // namespace contextweaver
