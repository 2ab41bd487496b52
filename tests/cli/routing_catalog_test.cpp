// End to end: build and route read a catalog as the gateway does (JSON, or
// YAML by suffix) and refuse the same duplicate ids (docs/cli.md#build).
#include <gtest/gtest.h>

#include <string>

#include "cli/cli_runner.hpp"
#include "support/test_support.hpp"

namespace {

using cwtest::run_cli;

const char* kYamlCatalog =
    "- id: billing.invoices.search\n"
    "  kind: tool\n"
    "  name: search_invoices\n"
    "  description: Search invoices by status\n"
    "  namespace: billing\n"
    "- id: travel.flights.book\n"
    "  kind: tool\n"
    "  name: book_flight\n"
    "  description: Book a flight to a city\n"
    "  namespace: travel\n";

TEST(CliRoutingCatalog, YamlCatalogsLoadForBuildAndRoute) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "tools.yaml", kYamlCatalog);
  const auto built = run_cli({"build", "--catalog", "tools.yaml", "--out", "graph.json"}, dir.path());
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_EQ(built.out.rfind("Loaded 2 items from tools.yaml\n", 0), 0u) << built.out;
  const auto routed =
      run_cli({"route", "--graph", "graph.json", "--catalog", "tools.yaml", "--query", "book a flight"}, dir.path());
  ASSERT_EQ(routed.exit_code, 0) << routed.err;
  EXPECT_NE(routed.out.find("travel.flights.book"), std::string::npos) << routed.out;
}

TEST(CliRoutingCatalog, DuplicateIdsFailBuildAndRouteAlike) {
  cwtest::TempDir dir;
  cwtest::write_file(dir / "tools.yaml", kYamlCatalog);
  ASSERT_EQ(run_cli({"build", "--catalog", "tools.yaml", "--out", "graph.json"}, dir.path()).exit_code, 0);
  cwtest::write_file(dir / "dup.yaml", std::string(kYamlCatalog) +
                                           "- id: billing.invoices.search\n"
                                           "  kind: tool\n"
                                           "  name: again\n"
                                           "  description: The same id\n");
  const std::string message = "Error: dup.yaml: duplicate catalog id 'billing.invoices.search' (items 1 and 3)\n";
  const auto built = run_cli({"build", "--catalog", "dup.yaml", "--out", "g2.json"}, dir.path());
  EXPECT_EQ(built.exit_code, 1);
  EXPECT_EQ(built.err, message);
  const auto routed =
      run_cli({"route", "--graph", "graph.json", "--catalog", "dup.yaml", "--query", "book a flight"}, dir.path());
  EXPECT_EQ(routed.exit_code, 1);
  EXPECT_EQ(routed.err, message);
}

}  // namespace
