// The portable synthetic workload generator of spec/perf.md (perfgen.py),
// byte-identical to the Python original: splitmix64 draws, gen_events,
// gen_artifact and pick_ids. Header-only so tests can check its checksums
// (tests/store/perfgen_test.cpp) without a separate library.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/types.hpp"

namespace cwperf {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

inline constexpr std::array<std::string_view, 128> kWords = {
    "account",  "alert",   "api",          "archive",  "audit",     "backup",   "balance",   "batch",    "billing",
    "branch",   "budget",  "build",        "cache",    "cancel",    "channel",  "charge",    "cluster",  "commit",
    "config",   "contact", "cost",         "customer", "dashboard", "database", "deal",      "deploy",   "detail",
    "device",   "disk",    "domain",       "draft",    "email",     "endpoint", "error",     "event",    "export",
    "failure",  "feature", "file",         "filter",   "forecast",  "gateway",  "graph",     "health",   "host",
    "incident", "index",   "invoice",      "issue",    "job",       "key",      "latency",   "ledger",   "license",
    "limit",    "log",     "mailbox",      "merge",    "message",   "metric",   "migration", "monitor",  "network",
    "node",     "notify",  "order",        "owner",    "page",      "partner",  "patch",     "payment",  "pipeline",
    "plan",     "policy",  "pool",         "queue",    "quota",     "record",   "refund",    "region",   "release",
    "report",   "request", "retry",        "revenue",  "role",      "rollback", "route",     "schema",   "search",
    "secret",   "server",  "service",      "session",  "shard",     "signal",   "slack",     "snapshot", "status",
    "storage",  "stream",  "subscription", "summary",  "support",   "sync",     "table",     "team",     "template",
    "tenant",   "ticket",  "timeout",      "token",    "trace",     "traffic",  "user",      "vendor",   "version",
    "volume",   "warning", "webhook",      "window",   "worker",    "alpha",    "bravo",     "charlie",  "delta",
    "echo",     "foxtrot"};

inline constexpr std::array<contextweaver::ItemKind, 4> kKinds = {
    contextweaver::ItemKind::user_turn, contextweaver::ItemKind::agent_msg, contextweaver::ItemKind::tool_call,
    contextweaver::ItemKind::tool_result};

// "ev%06d" % i
inline std::string event_id(std::uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "ev%06llu", static_cast<unsigned long long>(i));
  return buf;
}

// gen_events(n, seed): n ContextItems in log order (texts are ASCII, so
// len() in code points is the byte size).
inline std::vector<contextweaver::ContextItem> gen_events(std::size_t n, std::uint64_t seed = 42) {
  SplitMix64 rng(seed);
  std::vector<contextweaver::ContextItem> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    contextweaver::ContextItem item;
    item.id = event_id(i);
    item.kind = kKinds[i % 4];
    if (i % 4 == 2) item.parent_id = event_id(i - 2);  // tool_call -> its user_turn
    if (i % 4 == 3) item.parent_id = event_id(i - 1);  // tool_result -> its tool_call
    // Appended piecewise: GCC 12's -Wrestrict misfires on "[" + std::string(...) at -O3.
    std::string text = "[";
    text.append(contextweaver::to_string(item.kind));
    text.push_back(' ');
    text.append(std::to_string(i));
    text.push_back(']');
    while (text.size() < 300) {
      text += ' ';
      text += kWords[rng.next() % 128];
    }
    const std::string t1(kWords[rng.next() % 128]);
    const std::string t2(kWords[rng.next() % 128]);
    item.token_estimate = static_cast<std::int64_t>(text.size() / 4);
    item.text = std::move(text);
    item.metadata = contextweaver::Json::object();
    item.metadata["source"] = "perfgen";
    item.metadata["tags"] = contextweaver::Json::array({t1, t2});
    item.metadata["turn"] = i / 4;
    out.push_back(std::move(item));
  }
  return out;
}

// gen_artifact(k): json.dumps(obj, indent=1) of
// {"id": "art-%04d", "meta": {"kind": "tool_result", "rows": 400}, "rows": [400 x {i, name, value}], "pad": "x"*p},
// with p chosen so the result is exactly 65,536 bytes. Printed directly (every
// string is plain ASCII, so nothing needs escaping) to keep setup fast.
inline std::string gen_artifact(int k) {
  SplitMix64 rng(1000 + static_cast<std::uint64_t>(k));
  char id[32];
  std::snprintf(id, sizeof id, "art-%04d", k);
  std::string head = std::string("{\n \"id\": \"") + id +
                     "\",\n \"meta\": {\n  \"kind\": \"tool_result\",\n  \"rows\": 400\n },\n \"rows\": [";
  for (int j = 0; j < 400; ++j) {
    const std::string_view name = kWords[rng.next() % 128];  // drawn before value, as the dict literal is evaluated
    const std::uint64_t value = rng.next() % 100000;
    head += j == 0 ? "\n" : ",\n";
    head += "  {\n   \"i\": " + std::to_string(j) + ",\n   \"name\": \"" + std::string(name) +
            "\",\n   \"value\": " + std::to_string(value) + "\n  }";
  }
  head += "\n ],\n \"pad\": \"";
  const std::string tail = "\"\n}";
  const std::size_t base = head.size() + tail.size();
  if (base > 65536) throw std::logic_error("gen_artifact: base document exceeds 65536 bytes");
  return head + std::string(65536 - base, 'x') + tail;
}

// pick_ids(n_items, count, seed): random "ev%06d" ids below n_items.
inline std::vector<std::string> pick_ids(std::uint64_t n_items, std::size_t count, std::uint64_t seed = 7) {
  SplitMix64 rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(event_id(rng.next() % n_items));
  return out;
}

}  // namespace cwperf
