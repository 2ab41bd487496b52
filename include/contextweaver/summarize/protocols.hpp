// The pluggable summarizer and extractor protocols (protocols.py) used by the
// context firewall. Implementations may throw: the firewall turns a throw into
// an "error" / "partial" envelope instead of failing the build. They are
// called on the thread that runs ContextManager::build; an implementation
// shared by managers on several threads must be safe to call concurrently
// (the built-in ones are: their methods are const and keep no state).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"

namespace contextweaver {

class Summarizer {
 public:
  virtual ~Summarizer() = default;
  // A short text standing in for `raw` in the prompt. `metadata` is a copy of the item's.
  virtual std::string summarize(std::string_view raw, const Json& metadata) const = 0;
};

class Extractor {
 public:
  virtual ~Extractor() = default;
  // Facts found in `raw`, in order.
  virtual std::vector<std::string> extract(std::string_view raw, const Json& metadata) const = 0;
};

}  // namespace contextweaver
