// Rule-based summarization (summarize/rules.py): a rule engine choosing a
// summarizer name by media type and tags, and RuleBasedSummarizer. Neither is
// wired into the pipeline by default (as in the reference).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/summarize/protocols.hpp"

namespace contextweaver {

struct SummarizationRule {
  std::string media_type_prefix;
  std::vector<std::string> required_tags;
  std::string summarizer_name = "default";
  std::int64_t priority = 0;

  // True when the prefix is empty or starts `media_type`, and every required
  // tag is in metadata["tags"] (a list of strings; anything else holds no tags).
  bool matches(std::string_view media_type, const Json& metadata) const;
  bool operator==(const SummarizationRule&) const = default;
};

// Not thread-safe while add_rule() runs; resolve() and all_rules() only read,
// so they may run concurrently.
class RuleEngine {
 public:
  RuleEngine() = default;
  explicit RuleEngine(std::vector<SummarizationRule> rules);

  // Adds a rule; rules stay stable-sorted by priority, highest first.
  void add_rule(SummarizationRule rule);

  // The summarizer name of the first matching rule, else "default".
  std::string resolve(std::string_view media_type, const Json& metadata) const;

  // A copy of the rules in evaluation order.
  std::vector<SummarizationRule> all_rules() const { return rules_; }

 private:
  std::vector<SummarizationRule> rules_;
};

// Immutable: thread-safe.
class RuleBasedSummarizer final : public Summarizer {
 public:
  explicit RuleBasedSummarizer(std::int64_t max_chars = 500) : max_chars_(max_chars) {}

  // "(empty)" for blank input; JSON object/array shape; else the lines that
  // mention error/success/status/…; else the head and tail around
  // "\n[...truncated...]\n". The result never exceeds max_chars code points
  // (docs/compat.md C9), except "(empty)".
  std::string summarize(std::string_view raw, const Json& metadata) const override;

  std::int64_t max_chars() const { return max_chars_; }

 private:
  std::int64_t max_chars_;
};

}  // namespace contextweaver
