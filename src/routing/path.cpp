#include "contextweaver/routing/path.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {
namespace {

bool segment_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// [first][a-z0-9_-]{0,63}, the first character checked by `first_ok`.
template <typename First>
bool matches(std::string_view seg, First first_ok) {
  if (seg.empty() || seg.size() > 64 || !first_ok(seg[0])) return false;
  for (std::size_t i = 1; i < seg.size(); ++i)
    if (!segment_char(seg[i])) return false;
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string segment_label(const std::string& id) {
  if (const auto slash = id.rfind('/'); slash != std::string::npos) return ascii_lower(id.substr(slash + 1));
  if (const auto colon = id.find(':'); colon != std::string::npos) {
    std::string rest = id.substr(colon + 1);
    for (const char sep : {'@', '#'}) {
      if (const auto at = rest.find(sep); at != std::string::npos) rest.resize(at);
    }
    return ascii_lower(rest);
  }
  return ascii_lower(id);
}

}  // namespace

std::vector<std::string> parse_path(std::string_view path) {
  if (path.empty()) throw PathInvalidError("path must not be empty");
  if (path.front() != '/') throw PathInvalidError("path must start with '/' (got " + py_repr(path) + ")");
  if (path == "/") return {};
  if (path.back() == '/') throw PathInvalidError("path must not end with '/' (got " + py_repr(path) + ")");
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (true) {
    const std::size_t slash = path.find('/', start);
    segments.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& seg = segments[i];
    if (seg.empty()) throw PathInvalidError("empty segment at index " + std::to_string(i) + " in " + py_repr(path));
    if (seg == "*") {
      if (i != segments.size() - 1) {
        throw PathInvalidError("wildcard '*' may only appear as the final segment in " + py_repr(path));
      }
      continue;
    }
    if (i == 0) {
      if (!matches(seg, [](char c) { return c >= 'a' && c <= 'z'; })) {
        throw PathInvalidError("root segment " + py_repr(seg) + " must start with [a-z] (\u00a73.2)");
      }
    } else if (!matches(seg, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); })) {
      throw PathInvalidError("segment " + py_repr(seg) + " not matching \u00a73.2 grammar");
    }
  }
  return segments;
}

std::vector<std::string> resolve_path(const ChoiceGraph& graph, const std::vector<std::string>& segments) {
  if (segments.empty()) return graph.successors(graph.root_id());
  std::string current = graph.root_id();
  std::string walked;
  for (const auto& seg : segments) {
    walked += "/" + seg;
    std::vector<std::string> children = graph.successors(current);
    if (seg == "*") return children;
    const std::string target = ascii_lower(seg);
    const std::string* match = nullptr;
    for (const auto& child : children) {
      if (segment_label(child) == target) {
        match = &child;
        break;
      }
    }
    if (match == nullptr) throw PathNotFoundError("path " + walked + " does not resolve in the catalog");
    current = *match;
  }
  std::vector<std::string> next = graph.successors(current);
  if (next.empty()) return {current};
  return next;
}

}  // namespace contextweaver
