// Private to the context module: what ContextManager::build derives from each
// log item alone, kept between builds (docs/context.md#warm-builds). The log
// is append-only, so records for positions [0, n) stay valid while the log is
// the one cached and the inputs they depend on (policy, scoring config) are
// unchanged; a build reads only the items appended since. Records are light
// (no item texts): a build re-reads the few items it renders.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/context/config.hpp"
#include "contextweaver/context/envelope.hpp"
#include "contextweaver/context/sensitivity.hpp"
#include "contextweaver/core/text_terms.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/store/event_log.hpp"
#include "contextweaver/summarize/protocols.hpp"
#include "contextweaver/tokens/estimator.hpp"
#include "near_duplicates.hpp"

namespace contextweaver::context_detail {

// The collaborators every record depends on; fixed for a manager's life
// except policy and scoring, which reset the cache when they change.
struct CacheInputs {
  const TokenEstimator* estimator = nullptr;
  const Summarizer* summarizer = nullptr;
  const Extractor* extractor = nullptr;
};

// A tool result the firewall intercepts, precomputed without the store: the
// artifact ref it gets (handle, media type, size, label, sha256) does not
// depend on the store's state, only the write does.
struct FirewallRecord {
  // summary = the processed text, artifacts[0] = the ref; shared with every
  // pack that lists it (EnvelopeList), never changed once made.
  std::shared_ptr<const ResultEnvelope> envelope;
  std::int64_t token_estimate = 0;
  bool written = false;    // stored by a build of this cache already
  std::string raw;         // the bytes to store; released once written
  std::string media_type;  // of the write
};

class BuildCache {
 public:
  static constexpr std::int32_t kNoParent = -1;
  static constexpr std::uint32_t kNoClass = UINT32_MAX;

  BuildCache(const ContextPolicy& policy, const ScoringConfig& scoring, CacheInputs inputs);

  // Whether the records were derived under these settings.
  bool matches(const ContextPolicy& policy, const ScoringConfig& scoring) const {
    return policy == policy_ && scoring == scoring_;
  }

  // Brings the records up to the end of `log`: reads only positions >= size()
  // when the log still starts with the cached items (count() >= size() and the
  // id at size()-1 unchanged), else starts again from position 0. Writes
  // nothing anywhere; what the summarizer/extractor/estimator/redaction hooks
  // throw propagates and leaves the records of earlier positions intact.
  void sync(const EventLog& log);

  std::size_t size() const { return kind_.size(); }

  // --- Per position (all < size()).
  ItemKind log_kind(std::size_t i) const { return static_cast<ItemKind>(log_kind_[i]); }  // candidate filter
  std::string_view log_id(std::size_t i) const { return ids_[i]; }                        // as in the log
  // Processed (after sensitivity and firewall), for scoring, order and selection.
  ItemKind kind(std::size_t i) const { return static_cast<ItemKind>(kind_[i]); }
  std::string_view id(std::size_t i) const;
  std::int32_t parent(std::size_t i) const { return parent_[i]; }  // first position of the parent id, or kNoParent
  bool dropped(std::size_t i) const { return flags_[i] & kDropped; }
  bool redacted(std::size_t i) const { return flags_[i] & kRedacted; }
  const FirewallRecord* firewall(std::size_t i) const;
  FirewallRecord* firewall(std::size_t i);
  std::span<const std::uint32_t> tokens(std::size_t i) const {
    return std::span<const std::uint32_t>(token_pool_).subspan(token_begin_[i], token_begin_[i + 1] - token_begin_[i]);
  }
  double kind_priority(std::size_t i) const { return kind_priority_[i]; }
  double penalty(std::size_t i) const { return penalty_[i]; }
  std::int64_t cost(std::size_t i) const { return cost_[i]; }  // est(render_item(processed))
  // Sorted unique tags of the processed metadata (empty when there are none).
  const std::vector<std::string>& tags(std::size_t i) const { return tag_sets_[tag_index_[i]]; }
  // Dedup class: items with identical token sets share one; kNoClass when dropped.
  std::uint32_t dedup_class(std::size_t i) const { return class_[i]; }

