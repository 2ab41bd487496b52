// Output types of the context engine (envelope.py): ResultEnvelope,
// BuildStats and ContextPack, with the reference's JSON shapes.
// (ChoiceCard, HydrationResult and RoutingDecision belong to the routing
// module, which defines them; the context module does not depend on routing.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

// An insertion-ordered string -> count map (a Python dict of ints).
using OrderedCounts = std::vector<std::pair<std::string, std::int64_t>>;
// Adds `n` to `key`, appending the key at the end when new.
void add_count(OrderedCounts& counts, const std::string& key, std::int64_t n = 1);
std::int64_t get_count(const OrderedCounts& counts, const std::string& key);

// What the firewall (or an ingest) returns for one tool result.
struct ResultEnvelope {
  std::string status = "ok";  // "ok" | "partial" | "error" (not validated, as in the reference)
  std::string summary;
  std::vector<std::string> facts;
  std::vector<ArtifactRef> artifacts;
  std::vector<ViewSpec> views;
  Json provenance = Json::object();

  // {"status","summary","facts","artifacts","views","provenance"}.
  Json to_dict() const;
  // status and summary required (KeyError); the rest default.
  static ResultEnvelope from_dict(const Json& data);
  bool operator==(const ResultEnvelope&) const = default;
};

// The firewall envelopes of a build: reads like a const
// std::vector<ResultEnvelope>, but each envelope is immutable and shared, so a
// warm ContextManager hands the envelopes it already made to every later
// build (a build over 25,000 intercepted results copies pointers, not
// envelopes), and copying a pack copies no envelope. Equality compares the
// envelopes' values. A plain value: const access may be shared between threads.
class EnvelopeList {
  using Shared = std::shared_ptr<const ResultEnvelope>;

 public:
  using value_type = ResultEnvelope;

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = ResultEnvelope;
    using difference_type = std::ptrdiff_t;
    using pointer = const ResultEnvelope*;
    using reference = const ResultEnvelope&;

    const_iterator() = default;
    explicit const_iterator(std::vector<Shared>::const_iterator it) : it_(it) {}
    reference operator*() const { return **it_; }
    pointer operator->() const { return it_->get(); }
    reference operator[](difference_type n) const { return *it_[n]; }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) { return const_iterator(it_++); }
    const_iterator& operator--() {
      --it_;
      return *this;
    }
    const_iterator operator--(int) { return const_iterator(it_--); }
    const_iterator& operator+=(difference_type n) {
      it_ += n;
      return *this;
    }
    const_iterator& operator-=(difference_type n) {
      it_ -= n;
      return *this;
    }
    friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
    friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
    friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) { return a.it_ - b.it_; }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.it_ == b.it_; }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.it_ <=> b.it_; }

   private:
    std::vector<Shared>::const_iterator it_;
  };

  EnvelopeList() = default;
  EnvelopeList(std::initializer_list<ResultEnvelope> envelopes);
  // Takes the envelopes of apply_firewall_to_batch (and the like) over.
  EnvelopeList(std::vector<ResultEnvelope> envelopes);

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const ResultEnvelope& operator[](std::size_t i) const { return *items_[i]; }
  // std::out_of_range when i >= size().
  const ResultEnvelope& at(std::size_t i) const { return *items_.at(i); }
  const ResultEnvelope& front() const { return *items_.front(); }
  const ResultEnvelope& back() const { return *items_.back(); }
  const_iterator begin() const { return const_iterator(items_.begin()); }
  const_iterator end() const { return const_iterator(items_.end()); }

  void reserve(std::size_t n) { items_.reserve(n); }
  void clear() { items_.clear(); }
  void push_back(ResultEnvelope envelope) {
    items_.push_back(std::make_shared<const ResultEnvelope>(std::move(envelope)));
  }
  // Shares an envelope someone else keeps (null is not allowed: ValueError).
  void push_back(std::shared_ptr<const ResultEnvelope> envelope);

  bool operator==(const EnvelopeList& other) const;

 private:
  std::vector<Shared> items_;
};

// Counters of one build (semantics of docs/compat.md C2/C3, see docs/context.md).
struct BuildStats {
  OrderedCounts tokens_per_section;
  std::int64_t total_candidates = 0;
  std::int64_t included_count = 0;
  std::int64_t dropped_count = 0;
  OrderedCounts dropped_reasons;
  std::int64_t dedup_removed = 0;
  std::int64_t dependency_closures = 0;
  std::int64_t header_footer_tokens = 0;

  // The reference's property: sum of tokens_per_section + header_footer_tokens.
  std::int64_t prompt_tokens() const;

  Json to_dict() const;
  // Every key optional (Python int()).
  static BuildStats from_dict(const Json& data);
  bool operator==(const BuildStats&) const = default;

  // The human-readable report: format "text" or "rich" (markup tags), with an
  // optional phase and budget (0 / nullopt = none). ValueError for another format.
  std::string report(std::string_view format = "text", std::optional<std::string> phase = std::nullopt,
                     std::optional<std::int64_t> budget = std::nullopt) const;
  // {"version":1,"phase","budget","prompt_tokens","tokens_per_section","candidates",
  //  "dropped_reasons","recommendations"} with sorted section and reason keys.
  Json report_dict(std::optional<std::string> phase = std::nullopt,
                   std::optional<std::int64_t> budget = std::nullopt) const;
};

inline constexpr int kBuildStatsReportVersion = 1;

// The result of a build: the prompt, its stats and the firewall's envelopes.
struct ContextPack {
  std::string prompt;
  BuildStats stats;
  Phase phase = Phase::answer;
  EnvelopeList envelopes;

  // {"prompt","stats","phase","envelopes"}.
  Json to_dict() const;
  // prompt required (KeyError); the rest default.
  static ContextPack from_dict(const Json& data);
  bool operator==(const ContextPack&) const = default;
};

}  // namespace contextweaver
