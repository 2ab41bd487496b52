// Pipeline stage 4: the context firewall (context/firewall.py). Raw tool
// results go to the artifact store; the prompt sees a summary, and the caller
// gets a ResultEnvelope with facts, the artifact ref and views.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contextweaver/context/envelope.hpp"
#include "contextweaver/context/hooks.hpp"
#include "contextweaver/context/views.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "contextweaver/summarize/protocols.hpp"
#include "contextweaver/tokens/estimator.hpp"

namespace contextweaver {

// Optional collaborators of the firewall; null members take the defaults
// (no hook, default view registry, default summary, extract_facts, len // 4).
struct FirewallOptions {
  EventHook* hook = nullptr;
  const ViewRegistry* view_registry = nullptr;
  const Summarizer* summarizer = nullptr;
  const Extractor* extractor = nullptr;
  const TokenEstimator* estimator = nullptr;
};

// The built-in summary: the first paragraph (text before the first "\n\n"),
// stripped, cut to `max_chars` code points plus "…" when longer.
std::string default_summary(std::string_view raw, std::size_t max_chars = 500);

// Intercepts one item. Not a tool_result, or already carrying a ref with a
// content_hash: returned unchanged with no envelope. Otherwise the raw text is
// stored at "artifact:<id>" (skipped when identical bytes are already there,
// docs/compat.md C5), and the item comes back with text = summary, token_estimate
// = estimator(summary), artifact_ref = stored ref + sha256 content_hash, and
// its sensitivity kept (C5). A throwing summarizer gives status "error" and
// "(summary unavailable)"; a throwing extractor gives [] and "partial".
// Store failures propagate (nothing is half-written by the firewall itself).
std::pair<ContextItem, std::optional<ResultEnvelope>> apply_firewall(const ContextItem& item, ArtifactStore& store,
                                                                     const FirewallOptions& options = {});

// apply_firewall over a list, order kept; envelopes of the intercepted items in order.
std::pair<std::vector<ContextItem>, std::vector<ResultEnvelope>> apply_firewall_to_batch(
    std::vector<ContextItem> items, ArtifactStore& store, const FirewallOptions& options = {});

}  // namespace contextweaver
