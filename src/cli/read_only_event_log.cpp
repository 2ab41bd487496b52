#include "read_only_event_log.hpp"

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/pyconv.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver::cli {

namespace {

const ContextItem& checked(const ContextItem& item) {
  if (!is_valid_utf8(item.text)) throw ValueError("text of item " + py_repr(item.id) + " is not valid UTF-8");
  return item;
}

std::vector<ContextItem> checked(std::vector<ContextItem> items) {
  for (const auto& item : items) checked(item);
  return items;
}

[[noreturn]] void refuse() {
  throw StorageError("the session is open for reading only");
}

}  // namespace

void ReadOnlyEventLog::append(const ContextItem&) {
  refuse();
}

void ReadOnlyEventLog::append_many(std::span<const ContextItem>) {
  refuse();
}

ContextItem ReadOnlyEventLog::get(const std::string& id) const {
  ContextItem item = log_->get(id);
  checked(item);
  return item;
}

std::vector<ContextItem> ReadOnlyEventLog::all() const {
  return checked(log_->all());
}

std::size_t ReadOnlyEventLog::scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                                   std::size_t batch) const {
  return log_->scan(
      start,
      [&](ContextItem&& item) {
        checked(item);
        visit(std::move(item));
      },
      batch);
}

std::vector<ContextItem> ReadOnlyEventLog::filter_by_kind(std::span<const ItemKind> kinds) const {
  return checked(log_->filter_by_kind(kinds));
}

std::vector<ContextItem> ReadOnlyEventLog::tail(std::int64_t n) const {
  return checked(log_->tail(n));
}

std::vector<ContextItem> ReadOnlyEventLog::children(const std::string& parent_id) const {
  return checked(log_->children(parent_id));
}

std::optional<ContextItem> ReadOnlyEventLog::parent(const std::string& id) const {
  std::optional<ContextItem> item = log_->parent(id);
  if (item) checked(*item);
  return item;
}

std::vector<ContextItem> ReadOnlyEventLog::query(const std::optional<std::vector<ItemKind>>& kinds,
                                                 std::optional<std::int64_t> since,
                                                 std::optional<std::int64_t> limit) const {
  return checked(log_->query(kinds, since, limit));
}

}  // namespace contextweaver::cli
