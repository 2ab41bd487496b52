#!/usr/bin/env bash
# Fetches the pinned `tiktoken` npm package (the WASM build of tiktoken's Rust
# core) into <repo>/.deps/tiktoken. It provides the BPE rank tables
# (encoders/cl100k_base.json, encoders/o200k_base.json) that CMake copies into
# the build tree, and the oracle the tokenizer tests compare against. Nothing
# here is committed (.deps/ is ignored). Idempotent; silent when up to date.
set -euo pipefail

version="1.0.22"  # keep in sync with tests/tokens/oracle/package.json
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$root/.deps/tiktoken"
stamp="$dest/.version"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ] &&
   [ -f "$dest/package/encoders/cl100k_base.json" ] && [ -f "$dest/package/encoders/o200k_base.json" ] &&
   [ -f "$dest/package/tiktoken_bg.wasm" ]; then
  exit 0
fi

command -v npm >/dev/null || { echo "bootstrap: npm is required for the tokenizer tables" >&2; exit 1; }
echo "bootstrap: fetching tiktoken@$version from the npm registry"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "tiktoken@$version" >/dev/null)
tarball="$tmp/tiktoken-$version.tgz"
[ -f "$tarball" ] || { echo "bootstrap: npm pack produced no $tarball" >&2; exit 1; }
mkdir -p "$tmp/x"
tar -xzf "$tarball" -C "$tmp/x"
for f in encoders/cl100k_base.json encoders/o200k_base.json tiktoken.cjs tiktoken_bg.wasm; do
  [ -f "$tmp/x/package/$f" ] || { echo "bootstrap: tiktoken@$version lacks $f" >&2; exit 1; }
done
# Swap in atomically so an interrupted run never leaves a half-extracted tree.
mkdir -p "$root/.deps"
rm -rf "$dest.new"
mkdir -p "$dest.new"
mv "$tmp/x/package" "$dest.new/package"
echo "$version" >"$dest.new/.version"
rm -rf "$dest"
mv "$dest.new" "$dest"
