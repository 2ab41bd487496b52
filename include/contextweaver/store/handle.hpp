// Artifact handle rules for stores that map a handle to a file name.
#pragma once

#include <string_view>

namespace contextweaver {

// Throws ContextWeaverError (the base class) unless `handle` can name a file
// inside one folder without escaping it. Checked in this order:
//   ""                      -> "Artifact handle must be non-empty"
//   "." or ".."             -> "Invalid artifact handle: '..'"
//   contains '/', '\' or NUL -> "Invalid artifact handle (contains path separator or null byte): 'a/b'"
//   a drive prefix "C:"     -> "Invalid artifact handle (drive-relative or absolute path): 'C:x'"
//                              (docs/compat.md S2; an absolute path is caught by the separator rule)
// Allowed: ':' elsewhere (the firewall's "artifact:<id>"), "..x", ".hidden",
// spaces, non-ASCII. Quoting uses Python repr().
void validate_artifact_handle(std::string_view handle);

}  // namespace contextweaver
