// JsonStreamWriter: one JSON document written piece by piece, byte for byte
// as dumps() writes the whole value, so a large document (a session's export,
// a long log) is never held in memory (docs/cli.md#export--import).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

class JsonStreamWriter {
 public:
  // Receives the document's bytes in order, in pieces of about the buffer's size.
  using Sink = std::function<void(std::string_view)>;

  // `options.indent` and `options.ensure_ascii` apply as in dumps();
  // `options.sort_keys` applies inside the values given to value(), while the
  // keys given to key() keep their order. Bytes reach `sink` whenever about
  // `buffer_bytes` are pending, and at flush()/finish().
  JsonStreamWriter(Sink sink, const DumpOptions& options, std::size_t buffer_bytes = 64 * 1024);
  // Writes to `out` (its errors are the stream's state, as for any write to it).
  JsonStreamWriter(std::ostream& out, const DumpOptions& options, std::size_t buffer_bytes = 64 * 1024);

  // Pending bytes are dropped, not written: a writer destroyed by an
  // exception leaves only what was already flushed.
  ~JsonStreamWriter() = default;
  JsonStreamWriter(const JsonStreamWriter&) = delete;
  JsonStreamWriter& operator=(const JsonStreamWriter&) = delete;

  // Containers. An empty one prints as "[]" / "{}", as dumps() does.
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();

  // The next member's key (inside an object, before each value).
  void key(std::string_view name);

  // Values: the document itself, an array element, or the value after key().
  void value(const Json& value);  // written as dumps(value) at this depth
  void string(std::string_view text);
  void integer(std::int64_t number);
  void null();

  // Hands the pending bytes to the sink.
  void flush();
  // Checks that exactly one complete document was written (ValueError
  // otherwise: an unclosed container, nothing written) and flushes.
  void finish();

 private:
  struct Level {
    bool object;
    std::size_t count = 0;
  };
  // Before a value: the separator and indentation its position needs.
  void before_value();
  void newline(std::size_t depth);
  void close(bool object, char bracket);
  void maybe_flush() {
    if (buffer_.size() >= buffer_bytes_) flush();
  }

  Sink sink_;
  DumpOptions options_;
  std::size_t buffer_bytes_;
  std::string buffer_;
  std::vector<Level> stack_;
  bool key_pending_ = false;  // key() was written, its value not yet
  bool done_ = false;         // the top-level value is complete
};

}  // namespace contextweaver
