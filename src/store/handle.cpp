#include "contextweaver/store/handle.hpp"

#include <string>

#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/unicode.hpp"

namespace contextweaver {

void validate_artifact_handle(std::string_view handle) {
  if (handle.empty()) throw ContextWeaverError("Artifact handle must be non-empty");
  if (handle == "." || handle == "..") throw ContextWeaverError("Invalid artifact handle: " + py_repr(handle));
  if (handle.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) {
    throw ContextWeaverError("Invalid artifact handle (contains path separator or null byte): " + py_repr(handle));
  }
  // "C:x" is relative to drive C's current folder on Windows: it escapes the store.
  const char first = handle[0];
  if (handle.size() >= 2 && handle[1] == ':' && ((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) {
    throw ContextWeaverError("Invalid artifact handle (drive-relative or absolute path): " + py_repr(handle));
  }
}

}  // namespace contextweaver
