// RouteResult explanations (routing/explanation.py): a versioned dict and
// paste-friendly Markdown. Ids, scores and the query only; never schemas.
// Also the clarifying question both routers ask when ambiguous.
#include "contextweaver/routing/route_result.hpp"

#include <algorithm>
#include <cstdio>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

std::string fixed4(double x, bool sign = false) {
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.4f" : "%.4f", x);
  return buf;
}

Json id_score(const std::string& id, double score) {
  Json out = Json::object();
  out["id"] = id;
  out["score"] = py_round(score, 4);
  return out;
}

}  // namespace

Json RouteResult::explanation_dict() const {
  const std::size_t n = std::min(candidate_ids.size(), scores.size());
  Json out = Json::object();
  out["version"] = 1;
  out["query"] = trace.query;
  out["retriever_engine"] = trace.retriever_engine;
  Json candidates = Json::array();
  for (std::size_t i = 0; i < n; ++i) {
    Json c = Json::object();
    c["rank"] = static_cast<std::int64_t>(i + 1);
    c["id"] = candidate_ids[i];
    c["score"] = py_round(scores[i], 4);
    candidates.push_back(c);
  }
  out["candidates"] = candidates;
  out["top"] = n >= 1 ? id_score(candidate_ids[0], scores[0]) : Json(nullptr);
  out["runner_up"] = n >= 2 ? id_score(candidate_ids[1], scores[1]) : Json(nullptr);
  out["confidence_gap"] = n >= 2 ? Json(py_round(scores[0] - scores[1], 4)) : Json(nullptr);
  out["is_ambiguous"] = is_ambiguous;
  out["clarifying_question"] = clarifying_question ? Json(*clarifying_question) : Json(nullptr);
  Json hints = Json::array();
  for (const auto& h : context_hints) hints.push_back(h);
  out["context_hints"] = hints;
  out["context_boost_applied"] = context_boost_applied;
  out["excluded_count"] = excluded_count;
  out["gated_count"] = gated_count;
  return out;
}

std::string RouteResult::explanation() const {
  const Json p = explanation_dict();
  std::vector<std::string> lines;
  const std::string query = trace.query.empty() ? "(no query)" : trace.query;
  lines.push_back("### Routing explanation for query `" + query + "`");
  lines.push_back("");
  lines.push_back("_Retriever engine: `" + trace.retriever_engine + "`._");
  lines.push_back("");
  lines.push_back("**Top candidates**");
  lines.push_back("");
  if (!p["candidates"].empty()) {
    lines.push_back("| Rank | Tool id | Score |");
    lines.push_back("|---:|:---|---:|");
    for (const auto& c : p["candidates"]) {
      lines.push_back("| " + std::to_string(c["rank"].get<std::int64_t>()) + " | `" + c["id"].get<std::string>() +
                      "` | " + fixed4(c["score"].get<double>()) + " |");
    }
  } else {
    lines.push_back("_No candidates returned._");
  }
  lines.push_back("");
  const Json& top = p["top"];
  const Json& runner = p["runner_up"];
  if (!top.is_null() && !runner.is_null()) {
    lines.push_back("**Confidence gap**: `" + top["id"].get<std::string>() + "` (" +
                    fixed4(top["score"].get<double>()) + ") vs runner-up `" + runner["id"].get<std::string>() + "` (" +
                    fixed4(runner["score"].get<double>()) + ") = **" + fixed4(p["confidence_gap"].get<double>(), true) +
                    "**.");
  } else if (!top.is_null()) {
    lines.push_back("**Top pick**: `" + top["id"].get<std::string>() + "` (" + fixed4(top["score"].get<double>()) +
                    ") \u2014 no runner-up.");
  } else {
    lines.push_back("**Confidence gap**: n/a (no candidates).");
  }
  lines.push_back("");
  if (is_ambiguous) {
    lines.push_back("\u26a0\ufe0f **Ambiguous result** (gap below router's `confidence_gap` threshold).");
    if (clarifying_question && !clarifying_question->empty()) {
      lines.push_back("");
      lines.push_back("> Suggested clarifying question: _" + *clarifying_question + "_");
    }
  } else {
    lines.push_back("\u2705 Result is **not** ambiguous (gap above threshold).");
  }
  lines.push_back("");
  if (excluded_count || gated_count) {
    lines.push_back("**Filters applied**");
    lines.push_back("");
    if (excluded_count) {
      lines.push_back("- " + std::to_string(excluded_count) + " item(s) filtered by `exclude_ids` / `exclude_tags`.");
    }
    if (gated_count) {
      lines.push_back("- " + std::to_string(gated_count) +
                      " item(s) filtered by `allowed_namespaces` / `allowed_tags` toolset gating.");
    }
    lines.push_back("");
  }
  if (!context_hints.empty()) {
    lines.push_back("**Context hints applied**");
    lines.push_back("");
    for (const auto& h : context_hints) lines.push_back("- " + h);
    lines.push_back("");
    lines.push_back(context_boost_applied ? "_Hints altered the scoring query._"
                                          : "_Hints did not change the scoring query._");
    lines.push_back("");
  }
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) text.append(i ? "\n" : "").append(lines[i]);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.pop_back();
  }
  return text + "\n";
}

std::optional<std::string> suggest_clarifying_question(std::string_view query,
                                                       const std::vector<const SelectableItem*>& pool) {
  if (pool.size() < 2) return std::nullopt;
  std::vector<std::string> namespaces;
  for (const auto* item : pool)
    if (!item->namespace_.empty()) namespaces.push_back(item->namespace_);
  std::sort(namespaces.begin(), namespaces.end());
  namespaces.erase(std::unique(namespaces.begin(), namespaces.end()), namespaces.end());
  if (namespaces.size() >= 2) {
    std::string out = "Did you mean ";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, namespaces.size()); ++i) {
      out.append(i ? ", " : "").append(py_repr(namespaces[i]));
    }
    return out + "? Multiple namespaces matched " + py_repr(query) + ".";
  }
  std::string out = "Multiple tools could handle " + py_repr(query) + ": ";
  for (std::size_t i = 0; i < std::min<std::size_t>(3, pool.size()); ++i)
    out.append(i ? ", " : "").append(py_repr(pool[i]->name));
  return out + ". Which did you mean?";
}

}  // namespace contextweaver
