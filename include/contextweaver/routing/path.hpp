// tool_browse paths (routing/path.py; docs/gateway.md): "/ns/group/leaf"
// addresses of the routing graph.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/routing/graph.hpp"

namespace contextweaver {

// Splits a path into segments ("/" → []). PathInvalidError when it is empty,
// lacks the leading "/", ends with "/", has an empty segment, a "*" that is
// not last, a first segment outside [a-z][a-z0-9_-]{0,63} or a deeper one
// outside [a-z0-9][a-z0-9_-]{0,63}. (A trailing newline is rejected, unlike
// the reference's `$`.)
std::vector<std::string> parse_path(std::string_view path);

// The graph ids a path addresses: [] → the root's children; a final "*" → the
// children at that level; otherwise, walking from the root, each segment
// matches the first sorted child whose label (text after the last "/", else
// the name part of a "ns:name@v#h" id, else the id; lower-cased) equals it.
// Ends with the final node's children, or [node] when it has none.
// PathNotFoundError "path /a/b does not resolve in the catalog" otherwise.
std::vector<std::string> resolve_path(const ChoiceGraph& graph, const std::vector<std::string>& segments);

}  // namespace contextweaver
