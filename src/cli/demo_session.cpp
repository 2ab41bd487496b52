#include "demo_session.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace fs = std::filesystem;

namespace contextweaver::cli {

namespace {

constexpr const char* kMarker = ".demo-session";

ContextItem make_item(std::string id, ItemKind kind, std::string text, std::optional<std::string> parent = {}) {
  ContextItem item;
  item.id = std::move(id);
  item.kind = kind;
  item.text = std::move(text);
  item.parent_id = std::move(parent);
  return item;
}

}  // namespace

std::vector<ContextItem> demo_events() {
  return {
      make_item("u1", ItemKind::user_turn, "How many open invoices do we have?"),
      make_item("a1", ItemKind::agent_msg, "Let me check the billing system."),
      make_item("tc1", ItemKind::tool_call, "invoices.search(status='open')", "u1"),
      make_item("tr1", ItemKind::tool_result,
                "invoice_id: INV-001\nstatus: open\namount: 5000\n\n"
                "invoice_id: INV-002\nstatus: open\namount: 3200\n\n"
                "summary: 2 open invoices, total $8,200",
                "tc1"),
  };
}

bool is_demo_session(const Workspace& workspace, const SessionName& name) {
  std::error_code ec;
  return fs::exists(workspace.session_dir(name) / kMarker, ec);
}

void reset_demo_session(const Workspace& workspace, const SessionName& name) {
  if (workspace.exists(name) && !is_demo_session(workspace, name)) {
    throw ValueError(fmt::format(
        "session {} holds data that the demo did not write; run the demo with another --session (default: demo)",
        py_repr(name.str())));
  }
  workspace.clear(name);
  workspace.create(name);
  const fs::path marker = workspace.session_dir(name) / kMarker;
  const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw StorageError(fmt::format("cannot write '{}'", marker.string()));
  ::close(fd);
}

DemoPersistence read_demo_session(const Workspace& workspace, const SessionName& name) {
  const SessionStores stores = workspace.open_stores(name, SessionAccess::read);
  DemoPersistence result;
  result.database = workspace.database_path(name).string();
  result.artifacts_dir = workspace.artifacts_dir(name).string();
  for (const auto& item : stores.events().all()) result.event_ids_read.push_back(item.id);
  result.events_written = static_cast<std::int64_t>(result.event_ids_read.size());
  for (const auto& item : stores.events().children("tc1")) result.children_of_tc1.push_back(item.id);
  for (const auto& fact : stores.facts().all()) result.facts_read.push_back(fact.key + "=" + fact.value);
  for (const auto& episode : stores.episodes().all()) result.episodes_read.push_back(episode.episode_id);
  const auto refs = stores.artifacts().list_refs();
  if (refs.empty()) throw ArtifactNotFoundError("the demo session holds no artifact to drill into");
  const ArtifactRef& ref = refs.front();
  const std::string& handle = ref.handle;
  result.artifact_handle = ref.handle;
  result.artifact_size = ref.size_bytes;
  result.selector = Json{{"type", "lines"}, {"start", 0}, {"end", 3}};
  result.drilldown = stores.artifacts().drilldown(handle, result.selector);
  return result;
}

Json DemoPersistence::to_json() const {
  return Json{{"database", database},
              {"artifacts_dir", artifacts_dir},
              {"events", event_ids_read},
              {"children_of_tc1", children_of_tc1},
              {"facts", facts_read},
              {"episodes", episodes_read},
              {"artifact", Json{{"handle", artifact_handle}, {"size_bytes", artifact_size}}},
              {"drilldown", Json{{"selector", selector}, {"text", drilldown}}}};
}

}  // namespace contextweaver::cli
