#!/usr/bin/env bash
# Tokenizer throughput, C++ vs the npm tiktoken package, on the same text in
# the same run. Median MB/s (10^6 bytes per CPU second) of 5 runs each.
#   bench/tokens/compare.sh [BUILD_DIR]   (default: build; needs bench_tokens built, Release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
bench="$build/bench/bench_tokens"
npm="$root/.deps/tiktoken/package"
[ -x "$bench" ] || { echo "compare.sh: $bench not built" >&2; exit 1; }
[ -d "$npm" ] || { echo "compare.sh: $npm absent; run scripts/bootstrap" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$bench" --write-corpus "$tmp"
"$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_format=json \
  --benchmark_out="$tmp/cpp.json" --benchmark_out_format=json >/dev/null
cpp_rate() {  # median bytes_per_second of a benchmark, in MB/s
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));
    const b=r.benchmarks.find(b=>b.run_name===process.argv[2]&&b.aggregate_name==="median");
    console.log((b.bytes_per_second/1e6).toFixed(2));' "$tmp/cpp.json" "$1"
}
printf '%-12s %-10s %12s %12s\n' encoding text "C++ MB/s" "npm MB/s"
for enc in cl100k o200k; do
  for kind in Ordinary LongWords; do
    file="$tmp/ordinary.txt"; [ "$kind" = LongWords ] && file="$tmp/longwords.txt"
    name="${enc}_base"
    cpp="$(cpp_rate "BM_${enc^}_$kind")"
    js="$(node "$root/bench/tokens/npm_tiktoken_bench.cjs" "$npm" "$name" "$file" 5)"
    printf '%-12s %-10s %12s %12s\n' "$name" "$kind" "$cpp" "$js"
  done
done
