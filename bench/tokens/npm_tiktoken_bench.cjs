// Throughput of the npm tiktoken package (WASM) on the files bench_tokens
// writes, for a like-for-like comparison in the same run.
//
//   node npm_tiktoken_bench.cjs <tiktoken-package-dir> <encoding> <file> [runs]
// Prints the median MB/s (10^6 bytes/s) over the runs, per CPU second (as
// Google Benchmark's bytes_per_second), so a busy machine skews neither side.
"use strict";
const fs = require("fs");
const [pkgDir, name, file, runsArg] = process.argv.slice(2);
const { get_encoding } = require(pkgDir);
const enc = get_encoding(name);
const text = fs.readFileSync(file, "utf8");
const bytes = Buffer.byteLength(text, "utf8");
enc.encode_ordinary(text.slice(0, 100000));  // warm up
const rates = [];
for (let i = 0; i < Number(runsArg || 5); ++i) {
  const t0 = process.cpuUsage();
  const ids = enc.encode_ordinary(text);
  const used = process.cpuUsage(t0);
  const secs = (used.user + used.system) / 1e6;
  if (ids.length === 0) throw new Error("no tokens");
  rates.push(bytes / secs / 1e6);
}
rates.sort((a, b) => a - b);
console.log(rates[Math.floor(rates.length / 2)].toFixed(2));
enc.free();
