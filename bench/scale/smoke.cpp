#include "scale/smoke.hpp"

#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"

namespace cwscale {

namespace {

using contextweaver::Json;

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Whether the JSON document `text` holds n entries under `key`; what is wrong otherwise.
std::optional<std::string> expect_count(const std::string& text, const char* key, std::size_t n, const char* what) {
  Json doc;
  try {
    doc = contextweaver::loads(text);
  } catch (const contextweaver::ContextWeaverError& e) {
    return fmt::format("{} is not JSON: {}", what, e.what());
  }
  if (!doc.is_object() || !doc.contains(key) || !doc[key].is_array()) {
    return fmt::format("{} has no \"{}\" array", what, key);
  }
  if (doc[key].size() != n) return fmt::format("{} has {} {}, not {}", what, doc[key].size(), key, n);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_output(const std::string& tag, std::size_t n, const std::filesystem::path& stdout_path,
                                        const std::filesystem::path& export_path) {
  const std::string out = read_all(stdout_path);
  if (out.empty()) return "printed nothing";
  if (tag == "ingest") {
    // docs/cli.md, ingest: "Ingested <k> events from <file>" … "now holds <total> events".
    if (!contains(out, fmt::format("Ingested {} events", n)) || !contains(out, fmt::format("now holds {} events", n))) {
      return "does not report " + std::to_string(n) + " ingested events:\n" + out.substr(0, 500);
    }
  } else if (tag == "replay") {
    // Every event is a candidate of the answer phase's build.
    if (!contains(out, fmt::format("Stats: total_candidates={},", n)) || !contains(out, "--- Rendered prompt ---")) {
      return fmt::format("no stats line with total_candidates={} and prompt:\n{}", n, out.substr(0, 500));
    }
  } else if (tag == "stats") {
    if (!contains(out, "Context Build Report") || !contains(out, fmt::format("generated={} ", n))) {
      return fmt::format("no report with generated={}:\n{}", n, out.substr(0, 500));
    }
  } else if (tag == "export") {
    if (!contains(out, fmt::format("({} events)", n))) return "does not report " + std::to_string(n) + " events";
    return expect_count(read_all(export_path), "events", n, "the exported file");
  } else if (tag == "log") {
    return expect_count(out, "items", n, "log --json's output");
  }
  return std::nullopt;
}

}  // namespace cwscale