  // --- Dedup classes (only when dedup_by_index()).
  // Whether dedup goes through the class graph (0 < threshold <= 1).
  bool dedup_by_index() const { return use_index_; }
  // Classes similar to class c (Jaccard >= threshold), c itself included when it is similar to itself.
  const std::vector<std::uint32_t>& neighbours(std::uint32_t c) const { return adjacency_[c]; }
  // Whether class c has a neighbour other than itself, or is similar to
  // itself and held by two or more items: only such items can be removed by
  // dedup or remove another, so only they need the walk in order.
  bool linked(std::uint32_t c) const { return linked_[c] != 0; }
  std::size_t class_count() const { return adjacency_.size(); }

  // The unique query tokens known to the vocabulary (as a mask over ids) and
  // how many unique tokens the query has in all; cached per query string.
  struct QueryTokens {
    std::vector<std::uint32_t> ids;     // known ids of the query's tokens
    std::size_t unique_count = 0;       // including tokens no item holds
    std::vector<std::uint32_t> common;  // per position: |tokens(i) ∩ query|
  };
  const QueryTokens& query_tokens(std::string_view query);

  // The processed item at position i given the log's item there (re-read by
  // the caller): redaction re-applied from the cache, firewall fields set
  // unless `before_firewall`.
  ContextItem processed(std::size_t i, ContextItem log_item, bool before_firewall = false) const;

  const std::vector<std::shared_ptr<const RedactionHook>>& redaction_hooks() const { return hooks_; }

 private:
  enum : std::uint8_t { kDropped = 1, kRedacted = 2, kFirewalled = 4, kIdChanged = 8 };

  void clear();
  void add(ContextItem&& item);
  void resolve_pending();
  std::int64_t find_first(std::string_view id) const;  // first position with this id, or -1
  void index_id(std::size_t pos);
  void add_to_dedup(std::size_t pos);

  ContextPolicy policy_;
  ScoringConfig scoring_;
  CacheInputs inputs_;
  std::vector<std::shared_ptr<const RedactionHook>> hooks_;
  bool use_index_ = false;

  std::vector<std::string> ids_;
  std::vector<std::uint8_t> log_kind_;
  std::vector<std::uint8_t> kind_;
  std::vector<std::uint8_t> flags_;
  std::vector<std::int32_t> parent_;
  std::vector<std::pair<std::uint32_t, std::string>> pending_parents_;  // parent id not (yet) in the log
  std::vector<std::uint32_t> id_slots_;                                 // open addressing: position + 1, 0 = empty
  std::size_t id_count_ = 0;

  TokenVocabulary vocabulary_;
  std::vector<std::uint32_t> token_pool_;    // every item's sorted ids, back to back
  std::vector<std::size_t> token_begin_{0};  // item i: [token_begin_[i], token_begin_[i + 1])
  std::vector<double> kind_priority_;
  std::vector<double> penalty_;
  std::vector<std::int64_t> cost_;
  std::vector<std::uint32_t> tag_index_;                       // per position: its set in tag_sets_
  std::vector<std::vector<std::string>> tag_sets_;             // distinct tag sets; [0] is the empty one
  std::map<std::vector<std::string>, std::uint32_t> tag_ids_;  // set -> index in tag_sets_
  std::vector<std::uint32_t> firewall_index_;                  // per position: index in firewall_, or UINT32_MAX
  std::vector<FirewallRecord> firewall_;
  std::map<std::uint32_t, ContextItem> redacted_;  // processed by the redaction hooks (before the firewall)

  std::vector<std::uint32_t> class_;
  std::vector<std::uint32_t> class_rep_;  // a position holding the class's set
  std::vector<std::vector<std::uint32_t>> adjacency_;
  std::vector<std::uint8_t> linked_;        // per class: see linked()
  std::vector<std::uint8_t> self_similar_;  // per class: in its own adjacency
  std::vector<std::uint32_t> class_size_;   // per class: items holding it
  std::vector<std::uint32_t> class_slots_;  // open addressing over set hashes: class + 1
  std::vector<std::uint64_t> class_hash_;
  std::unique_ptr<NearDuplicateIndex> index_;
  std::vector<std::uint32_t> scratch_similar_;

  std::map<std::string, QueryTokens, std::less<>> queries_;
};

}  // namespace contextweaver::context_detail
