// Pipeline stage 3: the sensitivity floor, dropping or redacting items
// (context/sensitivity.py), and the process-wide redaction hook registry.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "contextweaver/context/config.hpp"

namespace contextweaver {

// Rewrites an item that is at or above the sensitivity floor. Registered
// hooks are shared process-wide, so redact() must be safe to call
// concurrently (MaskRedactionHook is stateless).
class RedactionHook {
 public:
  virtual ~RedactionHook() = default;
  virtual ContextItem redact(const ContextItem& item) const = 0;
};

// "mask": text "[REDACTED: <sensitivity>]", token_estimate = len(text) // 4;
// other fields kept (the filter then removes artifact_ref, docs/compat.md C7).
class MaskRedactionHook final : public RedactionHook {
 public:
  ContextItem redact(const ContextItem& item) const override;
};

// Registers a hook under `name` for every manager in the process.
// PolicyViolationError "Redaction hook 'x' is already registered" on a repeat.
// Thread-safe, as are the two lookups below (one process-wide registry
// behind a mutex).
void register_redaction_hook(const std::string& name, std::shared_ptr<const RedactionHook> hook);

// The registered hook, or ConfigError "Unknown redaction hook 'x'. Available: ['mask', …]".
std::shared_ptr<const RedactionHook> get_redaction_hook(const std::string& name);

// Names of the registered hooks, sorted.
std::vector<std::string> redaction_hook_names();

// Validates policy.sensitivity_action ("drop" | "redact": ConfigError
// "Unknown sensitivity_action 'x'. Valid: ['drop', 'redact']") and, in redact
// mode, resolves the hooks (policy.redaction_hooks, or ["mask"]).
std::vector<std::shared_ptr<const RedactionHook>> resolve_redaction_hooks(const ContextPolicy& policy);

// Stage 3. Items at or above policy.sensitivity_floor are dropped (counted)
// or, in redact mode, passed through the hooks in order and kept without
// their artifact_ref (C7); order is preserved. Redact mode drops nothing.
// `dropped_items`, when given, receives the dropped items (for hooks).
std::pair<std::vector<ContextItem>, std::int64_t> apply_sensitivity_filter(
    std::vector<ContextItem> items, const ContextPolicy& policy, std::vector<ContextItem>* dropped_items = nullptr);

}  // namespace contextweaver
