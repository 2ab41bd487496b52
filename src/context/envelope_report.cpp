// BuildStats::report / report_dict (envelope.hpp; envelope.py): pure formatting.
#include <algorithm>
#include <cstdio>

#include "contextweaver/context/envelope.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

namespace {

std::string pad_left(const std::string& s, std::size_t width) {  // f"{s:<width}"
  std::size_t n = code_point_count(s);
  return n >= width ? s : s + std::string(width - n, ' ');
}

std::string pad_right(const std::string& s, std::size_t width) {  // f"{s:>width}"
  std::size_t n = code_point_count(s);
  return n >= width ? s : std::string(width - n, ' ') + s;
}

// Python f"{v:.{digits}%}": v*100 in double, fixed notation, then '%'.
std::string percent(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%%", digits, v * 100.0);
  return buf;
}

OrderedCounts sorted_counts(OrderedCounts counts) {
  std::stable_sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return counts;
}

struct Payload {
  std::optional<std::string> phase;
  std::optional<std::int64_t> budget;
  std::int64_t prompt_tokens = 0;
  OrderedCounts sections;
  OrderedCounts reasons;
  std::vector<std::string> recommendations;
};

bool truthy(const std::optional<std::int64_t>& b) {
  return b && *b != 0;
}
bool truthy(const std::optional<std::string>& s) {
  return s && !s->empty();
}

Payload make_payload(const BuildStats& stats, std::optional<std::string> phase, std::optional<std::int64_t> budget) {
  Payload p{std::move(phase),
            budget,
            stats.prompt_tokens(),
            sorted_counts(stats.tokens_per_section),
            sorted_counts(stats.dropped_reasons),
            {}};
  if (budget && *budget > 0) {
    const double b = static_cast<double>(*budget);
    for (const auto& [name, tokens] : p.sections) {
      if (static_cast<double>(tokens) / b > 0.50) {
        p.recommendations.push_back("\u26a0 " + percent(static_cast<double>(tokens) / b, 0) + " of budget used by " +
                                    name + " \u2014 consider lowering firewall threshold");
      }
    }
    const std::int64_t headroom = *budget - p.prompt_tokens;
    if (headroom > 0 && static_cast<double>(p.prompt_tokens) / b < 0.95) {
      p.recommendations.push_back("\u2713 " + percent(static_cast<double>(headroom) / b, 1) +
                                  " budget headroom \u2014 efficient");
    } else if (headroom <= 0) {
      p.recommendations.push_back("\u26a0 over budget by " + std::to_string(-headroom) +
                                  " tokens \u2014 raise the budget or drop more aggressively");
    }
  }
  return p;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

std::string render_text(const BuildStats& stats, const Payload& p) {
  std::vector<std::string> lines;
  const std::string rule(50, '=');
  lines.insert(lines.end(), {rule, "Context Build Report", rule});
  if (truthy(p.phase)) lines.push_back("Phase:  " + *p.phase);
  const bool has_budget = truthy(p.budget);
  if (has_budget) lines.push_back("Budget: " + std::to_string(*p.budget) + " tokens");
  lines.push_back("");
  lines.push_back("-- Candidates --");
  lines.push_back("  Generated:    " + std::to_string(stats.total_candidates));
  lines.push_back("  Included:     " + std::to_string(stats.included_count));
  lines.push_back("  Dropped:      " + std::to_string(stats.dropped_count));
  lines.push_back("  Deduplicated: " + std::to_string(stats.dedup_removed));
  lines.push_back("  Dep. closures:" + std::to_string(stats.dependency_closures));
  lines.push_back("");
  lines.push_back("-- Token Usage --");
  if (p.sections.empty()) {
    lines.push_back("  (no sections rendered)");
  } else {
    const double b = has_budget ? static_cast<double>(*p.budget) : 1.0;
    lines.push_back("  " + pad_left("Section", 16) + pad_right("Tokens", 10) +
                    (has_budget ? pad_right("% Budget", 12) : ""));
    for (const auto& [name, tokens] : p.sections) {
      std::string line = "  " + pad_left(name, 16) + pad_right(std::to_string(tokens), 10);
      if (has_budget) line += pad_right(pad_right(percent(static_cast<double>(tokens) / b, 1), 7), 12);
      lines.push_back(line);
    }
    lines.push_back("  " + std::string(36, '-'));
    const std::int64_t total = p.prompt_tokens;
    if (has_budget) {
      lines.push_back("  " + pad_left("Total", 16) + pad_right(std::to_string(total), 10) +
                      pad_right(percent(static_cast<double>(total) / b, 1), 11));
      const std::int64_t remaining = *p.budget - total;
      lines.push_back("  " + pad_left("Remaining", 16) + pad_right(std::to_string(remaining), 10) +
                      pad_right(percent(static_cast<double>(remaining) / b, 1), 11));
    } else {
      lines.push_back("  " + pad_left("Total", 16) + pad_right(std::to_string(total), 10));
    }
  }
  lines.push_back("");
  if (!p.reasons.empty()) {
    lines.push_back("-- Dropped Items --");
    for (const auto& [reason, count] : p.reasons) lines.push_back("  " + reason + ": " + std::to_string(count));
    lines.push_back("");
  }
  if (!p.recommendations.empty()) {
    lines.push_back("-- Recommendations --");
    for (const auto& rec : p.recommendations) lines.push_back("  " + rec);
  }
  return join_lines(lines);
}

std::string render_rich(const BuildStats& stats, const Payload& p) {
  std::vector<std::string> lines;
  std::string head = "[bold cyan]Context Build Report[/bold cyan]";
  if (truthy(p.phase)) head += "  phase=[yellow]" + *p.phase + "[/yellow]";
  const bool has_budget = truthy(p.budget);
  if (has_budget) head += "  budget=[yellow]" + std::to_string(*p.budget) + "[/yellow] tokens";
  lines.push_back(head);
  lines.push_back("");
  lines.push_back("[bold]Candidates[/bold]");
  lines.push_back("  generated=" + std::to_string(stats.total_candidates) + "  included=[green]" +
                  std::to_string(stats.included_count) + "[/green]  dropped=[red]" +
                  std::to_string(stats.dropped_count) + "[/red]  dedup=" + std::to_string(stats.dedup_removed) +
                  "  closures=" + std::to_string(stats.dependency_closures));
  lines.push_back("");
  lines.push_back("[bold]Token Usage[/bold]");
  if (p.sections.empty()) {
    lines.push_back("  [dim](no sections rendered)[/dim]");
  } else {
    const double b = has_budget ? static_cast<double>(*p.budget) : 1.0;
    for (const auto& [name, tokens] : p.sections) {
      std::string line = "  " + pad_left(name, 16) + pad_right(std::to_string(tokens), 8);
      if (has_budget) {
        const double pct = static_cast<double>(tokens) / b;
        const std::string colour = pct > 0.5 ? "red" : "green";
        line += "  [" + colour + "]" + pad_right(percent(pct, 1), 6) + "[/" + colour + "]";
      }
      lines.push_back(line);
    }
    const std::int64_t total = p.prompt_tokens;
    if (has_budget) {
      const std::int64_t remaining = *p.budget - total;
      const std::string colour = remaining < 0 ? "red" : "green";
      lines.push_back("  [bold]" + pad_left("Total", 16) + pad_right(std::to_string(total), 8) + "  " +
                      pad_right(percent(static_cast<double>(total) / b, 1), 6) + "[/bold]");
      lines.push_back("  [" + colour + "]" + pad_left("Remaining", 16) + pad_right(std::to_string(remaining), 8) +
                      "  " + pad_right(percent(static_cast<double>(remaining) / b, 1), 6) + "[/" + colour + "]");
    } else {
      lines.push_back("  [bold]" + pad_left("Total", 16) + pad_right(std::to_string(total), 8) + "[/bold]");
    }
  }
  lines.push_back("");
  if (!p.reasons.empty()) {
    lines.push_back("[bold]Dropped Items[/bold]");
    for (const auto& [reason, count] : p.reasons) {
      lines.push_back("  [red]" + reason + "[/red]: " + std::to_string(count));
    }
    lines.push_back("");
  }
  if (!p.recommendations.empty()) {
    lines.push_back("[bold]Recommendations[/bold]");
    for (const auto& rec : p.recommendations) lines.push_back("  " + rec);
  }
  return join_lines(lines);
}

}  // namespace

Json BuildStats::report_dict(std::optional<std::string> phase, std::optional<std::int64_t> budget) const {
  Payload p = make_payload(*this, std::move(phase), budget);
  Json out = Json::object();
  out["version"] = kBuildStatsReportVersion;
  out["phase"] = p.phase ? Json(*p.phase) : Json(nullptr);
  out["budget"] = p.budget ? Json(*p.budget) : Json(nullptr);
  out["prompt_tokens"] = p.prompt_tokens;
  Json sections = Json::object();
  for (const auto& [k, v] : p.sections) sections[k] = v;
  out["tokens_per_section"] = std::move(sections);
  Json cand = Json::object();
  cand["total"] = total_candidates;
  cand["included"] = included_count;
  cand["dropped"] = dropped_count;
  cand["deduplicated"] = dedup_removed;
  cand["dependency_closures"] = dependency_closures;
  out["candidates"] = std::move(cand);
  Json reasons = Json::object();
  for (const auto& [k, v] : p.reasons) reasons[k] = v;
  out["dropped_reasons"] = std::move(reasons);
  out["recommendations"] = p.recommendations;
  return out;
}

std::string BuildStats::report(std::string_view format, std::optional<std::string> phase,
                               std::optional<std::int64_t> budget) const {
  if (format != "text" && format != "rich") {
    throw ValueError("Unknown report format " + py_repr(format) + ". Valid: 'text', 'rich'");
  }
  Payload p = make_payload(*this, std::move(phase), budget);
  return format == "rich" ? render_rich(*this, p) : render_text(*this, p);
}

}  // namespace contextweaver
