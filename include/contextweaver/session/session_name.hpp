// SessionName: a validated session name (docs/sessions.md#names).
//
// A name becomes a folder of the workspace, so it is checked once, where a
// front end turns its input into a SessionName; everything that takes a
// SessionName trusts it and does not check again.
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace contextweaver {

class SessionName {
 public:
  // ValueError, naming the rule broken, unless `name` is valid: non-empty, at
  // most 128 bytes, not "." or "..", no '/', '\\', NUL or other control
  // character, valid UTF-8 without C1 controls (U+0080-U+009F) or bidi
  // overrides and isolates (U+202A-U+202E, U+2066-U+2069), so a name prints
  // as it reads, and not ending in ".json" (reserved so a front end may read
  // a value ending in ".json" as a session file, docs/cli.md). Thread-safe.
  explicit SessionName(std::string_view name);

  // Whether `name` is valid (no exception). Thread-safe.
  static bool is_valid(std::string_view name) noexcept;

  const std::string& str() const noexcept { return name_; }

  friend bool operator==(const SessionName&, const SessionName&) = default;
  friend auto operator<=>(const SessionName&, const SessionName&) = default;

 private:
  std::string name_;
};

}  // namespace contextweaver
