// MCP adapters (ported from adapters/mcp.py): an MCP tool definition
// becomes a SelectableItem with a canonical tool id, and an MCP CallToolResult
// becomes a ResultEnvelope plus the parts to persist as artifacts.
//
// Artifact handle scheme (fixes the reference's repeated handles, which let
// the first call's bytes shadow every later call's):
//   mcp:<tool>:<call-id>:image:<i>            image part i (base64-decoded bytes)
//   mcp:<tool>:<call-id>:audio:<i>            audio part i
//   mcp:<tool>:<call-id>:resource:<i>         embedded resource text
//   mcp:<tool>:<call-id>:resource_link:<i>    the link's URI (text/uri-list)
//   mcp:<tool>:<call-id>:structured_content   structuredContent as sorted-key JSON
// <tool> is the upstream tool name with '/', '\' and NUL replaced by '_' (a
// handle names a file). With an empty call id the reference's handles
// ("mcp:<tool>:image:<i>") are produced, for parity tests only.
//
// Upstream content is validated here, at the firewall (docs/gateway.md#upstream-content),
// where the reference stores whatever it is sent:
//   - a media type (image/audio/resource/resource_link "mimeType") that is not
//     a valid RFC 6838 type (is_valid_media_type) is replaced by
//     "application/octet-stream"; the bytes are kept;
//   - image/audio "data" and resource "blob" must be base64
//     (decode_upstream_base64); invalid data is not stored at all (the
//     reference stored the raw text under the claimed media type): the part
//     becomes a text line "[<type> part <i> dropped (invalid base64 data)]";
//   - each problem is listed in provenance "content_problems"
//     [{"part_index", "problem", "value"}] (the value cut to 200 bytes).
// Neither a media type nor the data reach a file name: handles are built from
// the tool name (made file-safe), our call id, the part type and index only.
#pragma once

#include <string>
#include <string_view>

#include "contextweaver/context/manager.hpp"
#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace contextweaver {

// The namespace an MCP tool name carries: the prefix before the first '.'
// when non-empty; else before the first '/' when non-empty; else the first
// '_'-segment when the name has at least three '_'-segments and it is
// non-empty; else `fallback` (the reference's fallback is "mcp").
std::string infer_namespace(std::string_view tool_name, std::string_view fallback = "mcp");

// A config server name turned into a valid tool-id namespace
// ([a-z][a-z0-9_-]{0,63}): lower-cased, other characters replaced by '-',
// leading characters that are not letters dropped, cut to 64. "" when nothing
// usable is left (e.g. "123").
std::string namespace_from_server_name(std::string_view server_name);

// mcp_tool_to_selectable: id = canonical tool id (version
// from a truthy _meta.version, else hash8); name = the upstream name verbatim;
// tags = sorted(mcp [, read-only] [, destructive]); side_effects = !readOnlyHint;
// cost_hint = annotations.costHint (0); args_schema = inputSchema or {};
// metadata = annotations minus costHint. `fallback_namespace` replaces "mcp"
// when the name yields no namespace (the gateway passes the config server
// name). CatalogError "MCP tool definition missing required fields: ['name']"
// for an empty or missing name/description, and for a name or annotations
// that do not fit (tool id grammar, non-object annotations, non-numeric costHint).
SelectableItem mcp_tool_to_selectable(const Json& tool_def, std::string_view fallback_namespace = "mcp");

// mcp_result_to_envelope with per-call handles (see above).
// full_text = text parts joined by "\n", or "(no content)"; summary = its
// first 500 code points; facts = stripped lines holding ':' shorter than 200
// code points, at most 20; provenance {"tool","protocol":"mcp"
// [,"content_annotations"][,"content_problems"]}. Never throws for malformed parts: parts that are
// not objects are skipped, wrongly typed fields read as empty.
McpConversion mcp_result_to_envelope(const Json& result, const std::string& tool_name, const std::string& call_id = "");

// RFC 6838 media type: type "/" subtype, each a restricted-name (1 to 127 of
// ALPHA DIGIT ! # $ & - ^ _ . +, the first a letter or digit), then optional
// parameters "; name=value" (RFC 2045: value a token or a quoted string;
// spaces allowed around ';' and nowhere else). No control characters, no
// non-ASCII, nothing path-like ("../x" fails: '.' cannot start a type).
bool is_valid_media_type(std::string_view media_type);

// Strict standard base64 (RFC 4648 section 4: alphabet A-Z a-z 0-9 + /,
// '=' padding to a multiple of 4 characters, padding only at the end) after
// removing ASCII spaces, tabs, CR and LF, which MIME-style encoders insert
// to wrap lines. False (and `out` unspecified) for anything else, e.g. the
// URL-safe alphabet or missing padding.
bool decode_upstream_base64(std::string_view text, std::string& out);

// The handle prefix of one call's artifacts: "mcp:<tool>:<call-id>:" (or
// "mcp:<tool>:" without a call id), with the tool name made file-safe.
std::string mcp_handle_prefix(const std::string& tool_name, const std::string& call_id);

}  // namespace contextweaver
