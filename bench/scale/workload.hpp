// The long-session workload of bench_scale (docs/benchmarks.md#long-sessions-benchscale):
// perfgen's gen_events(n, seed) as the JSONL file a user would ingest, one
// json.dumps({"type", "id", "text", "parent_id"}) per line. Header-only so the
// tests can pin its bytes (tests/store/scale_workload_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/perfgen.hpp"
#include "contextweaver/core/errors.hpp"
#include "contextweaver/core/json.hpp"

namespace cwscale {

// One event as a JSONL line (with its "\n"): Python's json.dumps of the dict,
// default separators and ensure_ascii, keys in this order. The metadata and
// token estimate are not written: a user's file carries neither.
inline std::string jsonl_line(const contextweaver::ContextItem& item) {
  const contextweaver::Json line = {
      {"type", std::string(contextweaver::to_string(item.kind))},
      {"id", item.id},
      {"text", item.text},
      {"parent_id", item.parent_id ? contextweaver::Json(*item.parent_id) : contextweaver::Json(nullptr)}};
  return contextweaver::dumps(line) + "\n";
}

// The whole workload of n events: the bytes bench_scale writes.
inline std::string workload_jsonl(std::size_t n, std::uint64_t seed = 42) {
  std::string out;
  for (const auto& item : cwperf::gen_events(n, seed)) out += jsonl_line(item);
  return out;
}

// Writes the workload of n events to `path`; returns its size in bytes. The
// events are freed before it returns (the bench's own memory stays out of the
// way of the measured processes).
inline std::uintmax_t write_workload(const std::filesystem::path& path, std::size_t n, std::uint64_t seed = 42) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw contextweaver::StorageError("cannot write '" + path.string() + "'");
  std::uintmax_t bytes = 0;
  for (const auto& item : cwperf::gen_events(n, seed)) {
    const std::string line = jsonl_line(item);
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    bytes += line.size();
  }
  out.close();
  if (!out) throw contextweaver::StorageError("cannot write '" + path.string() + "'");
  return bytes;
}

}  // namespace cwscale
