#include "contextweaver/context/sensitivity.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const RedactionHook>> hooks{{"mask", std::make_shared<MaskRedactionHook>()}};
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

ContextItem MaskRedactionHook::redact(const ContextItem& item) const {
  ContextItem out = item;
  out.text = "[REDACTED: " + std::string(to_string(item.sensitivity)) + "]";
  out.token_estimate = static_cast<std::int64_t>(code_point_count(out.text) / 4);
  return out;
}

void register_redaction_hook(const std::string& name, std::shared_ptr<const RedactionHook> hook) {
  if (!hook) throw ValueError("redaction hook " + py_repr(name) + " is null");
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (r.hooks.count(name)) throw PolicyViolationError("Redaction hook " + py_repr(name) + " is already registered");
  r.hooks.emplace(name, std::move(hook));
}

std::vector<std::string> redaction_hook_names() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, hook] : r.hooks) names.push_back(name);
  return names;
}

std::shared_ptr<const RedactionHook> get_redaction_hook(const std::string& name) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto it = r.hooks.find(name); it != r.hooks.end()) return it->second;
  std::string available = "[";
  bool first = true;
  for (const auto& [n, hook] : r.hooks) {
    available += (first ? "" : ", ") + py_repr(n);
    first = false;
  }
  throw ConfigError("Unknown redaction hook " + py_repr(name) + ". Available: " + available + "]");
}

std::vector<std::shared_ptr<const RedactionHook>> resolve_redaction_hooks(const ContextPolicy& policy) {
  if (policy.sensitivity_action != "drop" && policy.sensitivity_action != "redact") {
    throw ConfigError("Unknown sensitivity_action " + py_repr(policy.sensitivity_action) +
                      ". Valid: ['drop', 'redact']");
  }
  std::vector<std::shared_ptr<const RedactionHook>> hooks;
  if (policy.sensitivity_action == "redact") {
    const std::vector<std::string> names =
        policy.redaction_hooks.empty() ? std::vector<std::string>{"mask"} : policy.redaction_hooks;
    for (const auto& name : names) hooks.push_back(get_redaction_hook(name));
  }
  return hooks;
}

std::pair<std::vector<ContextItem>, std::int64_t> apply_sensitivity_filter(std::vector<ContextItem> items,
                                                                           const ContextPolicy& policy,
                                                                           std::vector<ContextItem>* dropped_items) {
  const auto hooks = resolve_redaction_hooks(policy);  // validates even for an empty list
  const bool redact = policy.sensitivity_action == "redact";
  const int floor = static_cast<int>(policy.sensitivity_floor);
  // Usually no item reaches the floor: the list is returned as it came.
  if (std::none_of(items.begin(), items.end(),
                   [floor](const ContextItem& item) { return static_cast<int>(item.sensitivity) >= floor; })) {
    return {std::move(items), 0};
  }
  std::vector<ContextItem> kept;
  kept.reserve(items.size());
  std::int64_t dropped = 0;
  for (auto& item : items) {
    if (static_cast<int>(item.sensitivity) < floor) {
      kept.push_back(std::move(item));
    } else if (redact) {
      ContextItem current = std::move(item);
      for (const auto& hook : hooks) current = hook->redact(current);
      current.artifact_ref.reset();  // docs/compat.md C7: redacted bytes stay out of reach
      kept.push_back(std::move(current));
    } else {
      ++dropped;
      if (dropped_items) dropped_items->push_back(std::move(item));
    }
  }
  return {std::move(kept), dropped};
}

}  // namespace contextweaver
