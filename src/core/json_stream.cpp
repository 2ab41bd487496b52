// JsonStreamWriter (json_stream.hpp): the layout of dumps()'s Writer
// (json_dump.cpp), one piece at a time, with its encoders.
#include "contextweaver/core/json_stream.hpp"

#include <ostream>
#include <utility>

#include "contextweaver/core/errors.hpp"
#include "json_encode.hpp"

namespace contextweaver {

JsonStreamWriter::JsonStreamWriter(Sink sink, const DumpOptions& options, std::size_t buffer_bytes)
    : sink_(std::move(sink)), options_(options), buffer_bytes_(buffer_bytes) {
  buffer_.reserve(buffer_bytes_ + buffer_bytes_ / 4);
}

JsonStreamWriter::JsonStreamWriter(std::ostream& out, const DumpOptions& options, std::size_t buffer_bytes)
    : JsonStreamWriter(
          [&out](std::string_view bytes) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); },
          options, buffer_bytes) {}

void JsonStreamWriter::newline(std::size_t depth) {
  buffer_ += '\n';
  buffer_.append(depth * static_cast<std::size_t>(options_.indent), ' ');
}

void JsonStreamWriter::before_value() {
  if (stack_.empty()) {
    if (done_) throw ValueError("JsonStreamWriter: the document is already complete");
    return;
  }
  Level& level = stack_.back();
  if (level.object) {
    if (!key_pending_) throw ValueError("JsonStreamWriter: an object member needs key() first");
    key_pending_ = false;
    return;  // the separator came with the key
  }
  if (level.count++ > 0) buffer_ += options_.indent >= 0 ? "," : ", ";
  if (options_.indent >= 0) newline(stack_.size());
}

void JsonStreamWriter::key(std::string_view name) {
  if (stack_.empty() || !stack_.back().object || key_pending_) {
    throw ValueError("JsonStreamWriter: key() outside an object or twice in a row");
  }
  Level& level = stack_.back();
  if (level.count++ > 0) buffer_ += options_.indent >= 0 ? "," : ", ";
  if (options_.indent >= 0) newline(stack_.size());
  json_detail::append_string(buffer_, name, options_.ensure_ascii);
  buffer_ += ": ";
  key_pending_ = true;
}

void JsonStreamWriter::begin_object() {
  before_value();
  buffer_ += '{';
  stack_.push_back(Level{true});
}

void JsonStreamWriter::begin_array() {
  before_value();
  buffer_ += '[';
  stack_.push_back(Level{false});
}

void JsonStreamWriter::close(bool object, char bracket) {
  if (stack_.empty() || stack_.back().object != object || key_pending_) {
    throw ValueError("JsonStreamWriter: a container closed that is not the innermost open one");
  }
  const bool empty = stack_.back().count == 0;
  stack_.pop_back();
  if (!empty && options_.indent >= 0) newline(stack_.size());
  buffer_ += bracket;
  if (stack_.empty()) done_ = true;
  maybe_flush();
}

void JsonStreamWriter::end_object() {
  close(true, '}');
}

void JsonStreamWriter::end_array() {
  close(false, ']');
}

void JsonStreamWriter::value(const Json& value) {
  before_value();
  json_detail::append_value(buffer_, value, options_, static_cast<int>(stack_.size()));
  if (stack_.empty()) done_ = true;
  maybe_flush();
}

void JsonStreamWriter::string(std::string_view text) {
  before_value();
  json_detail::append_string(buffer_, text, options_.ensure_ascii);
  if (stack_.empty()) done_ = true;
  maybe_flush();
}

void JsonStreamWriter::integer(std::int64_t number) {
  before_value();
  buffer_ += std::to_string(number);
  if (stack_.empty()) done_ = true;
}

void JsonStreamWriter::null() {
  before_value();
  buffer_ += "null";
  if (stack_.empty()) done_ = true;
}

void JsonStreamWriter::flush() {
  if (buffer_.empty()) return;
  sink_(buffer_);
  buffer_.clear();
}

void JsonStreamWriter::finish() {
  if (!done_) throw ValueError("JsonStreamWriter: the document is not complete");
  flush();
}

}  // namespace contextweaver
