// What the commands print: readable text by default, one JSON document with
// --json, Python-repr fragments where the reference's output template uses
// them, and a progress bar that appears only on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/json_stream.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver::cli {

// Call first in main: when descriptor 1 (stdout) is not open, /dev/null is put
// there, so that no file the command opens lands on descriptor 1 and receives
// its output, and finish_stdout() reports the lost output (docs/cli.md#output).
void guard_stdout();

// Flushes std::cout and stdout; the reason the output was not all written
// (a closed stdout, a full disk, an I/O error), or "" when it was. Called once,
// by main, after the command: the one place every command's output is checked.
std::string finish_stdout();

// Writes `value` to stdout as indented JSON (Python json.dumps(indent=2)) and a
// newline, then flushes: --json output is always exactly one document.
void print_json(const Json& value);

// json.dumps(value, indent=2) + "\n", the reference's file format.
std::string to_json_file_text(const Json& value);

// The options of every JSON document the CLI writes: json.dumps(indent=2).
inline constexpr DumpOptions kOutputJson{false, 2, true};

// print_json for a document too large to hold (docs/cli.md#output): `write`
// writes it through the writer, which hands it to stdout in pieces, then a
// newline follows and stdout is flushed. The bytes are print_json's. When
// `write` throws, what was already handed to stdout stays there.
void print_json_streamed(const std::function<void(JsonStreamWriter&)>& write);

// item.to_dict() written through `writer`, without building the dict (the
// text is not copied).
void write_item_json(JsonStreamWriter& writer, const ContextItem& item);

// Python repr of a list of str: ['a', 'b'].
std::string repr_str_list(const std::vector<std::string>& values);

// Aligns rows into columns separated by two spaces; the first row is the
// header. Cells are measured in code points.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

// format_table in two passes, for a table too large to hold: widen() with
// every row (the header too), then format_row() of each row gives the lines
// format_table would give.
void widen_columns(std::vector<std::size_t>& widths, const std::vector<std::string>& row);
std::string format_row(const std::vector<std::string>& row, const std::vector<std::size_t>& widths);

// Renders Rich-style console markup ("[bold red]x[/bold red]", the styles
// bold, dim, italic, underline and the eight basic colours): as ANSI escapes
// when `ansi`, else with the tags stripped. Brackets that are not such a tag
// are kept literally.
std::string render_markup(std::string_view text, bool ansi);

// `text` made safe to print as text output (docs/cli.md#terminal-output):
// control characters that a terminal would act on are shown as escapes, so
// ids and texts from a JSONL file or an MCP result cannot move the cursor,
// set the window title or write the clipboard. C0 controls other than \n and
// \t, DEL and each byte of invalid UTF-8 become "\xNN"; C1 controls
// (U+0080-U+009F) and the bidi overrides and isolates (U+202A-U+202E,
// U+2066-U+2069) become "\uXXXX". Everything else is kept as is. Applied
// whether or not stdout is a terminal; --json output does not use it.
std::string terminal_text(std::string_view text);

// True when stdout is a terminal.
bool stdout_is_tty();

// A one-line progress bar redrawn in place on stdout. Silent unless enabled
// (stdout is a terminal and the output is not --json); redraws at most every
// 100 ms so a fast loop is not slowed down by the terminal.
class Progress {
 public:
  Progress(std::string label, std::int64_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(std::int64_t done);
  // Erases the bar so that the next line starts clean.
  void finish();

 private:
  void draw(std::int64_t done);

  std::string label_;
  std::int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace contextweaver::cli
