// The persistent part of `contextweaver demo`: the demo's conversation written
// to a workspace session, read back, and drilled into.
#pragma once

#include <string>
#include <vector>

#include "contextweaver/core/types.hpp"
#include "contextweaver/session/workspace.hpp"
#include "contextweaver/core/json.hpp"

namespace contextweaver::cli {

// The demo's events, in the reference demo's order and words: u1, a1, tc1
// (parent u1), tr1 (the invoice tool output, parent tc1).
std::vector<ContextItem> demo_events();

// The demo's fact and episode (added with ContextManager::add_fact/add_episode): customer_tier=enterprise, ep-prev.
inline constexpr const char* kDemoFactKey = "customer_tier";
inline constexpr const char* kDemoFactValue = "enterprise";
inline constexpr const char* kDemoEpisodeId = "ep-prev";
inline constexpr const char* kDemoEpisodeSummary = "Previously discussed payment terms with client";

// Claims `name` for the demo, under its exclusive lock: a session the demo made
// before is emptied (so the demo can run again); a session made otherwise is
// refused with ValueError, so the demo never destroys a user's data.
void reset_demo_session(const Workspace& workspace, const SessionName& name);

// Whether a session holds the demo's marker.
bool is_demo_session(const Workspace& workspace, const SessionName& name);

// What the demo wrote, read back and drilled into (printed as text or JSON).
struct DemoPersistence {
  std::string database;
  std::string artifacts_dir;
  std::int64_t events_written = 0;
  std::vector<std::string> event_ids_read;
  std::vector<std::string> children_of_tc1;
  std::vector<std::string> facts_read;  // "key=value"
  std::vector<std::string> episodes_read;
  std::string artifact_handle;
  std::int64_t artifact_size = 0;
  Json selector;
  std::string drilldown;

  Json to_json() const;
};

// Reads the session back through freshly opened stores (what a later process
// sees) and drills into its first artifact (the tool output the context
// build's firewall stored).
DemoPersistence read_demo_session(const Workspace& workspace, const SessionName& name);

}  // namespace contextweaver::cli
