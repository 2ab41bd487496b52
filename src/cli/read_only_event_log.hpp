// A workspace session's event log as replay/stats' ContextManager sees it
// (docs/cli.md#replay): every read forwarded to the session's log,
// every write refused, so a build can never change the session it replays.
#pragma once

#include <memory>

#include "contextweaver/store/event_log.hpp"

namespace contextweaver::cli {

class ReadOnlyEventLog final : public EventLog {
 public:
  explicit ReadOnlyEventLog(std::shared_ptr<EventLog> log) : log_(std::move(log)) {}

  // StorageError "the session is open for reading only": replay never writes.
  void append(const ContextItem& item) override;
  void append_many(std::span<const ContextItem> items) override;
  // Reads: the session log's answers. An item whose text is not valid UTF-8
  // (only a foreign writer can store one) is ValueError "text of item 'x' is
  // not valid UTF-8", as re-ingesting it into a manager (the session JSON
  // path) reports.
  ContextItem get(const std::string& id) const override;
  std::vector<ContextItem> all() const override;
  std::size_t scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                   std::size_t batch = 1024) const override;
  std::vector<ContextItem> filter_by_kind(std::span<const ItemKind> kinds) const override;
  std::vector<ContextItem> tail(std::int64_t n) const override;
  std::vector<ContextItem> children(const std::string& parent_id) const override;
  std::optional<ContextItem> parent(const std::string& id) const override;
  std::vector<ContextItem> query(const std::optional<std::vector<ItemKind>>& kinds = std::nullopt,
                                 std::optional<std::int64_t> since = std::nullopt,
                                 std::optional<std::int64_t> limit = std::nullopt) const override;
  std::size_t count() const override { return log_->count(); }
  // The session closes its own log.
  void close() override {}

 private:
  std::shared_ptr<EventLog> log_;
};

}  // namespace contextweaver::cli
