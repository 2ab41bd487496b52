#include "jsonl_events.hpp"

#include <array>
#include <string>

#include <fmt/format.h>

#include "fileio.hpp"
#include "json_input.hpp"
#include "output.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/py_str.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/core/unicode_fast.hpp"

namespace contextweaver::cli {

namespace {

constexpr std::array<std::string_view, 6> kReservedKeys = {"id",      "type",      "text",
                                                           "content", "parent_id", "token_estimate"};

bool is_reserved(std::string_view key) {
  for (auto reserved : kReservedKeys) {
    if (key == reserved) return true;
  }
  return false;
}

ItemKind kind_of(const Json& object) {
  const auto it = object.find("type");
  if (it == object.end() || !it->is_string()) return ItemKind::user_turn;
  for (ItemKind kind : kAllItemKinds) {
    if (to_string(kind) == it->get_ref<const std::string&>()) return kind;
  }
  return ItemKind::user_turn;
}

// The string `value` holds, moved out of the line's parsed object (which is
// dropped right after).
std::string take_string(Json& value) {
  return std::move(value.get_ref<std::string&>());
}

JsonlEvent parse_line(std::string_view line, std::size_t lineno) {
  Json object;
  try {
    object = loads(line, LoadOptions{true});
  } catch (const JsonDecodeError& e) {
    throw ValueError(fmt::format("{}: invalid JSON \u2014 {}", lineno, e.what()));
  }
  if (!object.is_object())
    throw ValueError(fmt::format("{}: expected a JSON object, got {}", lineno, py_type_name(object)));
  // Accepted by the reader as Python's json does, but no standard JSON parser reads them back
  // (docs/formats.md#numbers).
  if (const std::size_t offset = non_finite_number_offset(line); offset != std::string_view::npos) {
    throw ValueError(fmt::format("{}: {} is not a valid JSON number (NaN and infinities are not allowed)", lineno,
                                 number_token_at(line, offset)));
  }

  JsonlEvent item;
  item.kind = kind_of(object);
  if (const auto it = object.find("id"); it != object.end()) {
    if (!it->is_string()) throw ValueError(fmt::format("{}: 'id' must be a string, got {}", lineno, py_type_name(*it)));
    item.id = take_string(*it);
  } else {
    item.id = fmt::format("line-{}", lineno);
  }
  // obj.get("text") or obj.get("content", ""): a falsy text falls back to content.
  const auto text = object.find("text");
  if (text != object.end() && py_truthy(*text)) {
    item.text = text->is_string() ? take_string(*text) : py_str(*text);
  } else if (const auto content = object.find("content"); content != object.end()) {
    item.text = content->is_string() ? take_string(*content) : py_str(*content);
  }
  if (const auto it = object.find("parent_id"); it != object.end() && !it->is_null()) {
    if (!it->is_string()) {
      throw ValueError(fmt::format("{}: 'parent_id' must be a string, got {}", lineno, py_type_name(*it)));
    }
    item.parent_id = take_string(*it);
  }
  if (const auto it = object.find("token_estimate"); it != object.end()) {
    try {
      item.token_estimate = py_int(*it, "token_estimate");
    } catch (const ContextWeaverError& e) {
      throw ValueError(fmt::format("{}: {}", lineno, e.what()));
    }
  }
  // The keys are unique (the reader keeps the last value of a repeated key),
  // so the other members move over as they are, in file order.
  for (auto& member : object.get_ref<Json::object_t&>()) {
    if (is_reserved(member.first)) continue;
    if (item.metadata.is_null()) item.metadata = Json::object();
    item.metadata.get_ref<Json::object_t&>().emplace_back(member.first, std::move(member.second));
  }
  return item;
}

// The reference's lines of a JSONL text — splitlines(text.strip()) — from
// the text's pieces in order, holding at most one line: whitespace before the
// first line with content is dropped, as is whitespace after the last one
// (which is held until the next piece shows it is not last).
class LineSplitter {
 public:
  LineSplitter(std::string_view source, std::vector<JsonlEvent>& items) : source_(source), items_(items) {}

  // One logical line (a piece of splitlines' result).
  void add(std::string_view line) {
    const std::string_view content = py_strip_fast(line);
    if (!started_) {
      if (content.empty()) return;  // leading whitespace
      started_ = true;
      held_.assign(content.data(), line.data() + line.size());  // lstrip
      return;
    }
    if (content.empty()) {  // blank so far: an error only if content follows
      if (blank_count_++ == 0) first_blank_ = line;
      return;
    }
    emit(held_);
    for (std::size_t i = 0; i < blank_count_; ++i) emit(first_blank_);
    blank_count_ = 0;
    held_.assign(line);
  }

  // End of text: the last line with content, right-stripped.
  void finish() {
    if (started_) emit(py_strip_fast(held_));
    started_ = false;
  }

 private:
  void emit(std::string_view line) {
    const std::size_t lineno = items_.size() + 1;
    try {
      items_.push_back(parse_line(line, lineno));
    } catch (const ValueError& e) {
      throw ValueError(fmt::format("{}:{}", source_, e.what()));
    }
  }

  std::string_view source_;
  std::vector<JsonlEvent>& items_;
  bool started_ = false;
  std::string held_;
  std::size_t blank_count_ = 0;
  std::string first_blank_;
};

// Moves each line's fields into an item.
std::vector<ContextItem> take_items(std::vector<JsonlEvent>&& events) {
  std::vector<ContextItem> items;
  items.reserve(events.size());
  for (auto& event : events) items.push_back(event.take_item());
  return items;
}

}  // namespace

ContextItem JsonlEvent::take_item() {
  ContextItem item;
  item.id = std::move(id);
  item.kind = kind;
  item.text = std::move(text);
  item.token_estimate = token_estimate;
  if (!metadata.is_null()) item.metadata = std::move(metadata);
  item.parent_id = std::move(parent_id);
  parent_id.reset();
  return item;
}

std::vector<ContextItem> parse_jsonl_events(std::string_view text, std::string_view source) {
  std::vector<JsonlEvent> events;
  LineSplitter splitter(source, events);
  for (std::string_view line : splitlines_fast(text)) splitter.add(line);
  splitter.finish();
  return take_items(std::move(events));
}

std::vector<ContextItem> load_jsonl_events(const std::filesystem::path& path, std::size_t max_line_bytes) {
  return take_items(load_jsonl_event_lines(path, max_line_bytes));
}

std::vector<JsonlEvent> load_jsonl_event_lines(const std::filesystem::path& path, std::size_t max_line_bytes) {
  std::vector<JsonlEvent> items;
  const std::string source = path.string();
  LineSplitter splitter(source, items);
  LineReader reader(path, max_line_bytes);
  std::string segment;
  while (reader.next(segment)) {
    // '\n' always ends a line, so splitting each segment (with its '\n', which
    // keeps "\r\n" one break) gives splitlines of the whole text. Most
    // segments hold no other break: one line, found without splitting.
    if (only_newline_breaks(segment)) {
      std::string_view line = segment;
      if (line.back() == '\n') line.remove_suffix(1);
      splitter.add(line);
      continue;
    }
    for (std::string_view line : splitlines(segment)) splitter.add(line);
  }
  splitter.finish();
  return items;
}

}  // namespace contextweaver::cli
