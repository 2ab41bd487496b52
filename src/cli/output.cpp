#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

void print_json(const Json& value) {
  std::cout << dumps(value, DumpOptions{false, 2, true}) << '\n';
  std::cout.flush();
}

std::string to_json_file_text(const Json& value) {
  return dumps(value, DumpOptions{false, 2, true}) + "\n";
}

std::string repr_str_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += py_repr(values[i]);
  }
  return out + "]";
}

std::string repr_json(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return py_repr(value.get_ref<const std::string&>());
    case Json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case Json::value_t::null:
      return "None";
    case Json::value_t::number_float:
      return float_repr(value.get<double>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return value.dump();
    case Json::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ", ";
        first = false;
        out += repr_json(element);
      }
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, element] : value.items()) {
        if (!first) out += ", ";
        first = false;
        out += py_repr(key) + ": " + repr_json(element);
      }
      return out + "}";
    }
    default:
      return value.dump();
  }
}

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (row.size() > widths.size()) widths.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], code_point_count(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] - code_point_count(row[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
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
  std::cout << '\r' << label_ << " [" << bar << "] " << clamped << '/' << total_ << " (" << percent << "%)"
            << std::flush;
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  // "\r" + erase-line: the bar disappears and the summary starts in column 0.
  std::cout << "\r\x1b[2K" << std::flush;
  drawn_ = false;
}

}  // namespace contextweaver::cli
