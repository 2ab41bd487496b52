// `contextweaver log`: read a session's event log (tail, query, children, one item).
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "output.hpp"
#include "session_options.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

namespace {

struct LogOptions {
  std::optional<std::int64_t> tail;
  std::vector<std::string> kinds;
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> limit;
  std::optional<std::string> children;
  std::optional<std::string> id;
};

// One line of text: newlines shown as spaces, cut to `width` code points.
std::string preview(const std::string& text, std::size_t width) {
  std::string flat;
  for (std::string_view line : splitlines(text)) {
    if (!flat.empty()) flat += ' ';
    flat += line;
  }
  if (code_point_count(flat) <= width) return flat;
  return slice_code_points(flat, 0, static_cast<std::int64_t>(width) - 3) + "...";
}

const std::vector<std::string> kHeader = {"ID", "KIND", "PARENT", "TOKENS", "TEXT"};

// One item's row of the table.
std::vector<std::string> item_row(const ContextItem& item) {
  std::string text = preview(item.text, 60);
  if (item.artifact_ref) text += " [artifact: " + item.artifact_ref->handle + "]";
  // Ids and texts come from input files and tool results: shown escaped (docs/cli.md#terminal-output).
  return {terminal_text(item.id), std::string(to_string(item.kind)), terminal_text(item.parent_id.value_or("-")),
          std::to_string(item.token_estimate), terminal_text(text)};
}

void print_items_text(const std::vector<ContextItem>& items) {
  if (items.empty()) {
    std::cout << "(no items)\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {kHeader};
  for (const auto& item : items) rows.push_back(item_row(item));
  std::cout << format_table(rows);
}

// print_items_text of the whole log, streamed (docs/cli.md#log): one scan
// measures the columns, a second prints the rows, so the log is never held.
void print_log_text(const EventLog& log) {
  std::vector<std::size_t> widths;
  widen_columns(widths, kHeader);
  const std::size_t measured = log.scan(0, [&](ContextItem&& item) { widen_columns(widths, item_row(item)); });
  if (measured == 0) {
    std::cout << "(no items)\n";
    return;
  }
  std::cout << format_row(kHeader, widths);
  std::size_t printed = 0;
  log.scan(0, [&](ContextItem&& item) {
    // The session's shared lock keeps writers out: both scans see the same items.
    if (printed++ < measured) std::cout << format_row(item_row(item), widths);
  });
}

// The whole log as --json, streamed: {"session", "total", "count", "items"}.
void print_log_json(const GlobalOptions& globals, const EventLog& log) {
  const auto total = static_cast<std::int64_t>(log.count());
  print_json_streamed([&](JsonStreamWriter& writer) {
    writer.begin_object();
    writer.key("session");
    writer.string(globals.session);
    writer.key("total");
    writer.integer(total);
    writer.key("count");
    writer.integer(total);
    writer.key("items");
    writer.begin_array();
    std::int64_t written = 0;
    log.scan(0, [&](ContextItem&& item) {
      if (written++ < total) write_item_json(writer, item);
    });
    writer.end_array();
    writer.end_object();
  });
}

void print_item_text(const ContextItem& item) {
  std::cout << "id:             " << terminal_text(item.id) << "\n"
            << "kind:           " << to_string(item.kind) << "\n"
            << "parent_id:      " << terminal_text(item.parent_id.value_or("-")) << "\n"
            << "token_estimate: " << item.token_estimate << "\n"
            << "sensitivity:    " << to_string(item.sensitivity) << "\n"
            << "metadata:       " << dumps(item.metadata) << "\n";
  if (item.artifact_ref) std::cout << "artifact_ref:   " << dumps(item.artifact_ref->to_dict()) << "\n";
  std::cout << "text:\n" << terminal_text(item.text) << "\n";
}

void run_log(const GlobalOptions& globals, const LogOptions& options) {
  Session session = open_session(globals, SessionAccess::read);
  EventLog& log = session.stores().events();
  if (options.id) {
    const ContextItem item = log.get(*options.id);
    if (globals.json) {
      print_json(Json{{"session", globals.session}, {"item", item.to_dict()}});
    } else {
      print_item_text(item);
    }
    return;
  }
  const bool whole_log =
      !options.children && !options.tail && options.kinds.empty() && !options.since && !options.limit;
  if (whole_log) {
    if (globals.json) {
      print_log_json(globals, log);
    } else {
      print_log_text(log);
    }
    return;
  }
  std::vector<ContextItem> items;
  if (options.children) {
    log.get(*options.children);  // ItemNotFoundError for an unknown parent, rather than an empty answer
    items = log.children(*options.children);
  } else if (options.tail) {
    items = log.tail(*options.tail);
  } else {
    std::optional<std::vector<ItemKind>> kinds;
    if (!options.kinds.empty()) {
      kinds.emplace();
      for (const auto& kind : options.kinds) kinds->push_back(parse_item_kind(kind));
    }
    items = log.query(kinds, options.since, options.limit);
  }
  if (globals.json) {
    Json array = Json::array();
    for (const auto& item : items) array.push_back(item.to_dict());
    print_json(Json{{"session", globals.session},
                    {"total", static_cast<std::int64_t>(log.count())},
                    {"count", static_cast<std::int64_t>(items.size())},
                    {"items", array}});
    return;
  }
  print_items_text(items);
}

const CommandRegistration kRegistration(70, [](CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<LogOptions>();
  CLI::App* cmd = add_command(app, "log", "Show a session's event log: all items, the last N, a query, or one item.",
                              "  contextweaver log --session support\n"
                              "  contextweaver log --tail 5\n"
                              "  contextweaver log --kinds tool_call,tool_result --since -20 --limit 5\n"
                              "  contextweaver log --children tc1 --json\n"
                              "  contextweaver log --id tr1\n");
  auto* tail = cmd->add_option("--tail", options->tail, "Only the last N items");
  std::vector<std::string> kind_names;
  for (ItemKind kind : kAllItemKinds) kind_names.emplace_back(to_string(kind));
  auto* kinds = cmd->add_option("--kinds", options->kinds, "Only items of these kinds (comma-separated)")
                    ->delimiter(',')
                    ->check(CLI::IsMember(kind_names));
  auto* since = cmd->add_option("--since", options->since, "Start at this position (negative: from the end)");
  auto* limit = cmd->add_option("--limit", options->limit, "At most this many items (negative: drop from the end)");
  auto* children = cmd->add_option("--children", options->children, "The items whose parent is this id");
  auto* id = cmd->add_option("--id", options->id, "Show one item in full");
  // The four ways to read the log are exclusive: a combination is a usage error.
  tail->excludes(kinds, since, limit, children, id);
  children->excludes(kinds, since, limit, id);
  id->excludes(kinds, since, limit);
  cmd->callback([&globals, options] { run_log(globals, *options); });
});

}  // namespace

}  // namespace contextweaver::cli
