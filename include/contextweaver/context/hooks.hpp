// Lifecycle hooks of the context engine (protocols.py EventHook). Every
// method has a no-op default, so a hook overrides only what it needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"

namespace contextweaver {

struct ContextPack;

// Called on the thread that runs the ContextManager call; a hook shared by
// managers on several threads must synchronize itself (MetricsHook does).
class EventHook {
 public:
  virtual ~EventHook() = default;
  // After every build, with the finished pack.
  virtual void on_context_built(const ContextPack& /*pack*/) {}
  // When the firewall intercepts a tool result (`item` is the original).
  virtual void on_firewall_triggered(const ContextItem& /*item*/, const std::string& /*reason*/) {}
  // When a build drops items; reason is "sensitivity", "dedup", "kind_limit"
  // or "budget" (docs/compat.md C8; the reference never called it).
  virtual void on_items_excluded(const std::vector<ContextItem>& /*items*/, const std::string& /*reason*/) {}
  // When budget drops happen: `requested` = what the considered items would
  // have cost plus the header/footer reservation, `budget` = the phase budget (C8).
  virtual void on_budget_exceeded(std::int64_t /*requested*/, std::int64_t /*budget*/) {}
  // After a routing call orchestrated through the manager.
  virtual void on_route_completed(const std::vector<std::string>& /*tool_ids*/) {}
  // Whether on_firewall_triggered and on_items_excluded do anything. A build
  // re-reads the items those calls pass from the event log, which costs as
  // much as the build itself on a long session, so it skips both calls for a
  // hook answering false (docs/context.md#warm-builds).
  virtual bool observes_items() const { return true; }
};

// The default hook: does nothing.
class NoOpHook final : public EventHook {
 public:
  bool observes_items() const override { return false; }
};

}  // namespace contextweaver
