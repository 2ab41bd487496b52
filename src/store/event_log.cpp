// EventLog's default scan (event_log.hpp): pages through query(since, limit).
#include "contextweaver/store/event_log.hpp"

#include <algorithm>

namespace contextweaver {

std::size_t EventLog::scan(std::size_t start, const std::function<void(ContextItem&&)>& visit,
                           std::size_t batch) const {
  batch = std::max<std::size_t>(batch, 1);
  std::size_t visited = 0;
  for (;;) {
    std::vector<ContextItem> page =
        query(std::nullopt, static_cast<std::int64_t>(start + visited), static_cast<std::int64_t>(batch));
    for (auto& item : page) visit(std::move(item));
    visited += page.size();
    if (page.size() < batch) return visited;
  }
}

}  // namespace contextweaver
