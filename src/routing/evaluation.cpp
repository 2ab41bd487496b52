#include "contextweaver/routing/evaluation.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "contextweaver/core/errors.hpp"

namespace contextweaver {
namespace {

Json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StorageError("cannot read '" + path.string() + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return loads(s.str());
}

std::vector<std::string> strings_at(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end()) throw KeyError(std::string("gold query lacks '") + key + "'");
  if (!it->is_array()) throw TypeError(std::string("gold query '") + key + "' must be an array");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) throw TypeError(std::string("gold query '") + key + "' must hold strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::string string_at(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end()) throw KeyError(std::string("gold query lacks '") + key + "'");
  if (!it->is_string()) throw TypeError(std::string("gold query '") + key + "' must be a string");
  return it->get<std::string>();
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::vector<SelectableItem> load_catalog_array(const std::filesystem::path& path) {
  const Json data = read_json(path);
  if (!data.is_array()) throw TypeError("catalog '" + path.string() + "' must be a JSON array");
  std::vector<SelectableItem> items;
  items.reserve(data.size());
  for (const auto& d : data) items.push_back(SelectableItem::from_dict(d));
  return items;
}

std::vector<GoldQuery> load_dev_gold(const std::filesystem::path& path) {
  const Json data = read_json(path);
  if (!data.is_object() || !data.contains("queries") || !data.at("queries").is_array()) {
    throw TypeError("dev gold '" + path.string() + "' must be an object with a 'queries' array");
  }
  std::vector<GoldQuery> out;
  for (const auto& q : data.at("queries")) {
    GoldQuery g{string_at(q, "id"), string_at(q, "query"), strings_at(q, "expected"), string_at(q, "difficulty"),
                false};
    const auto nt = q.find("no_tool");
    g.no_tool = nt != q.end() && nt->is_boolean() && nt->get<bool>();
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<GoldQuery> load_reference_gold(const std::filesystem::path& path) {
  const Json data = read_json(path);
  if (!data.is_array()) throw TypeError("reference gold '" + path.string() + "' must be a JSON array");
  std::vector<GoldQuery> out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    out.push_back(
        GoldQuery{std::to_string(i), string_at(data[i], "query"), strings_at(data[i], "expected"), "", false});
  }
  return out;
}

double precision_at_k(const std::vector<std::string>& pred, const std::vector<std::string>& expected, std::size_t k) {
  if (k == 0) return 0.0;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < std::min(k, pred.size()); ++i) hits += contains(expected, pred[i]);
  return static_cast<double>(hits) / static_cast<double>(k);
}

double recall_at_k(const std::vector<std::string>& pred, const std::vector<std::string>& expected, std::size_t k) {
  if (expected.empty()) return 1.0;
  const std::vector<std::string> top(pred.begin(),
                                     pred.begin() + static_cast<std::ptrdiff_t>(std::min(k, pred.size())));
  std::size_t found = 0;
  for (const auto& e : expected) found += contains(top, e);
  return static_cast<double>(found) / static_cast<double>(expected.size());
}

double reciprocal_rank(const std::vector<std::string>& pred, const std::vector<std::string>& expected) {
  for (std::size_t i = 0; i < std::min<std::size_t>(10, pred.size()); ++i) {
    if (contains(expected, pred[i])) return 1.0 / static_cast<double>(i + 1);
  }
  return 0.0;
}

bool hit_at_k(const std::vector<std::string>& pred, const std::vector<std::string>& expected, std::size_t k) {
  for (std::size_t i = 0; i < std::min(k, pred.size()); ++i) {
    if (contains(expected, pred[i])) return true;
  }
  return false;
}

QualitySummary evaluate(const DefaultRouter& ranker, const std::vector<GoldQuery>& queries) {
  QualitySummary s;
  RankOptions opt;
  opt.top_k = 10;
  opt.explain = false;
  for (const auto& q : queries) {
    const RankResult r = ranker.rank(q.query, opt);
    if (q.no_tool) {
      ++s.no_tool_queries;
      s.refused_no_tool += r.refused;
      continue;
    }
    std::vector<std::string> expected;
    for (const auto& e : q.expected) {
      if (ranker.contains(e)) expected.push_back(e);
    }
    if (expected.empty()) continue;
    std::vector<std::string> pred;
    for (const auto& c : r.candidates) pred.push_back(c.id);
    ++s.queries;
    s.refused_with_tool += r.refused;
    s.precision_at_5 += precision_at_k(pred, expected, 5);
    s.recall_at_1 += recall_at_k(pred, expected, 1);
    s.recall_at_5 += recall_at_k(pred, expected, 5);
    s.hit_at_5 += hit_at_k(pred, expected, 5) ? 1.0 : 0.0;
    s.mrr += reciprocal_rank(pred, expected);
  }
  if (s.queries) {
    const double n = static_cast<double>(s.queries);
    s.precision_at_5 /= n, s.recall_at_1 /= n, s.recall_at_5 /= n, s.hit_at_5 /= n, s.mrr /= n;
  }
  return s;
}

}  // namespace contextweaver
