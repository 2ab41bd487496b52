// Helpers shared by the four store conformance suites
// (event_log/artifact_store/fact_store/episodic_store_conformance.hpp).
//
// THE FACTORY CONTRACT (the same for every suite)
//   A suite is a GoogleTest typed-test template parameterized by a Factory:
//
//     struct MyFactory {
//       // A fresh, EMPTY store. Called once per test, right after the factory
//       // is default-constructed, so the factory may own per-test resources.
//       std::unique_ptr<contextweaver::EventLog> create();
//
//       // Optional. A new store instance over the SAME storage, as a new
//       // process would open it. The suite destroys (and, for an EventLog,
//       // close()s) the previous instance first. Without reopen(), the
//       // persistence tests are skipped with a message.
//       std::unique_ptr<contextweaver::EventLog> reopen();
//     };
//
//   A new Factory object is default-constructed for every test, so a
//   persistent backend keeps its folder as a member and gets a clean one per
//   test:
//
//     struct SqliteEventLogFactory {
//       cwtest::TempDir dir;  // removed when the test ends
//       std::unique_ptr<EventLog> create() { return std::make_unique<SqliteEventLog>((dir / "log.db").string()); }
//       std::unique_ptr<EventLog> reopen() { return create(); }
//     };
//     INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, EventLogConformance, ::testing::Types<SqliteEventLogFactory>);
//
//   Members are destroyed in reverse order, and the fixture holds the store
//   after the factory, so the store dies before its folder.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include "contextweaver/core/errors.hpp"

namespace cwconf {

using Ids = std::vector<std::string>;

// True when Factory offers reopen() returning the same pointer type as create().
template <class Factory>
concept HasReopen = requires(Factory f) {
  { f.reopen() } -> std::same_as<decltype(f.create())>;
};

// Runs `fn`, expecting an exception of exactly type E (not a subclass unless
// `exact` is false) whose what() equals `message` (empty = not checked).
template <class E>
::testing::AssertionResult throws_with(const std::function<void()>& fn, const std::string& message,
                                       bool exact = false) {
  try {
    fn();
  } catch (const E& e) {
    if (exact && typeid(e) != typeid(E)) {
      return ::testing::AssertionFailure() << "threw a subclass (" << typeid(e).name() << "): " << e.what();
    }
    if (!message.empty() && message != e.what()) {
      return ::testing::AssertionFailure() << "message was \"" << e.what() << "\", expected \"" << message << "\"";
    }
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another type (" << typeid(e).name() << "): " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace cwconf

// Skips a persistence test for a factory without reopen().
#define CWCONF_REQUIRE_REOPEN()                                                       \
  if constexpr (!::cwconf::HasReopen<TypeParam>) {                                    \
    GTEST_SKIP() << "this backend's factory has no reopen(); persistence not tested"; \
  } else

#define CWCONF_EXPECT_THROW_MSG(stmt, Type, message) \
  EXPECT_TRUE(::cwconf::throws_with<Type>([&] { stmt; }, message)) << #stmt
