// `contextweaver artifacts`: list a session's artifacts and show one, whole or
// through a drill-down selector (head, lines, rows, json_keys).
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "output.hpp"
#include "session_options.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/store/json_file_artifact_store.hpp"

namespace contextweaver::cli {

namespace {

struct ArtifactOptions {
  std::string handle;
  std::optional<std::int64_t> head;
  std::optional<std::string> lines;
  std::optional<std::string> rows;
  std::vector<std::string> json_keys;
  std::optional<std::string> selector;
};

// "A:B", "A:", ":B" or "A" (A to the end) as Python slice bounds.
Json slice_selector(const std::string& type, const std::string& range) {
  const auto parse_bound = [&](std::string_view text) -> Json {
    if (text.empty()) return nullptr;
    try {
      std::size_t used = 0;
      const long long value = std::stoll(std::string(text), &used);
      if (used == text.size()) return static_cast<std::int64_t>(value);
    } catch (const std::exception&) {
    }
    throw ValueError(
        fmt::format("--{} expects START:END (integers, either may be empty), got {}", type, py_repr(range)));
  };
  const auto colon = range.find(':');
  Json selector = {{"type", type}};
  if (colon == std::string::npos) {
    selector["start"] = parse_bound(range);
    selector["end"] = nullptr;
  } else {
    selector["start"] = parse_bound(std::string_view(range).substr(0, colon));
    selector["end"] = parse_bound(std::string_view(range).substr(colon + 1));
  }
  return selector;
}

std::optional<Json> selector_of(const ArtifactOptions& options) {
  if (options.selector) return loads(*options.selector);
  if (options.head) return Json{{"type", "head"}, {"chars", *options.head}};
  if (options.lines) return slice_selector("lines", *options.lines);
  if (options.rows) return slice_selector("rows", *options.rows);
  if (!options.json_keys.empty()) return Json{{"type", "json_keys"}, {"keys", options.json_keys}};
  return std::nullopt;
}

// Metadata files the listing skips (as the reference does) are named on
// stderr, so a damaged artifact is not silently missing (docs/cli.md).
void warn_skipped_files(const Session& session) {
  std::error_code ec;
  const auto folder = session.workspace().artifacts_dir(session.name());
  if (!std::filesystem::is_directory(folder, ec)) return;
  std::vector<JsonFileArtifactStore::SkippedFile> skipped;
  JsonFileArtifactStore(folder).list_refs(skipped);
  for (const auto& file : skipped) {
    std::cerr << "Warning: skipped artifact metadata file " << terminal_text(py_repr(file.path)) << ": "
              << terminal_text(file.reason) << "\n";
  }
}

void run_list(const GlobalOptions& globals) {
  Session session = open_session(globals, SessionAccess::read);
  const auto refs = session.stores().artifacts().list_refs();
  warn_skipped_files(session);
  if (globals.json) {
    Json array = Json::array();
    for (const auto& ref : refs) array.push_back(ref.to_dict());
    print_json(
        Json{{"session", globals.session}, {"count", static_cast<std::int64_t>(refs.size())}, {"artifacts", array}});
    return;
  }
  if (refs.empty()) {
    std::cout << "(no artifacts)\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {{"HANDLE", "MEDIA_TYPE", "SIZE", "LABEL"}};
  for (const auto& ref : refs) {
    rows.push_back({terminal_text(ref.handle), terminal_text(ref.media_type), std::to_string(ref.size_bytes),
                    terminal_text(ref.label)});
  }
  std::cout << format_table(rows);
}

void run_show(const GlobalOptions& globals, const ArtifactOptions& options) {
  Session session = open_session(globals, SessionAccess::read);
  ArtifactStore& store = session.stores().artifacts();
  const ArtifactRef ref = store.ref(options.handle);
  const std::optional<Json> selector = selector_of(options);
  const std::string content =
      selector ? store.drilldown(options.handle, *selector) : decode_utf8_replace(store.get(options.handle));
  if (globals.json) {
    print_json(Json{{"session", globals.session},
                    {"artifact", ref.to_dict()},
                    {"selector", selector ? *selector : Json(nullptr)},
                    {"content", content}});
    return;
  }
  // Recorded tool output is untrusted: shown escaped (docs/cli.md#terminal-output).
  std::cout << terminal_text(content);
  if (!content.empty() && content.back() != '\n') std::cout << '\n';
}

const CommandRegistration kRegistration(90, [](CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<ArtifactOptions>();
  CLI::App* cmd = add_command(app, "artifacts", "List a session's artifacts, or show one through a selector.",
                              "  contextweaver artifacts list\n"
                              "  contextweaver artifacts show --handle artifact:result:tc1 --head 200\n"
                              "  contextweaver artifacts show --handle artifact:result:tc1 --lines 10:20\n"
                              "  contextweaver artifacts show --handle report --json-keys status,total --json\n");
  cmd->require_subcommand(1);

  CLI::App* list = add_command(*cmd, "list", "List the artifacts (handle, media type, size, label).",
                               "  contextweaver artifacts list --json\n");
  list->callback([&globals] { run_list(globals); });

  CLI::App* show =
      add_command(*cmd, "show", "Show an artifact's text, whole or through one selector.",
                  "  contextweaver artifacts show --handle artifact:result:tc1 --rows 0:5\n"
                  "  contextweaver artifacts show --handle h --selector '{\"type\": \"head\", \"chars\": 80}'\n");
  show->add_option("--handle", options->handle, "The artifact handle")->required();
  auto* head = show->add_option("--head", options->head, "The first N characters");
  auto* lines = show->add_option("--lines", options->lines, "Lines START:END (Python slice, 0-based)");
  auto* rows = show->add_option("--rows", options->rows, "Rows START:END (as --lines)");
  auto* keys =
      show->add_option("--json-keys", options->json_keys, "Top-level keys of a JSON artifact (comma-separated)")
          ->delimiter(',');
  auto* selector = show->add_option("--selector", options->selector, "A drill-down selector as JSON");
  head->excludes(lines, rows, keys, selector);
  lines->excludes(rows, keys, selector);
  rows->excludes(keys, selector);
  keys->excludes(selector);
  show->callback([&globals, options] { run_show(globals, *options); });
});

}  // namespace

}  // namespace contextweaver::cli
