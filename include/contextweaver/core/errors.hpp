// One exception hierarchy for the whole library.
//
// Every error contextweaver throws derives from ContextWeaverError, so a caller
// can catch one type. The reference's own taxonomy (exceptions.py) is mirrored
// one to one; the Python built-ins it lets escape (KeyError, TypeError,
// ValueError, JSONDecodeError, OSError, sqlite3.DatabaseError, yaml.YAMLError) become typed
// subclasses here too (see docs/compat.md), so bad input is never an untyped
// crash. what() is exactly the message, as str(exc) is in the reference.
//
// The hierarchy (code() in brackets):
//   ContextWeaverError [CW_ERROR]            also thrown as is where the reference raises it
//   ├─ BudgetExceededError [CW_BUDGET_EXCEEDED]
//   ├─ ItemNotFoundError [CW_ITEM_NOT_FOUND]
//   ├─ ArtifactNotFoundError [CW_ARTIFACT_NOT_FOUND]
//   ├─ PolicyViolationError [CW_POLICY_VIOLATION]
//   ├─ CatalogError [CW_CATALOG]
//   │  ├─ PathInvalidError [CW_PATH_INVALID]
//   │  └─ PathNotFoundError [CW_PATH_NOT_FOUND]
//   ├─ GraphBuildError [CW_GRAPH_BUILD]
//   ├─ RouteError [CW_ROUTE]
//   ├─ DuplicateItemError [CW_DUPLICATE_ITEM]
//   ├─ ConfigError [CW_CONFIG]
//   ├─ UpstreamError [CW_UPSTREAM]          an MCP upstream cannot be started or misbehaves
//   ├─ StoreClosedError [CW_STORE_CLOSED]
//   ├─ KeyError [CW_KEY]                    a required field is missing
//   ├─ TypeError [CW_TYPE]                  a value of the wrong JSON type
//   ├─ ValueError [CW_VALUE]                the right type, an invalid value (or index)
//   │  └─ JsonDecodeError [CW_JSON_DECODE]  malformed JSON text
//   ├─ StorageError [CW_STORAGE]            a filesystem failure (OSError)
//   │  ├─ SessionReplacedError [CW_SESSION_REPLACED]    (session/session_errors.hpp)
//   │  └─ NotAWorkspaceError [CW_NOT_A_WORKSPACE]      (session/session_errors.hpp)
//   ├─ DatabaseError [CW_DATABASE]          a SQLite failure
//   │  ├─ SessionDataLostError [CW_SESSION_DATA_LOST]  (session/session_errors.hpp)
//   │  └─ SessionCorruptError [CW_SESSION_CORRUPT]     (session/session_errors.hpp)
//   └─ InternalError [CW_INTERNAL]          a bug: a broken invariant of the library
//
// InternalError (as DuckDB's InternalException) is never the caller's fault:
// it reports a state the code guarantees cannot occur, so the message names
// the invariant, and a report of it is a bug report. Library code does not
// let std:: or nlohmann exceptions escape a public call (allocation failure
// and thread creation failure, std::bad_alloc and std::system_error, aside).
#pragma once

#include <stdexcept>
#include <string>

namespace contextweaver {

class ContextWeaverError : public std::runtime_error {
 public:
  explicit ContextWeaverError(const std::string& message) : std::runtime_error(message) {}
  // A stable machine-readable code, e.g. "CW_STORE_CLOSED".
  virtual const char* code() const noexcept { return "CW_ERROR"; }
};

#define CW_DEFINE_ERROR(Name, Base, Code)                        \
  class Name : public Base {                                     \
   public:                                                       \
    explicit Name(const std::string& message) : Base(message) {} \
    const char* code() const noexcept override { return Code; }  \
  };

// The reference's taxonomy.
CW_DEFINE_ERROR(BudgetExceededError, ContextWeaverError, "CW_BUDGET_EXCEEDED")
CW_DEFINE_ERROR(ItemNotFoundError, ContextWeaverError, "CW_ITEM_NOT_FOUND")
CW_DEFINE_ERROR(ArtifactNotFoundError, ContextWeaverError, "CW_ARTIFACT_NOT_FOUND")
CW_DEFINE_ERROR(PolicyViolationError, ContextWeaverError, "CW_POLICY_VIOLATION")
CW_DEFINE_ERROR(CatalogError, ContextWeaverError, "CW_CATALOG")
CW_DEFINE_ERROR(PathInvalidError, CatalogError, "CW_PATH_INVALID")
CW_DEFINE_ERROR(PathNotFoundError, CatalogError, "CW_PATH_NOT_FOUND")
CW_DEFINE_ERROR(GraphBuildError, ContextWeaverError, "CW_GRAPH_BUILD")
CW_DEFINE_ERROR(RouteError, ContextWeaverError, "CW_ROUTE")
CW_DEFINE_ERROR(DuplicateItemError, ContextWeaverError, "CW_DUPLICATE_ITEM")
CW_DEFINE_ERROR(ConfigError, ContextWeaverError, "CW_CONFIG")
CW_DEFINE_ERROR(UpstreamError, ContextWeaverError, "CW_UPSTREAM")
CW_DEFINE_ERROR(StoreClosedError, ContextWeaverError, "CW_STORE_CLOSED")

// Where the reference lets a Python built-in escape. Catch these by type where
// the reference catches the built-in (e.g. list_refs skipping bad metadata).
CW_DEFINE_ERROR(KeyError, ContextWeaverError, "CW_KEY")                 // missing required field
CW_DEFINE_ERROR(TypeError, ContextWeaverError, "CW_TYPE")               // value of the wrong JSON type
CW_DEFINE_ERROR(ValueError, ContextWeaverError, "CW_VALUE")             // right type, invalid value
CW_DEFINE_ERROR(JsonDecodeError, ValueError, "CW_JSON_DECODE")          // malformed JSON text
CW_DEFINE_ERROR(StorageError, ContextWeaverError, "CW_STORAGE")         // filesystem failure (OSError)
CW_DEFINE_ERROR(DatabaseError, ContextWeaverError, "CW_DATABASE")       // SQLite failure
CW_DEFINE_ERROR(YamlSyntaxError, ContextWeaverError, "CW_YAML_SYNTAX")  // malformed YAML (yaml.YAMLError)

// A bug in contextweaver, not bad input (see above).
CW_DEFINE_ERROR(InternalError, ContextWeaverError, "CW_INTERNAL")

#undef CW_DEFINE_ERROR

}  // namespace contextweaver
