#include "contextweaver/context/firewall.hpp"

#include <exception>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/sha256.hpp"
#include "contextweaver/core/unicode.hpp"
#include "contextweaver/summarize/extract.hpp"
#include "contextweaver/core/unicode_fast.hpp"
#include "firewall_detail.hpp"
#include "json_object.hpp"

namespace contextweaver {

std::string default_summary(std::string_view raw, std::size_t max_chars) {
  std::string_view first = raw.substr(0, raw.find("\n\n"));
  std::string_view para = py_strip_fast(first);
  // Only text longer than max_chars code points needs counting past the cap.
  if (para.size() <= max_chars) return std::string(para);
  auto offsets_end = std::size_t{0};
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < para.size();) {
    if (count == max_chars) {
      offsets_end = pos;
      return std::string(para.substr(0, offsets_end)) + "\u2026";
    }
    decode_code_point(para, pos);
    ++count;
  }
  return std::string(para);
}

namespace context_detail {

std::string media_type_of(const Json& metadata) {
  if (metadata.is_object()) {
    if (auto it = metadata.find("media_type"); it != metadata.end()) {
      return it->is_string() ? it->get<std::string>() : dumps(*it);
    }
  }
  return "text/plain";
}

Interception intercept(std::string_view raw, const Json& metadata, const Summarizer* summarizer,
                       const Extractor* extractor) {
  Interception out;
  try {
    out.summary = summarizer ? summarizer->summarize(raw, metadata) : default_summary(raw);
  } catch (const std::exception&) {
    out.summary = "(summary unavailable)";
    out.status = "error";
  }
  try {
    out.facts = extractor ? extractor->extract(raw, metadata) : extract_facts(raw, metadata);
  } catch (const std::exception&) {
    out.facts.clear();
    if (out.status != "error") out.status = "partial";
  }
  return out;
}

}  // namespace context_detail

namespace {

using context_detail::media_type_of;

// Stores `raw` unless the same bytes, type and label are already there (C5).
ArtifactRef store_raw(ArtifactStore& store, const std::string& handle, std::string_view raw, const std::string& media,
                      const std::string& label) {
  if (store.exists(handle)) {
    ArtifactRef existing = store.ref(handle);
    if (existing.media_type == media && existing.label == label &&
        existing.size_bytes == static_cast<std::int64_t>(raw.size()) && store.get(handle) == raw) {
      return existing;
    }
  }
  return store.put(handle, raw, media, label);
}

// Intercepts `item` in place (only text, token_estimate and artifact_ref
// change; id, kind, sensitivity (C5), metadata and parent_id stay), so the
// batch path copies nothing. The hook sees the original item: it is called
// once everything else is done, just before the item is rewritten.
std::optional<ResultEnvelope> firewall_in_place(ContextItem& item, ArtifactStore& store,
                                                const FirewallOptions& options) {
  if (item.kind != ItemKind::tool_result) return std::nullopt;
  if (item.artifact_ref && !item.artifact_ref->content_hash.empty()) return std::nullopt;

  const std::string_view raw = item.text;
  const std::string handle = "artifact:" + item.id;
  ArtifactRef ref = store_raw(store, handle, raw, media_type_of(item.metadata), "raw tool result for " + item.id);
  ref.content_hash = sha256_hex(raw);

  auto [status, summary, facts] = context_detail::intercept(raw, item.metadata, options.summarizer, options.extractor);

  // Built member by member, in the field order: no default provenance
  // object to replace, and one copy of `ref` (an initializer list copies twice).
  std::vector<ViewSpec> views = generate_views(ref, raw, options.view_registry);
  std::vector<ArtifactRef> artifacts;
  artifacts.reserve(1);
  artifacts.push_back(ref);
  ResultEnvelope envelope{.status = std::move(status),
                          .summary = summary,
                          .facts = std::move(facts),
                          .artifacts = std::move(artifacts),
                          .views = std::move(views),
                          .provenance = object_of(std::pair{"source_item_id", std::string_view(item.id)})};

  const std::int64_t tokens = options.estimator ? options.estimator->estimate(summary)
                                                : static_cast<std::int64_t>(code_point_count(summary) / 4);
  if (options.hook) options.hook->on_firewall_triggered(item, "tool_result intercepted");
  item.token_estimate = tokens;
  item.text = std::move(summary);
  item.artifact_ref = std::move(ref);
  return envelope;
}

}  // namespace

std::pair<ContextItem, std::optional<ResultEnvelope>> apply_firewall(const ContextItem& item, ArtifactStore& store,
                                                                     const FirewallOptions& options) {
  ContextItem processed = item;
  auto envelope = firewall_in_place(processed, store, options);
  return {std::move(processed), std::move(envelope)};
}

std::pair<std::vector<ContextItem>, std::vector<ResultEnvelope>> apply_firewall_to_batch(
    std::vector<ContextItem> items, ArtifactStore& store, const FirewallOptions& options) {
  std::vector<ResultEnvelope> envelopes;
  for (auto& item : items) {
    if (auto envelope = firewall_in_place(item, store, options)) envelopes.push_back(std::move(*envelope));
  }
  return {std::move(items), std::move(envelopes)};
}

}  // namespace contextweaver
