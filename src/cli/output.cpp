#include "output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

namespace {

bool g_stdout_was_closed = false;
int g_write_error = 0;  // errno of the first failed flush of stdout; 0 while none failed

// Flushes std::cout (and so stdout) and keeps the reason of the first failure:
// stdio reports a write error once, at the flush that hit it.
void flush_stdout() {
  errno = 0;
  std::cout.flush();
  const int error = errno;
  if (g_write_error == 0 && (!std::cout.good() || std::ferror(stdout) != 0)) g_write_error = error != 0 ? error : -1;
}

}  // namespace

void guard_stdout() {
  if (::fcntl(STDOUT_FILENO, F_GETFD) != -1 || errno != EBADF) return;
  g_stdout_was_closed = true;
  const int fd = ::open("/dev/null", O_WRONLY);
  if (fd < 0 || fd == STDOUT_FILENO) return;
  ::dup2(fd, STDOUT_FILENO);
  if (fd > STDERR_FILENO) ::close(fd);  // a lower one fills a closed stdin or stderr: keep it
}

std::string finish_stdout() {
  if (g_stdout_was_closed) return "cannot write the output: stdout is closed";
  flush_stdout();
  if (g_write_error == 0) return {};
  return std::string("cannot write the output: ") + (g_write_error > 0 ? std::strerror(g_write_error) : "write error");
}

void print_json(const Json& value) {
  std::cout << dumps(value, DumpOptions{false, 2, true}) << '\n';
  flush_stdout();
}

std::string to_json_file_text(const Json& value) {
  return dumps(value, kOutputJson) + "\n";
}

void print_json_streamed(const std::function<void(JsonStreamWriter&)>& write) {
  JsonStreamWriter writer(std::cout, kOutputJson);
  write(writer);
  writer.finish();
  std::cout << '\n';
  flush_stdout();
}

void write_item_json(JsonStreamWriter& writer, const ContextItem& item) {
  // The keys and values of ContextItem::to_dict, in its order.
  writer.begin_object();
  writer.key("id");
  writer.string(item.id);
  writer.key("kind");
  writer.string(to_string(item.kind));
  writer.key("text");
  writer.string(item.text);
  writer.key("token_estimate");
  writer.integer(item.token_estimate);
  writer.key("sensitivity");
  writer.string(to_string(item.sensitivity));
  writer.key("metadata");
  writer.value(item.metadata);
  writer.key("parent_id");
  if (item.parent_id) {
    writer.string(*item.parent_id);
  } else {
    writer.null();
  }
  writer.key("artifact_ref");
  if (item.artifact_ref) {
    writer.value(item.artifact_ref->to_dict());
  } else {
    writer.null();
  }
  writer.end_object();
}

std::string repr_str_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += py_repr(values[i]);
  }
  return out + "]";
}

void widen_columns(std::vector<std::size_t>& widths, const std::vector<std::string>& row) {
  if (row.size() > widths.size()) widths.resize(row.size(), 0);
  for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], code_point_count(row[c]));
}

std::string format_row(const std::vector<std::string>& row, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t c = 0; c < row.size(); ++c) {
    line += row[c];
    if (c + 1 < row.size()) line.append(widths[c] - code_point_count(row[c]) + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) widen_columns(widths, row);
  std::string out;
  for (const auto& row : rows) out += format_row(row, widths);
  return out;
}

namespace {

// The SGR code of a style word, or "" when it is not one.
std::string_view sgr_code(std::string_view word) {
  static constexpr std::pair<std::string_view, std::string_view> kStyles[] = {
      {"bold", "1"},   {"dim", "2"},     {"italic", "3"}, {"underline", "4"}, {"black", "30"}, {"red", "31"},
      {"green", "32"}, {"yellow", "33"}, {"blue", "34"},  {"magenta", "35"},  {"cyan", "36"},  {"white", "37"}};
  for (const auto& [name, code] : kStyles) {
    if (name == word) return code;
  }
  return {};
}

// The SGR sequence of a tag body ("bold red"), or nullopt when a word is not a style.
std::optional<std::string> tag_sequence(std::string_view body) {
  std::string codes;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t end = std::min(body.find(' ', pos), body.size());
    const std::string_view code = sgr_code(body.substr(pos, end - pos));
    if (code.empty()) return std::nullopt;
    codes += (codes.empty() ? "" : ";") + std::string(code);
    pos = end + 1;
  }
  if (codes.empty()) return std::nullopt;
  return "\x1b[" + codes + "m";
}

}  // namespace

std::string render_markup(std::string_view text, bool ansi) {
  std::string out;
  std::vector<std::string> open;  // the sequences of the tags still open
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t bracket = text.find('[', pos);
    const std::size_t close = bracket == std::string_view::npos ? bracket : text.find(']', bracket);
    if (close == std::string_view::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, bracket - pos);
    std::string_view body = text.substr(bracket + 1, close - bracket - 1);
    const bool closing = !body.empty() && body.front() == '/';
    if (closing) body.remove_prefix(1);
    const auto sequence = tag_sequence(body);
    if (!sequence || (closing && open.empty())) {
      out += '[';  // not markup: keep the bracket and rescan after it
      pos = bracket + 1;
      continue;
    }
    if (closing) {
      open.pop_back();
      if (ansi) {
        out += "\x1b[0m";
        for (const auto& seq : open) out += seq;
      }
    } else {
      open.push_back(*sequence);
      if (ansi) out += *sequence;
    }
    pos = close + 1;
  }
  if (ansi && !open.empty()) out += "\x1b[0m";
  return out;
}

namespace {

bool is_unsafe_code_point(char32_t cp) {
  return (cp < 0x20 && cp != U'\n' && cp != U'\t') || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string terminal_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const char32_t cp = decode_code_point(text, pos);
    const std::string_view bytes = text.substr(start, pos - start);
    if (cp == kReplacementChar && bytes != "\xEF\xBF\xBD") {
      for (char byte : bytes) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(byte));
    } else if (cp < 0x80 && is_unsafe_code_point(cp)) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    } else if (is_unsafe_code_point(cp)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      out += bytes;
    }
  }
  return out;
}

bool stdout_is_tty() {
  return ::isatty(STDOUT_FILENO) == 1;
}

Progress::Progress(std::string label, std::int64_t total, bool enabled)
    : label_(std::move(label)), total_(std::max<std::int64_t>(total, 0)), enabled_(enabled) {}

Progress::~Progress() {
  finish();
}

void Progress::update(std::int64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(done);
}

void Progress::draw(std::int64_t done) {
  constexpr int kWidth = 30;
  const std::int64_t clamped = std::clamp<std::int64_t>(done, 0, total_);
  const int filled = total_ > 0 ? static_cast<int>(clamped * kWidth / total_) : kWidth;
  const int percent = total_ > 0 ? static_cast<int>(clamped * 100 / total_) : 100;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '-');
  std::cout << '\r' << label_ << " [" << bar << "] " << clamped << '/' << total_ << " (" << percent << "%)";
  flush_stdout();
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  // "\r" + erase-line: the bar disappears and the summary starts in column 0.
  std::cout << "\r\x1b[2K";
  flush_stdout();
  drawn_ = false;
}

}  // namespace contextweaver::cli
