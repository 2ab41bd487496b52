// bench_scale's workload file (bench/scale/workload.hpp) is byte for byte the
// JSONL that the reference generator writes for the long-session goals:
// perfgen's gen_events(n, 42), one json.dumps({"type", "id", "text",
// "parent_id"}) per line (docs/benchmarks.md#long-sessions-benchscale).
#include <gtest/gtest.h>

#include "scale/workload.hpp"
#include "contextweaver/core/sha256.hpp"
#include "support/test_support.hpp"

namespace {

TEST(ScaleWorkload, TenThousandEventsMatchTheGeneratorBytes) {
  const std::string jsonl = cwscale::workload_jsonl(10000);
  EXPECT_EQ(jsonl.size(), 3776580u);
  EXPECT_EQ(contextweaver::sha256_hex(jsonl), "416388d00a3a2820e55197a7af0472df0ec2b1112bd0475ef25e1a0a3535497f");
}

TEST(ScaleWorkload, LinesUsePythonSeparatorsAndNullParents) {
  const auto ends_with = [](const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
  };
  const auto events = cwperf::gen_events(4);
  const std::string first = cwscale::jsonl_line(events[0]);
  EXPECT_EQ(first.rfind("{\"type\": \"user_turn\", \"id\": \"ev000000\", \"text\": \"[user_turn 0] customer ", 0), 0u);
  EXPECT_TRUE(ends_with(first, " latency\", \"parent_id\": null}\n")) << first;
  const std::string third = cwscale::jsonl_line(events[2]);
  EXPECT_TRUE(ends_with(third, "\", \"parent_id\": \"ev000000\"}\n")) << third;
}

TEST(ScaleWorkload, WriteWorkloadWritesTheSameBytes) {
  const cwtest::TempDir dir;
  const std::uintmax_t bytes = cwscale::write_workload(dir / "events.jsonl", 100);
  const std::string text = cwtest::read_file(dir / "events.jsonl");
  EXPECT_EQ(bytes, text.size());
  EXPECT_EQ(text, cwscale::workload_jsonl(100));
}

}  // namespace
