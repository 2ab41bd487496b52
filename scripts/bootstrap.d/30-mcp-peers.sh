#!/usr/bin/env bash
# Installs the pinned MCP test peers (tests/e2e_mcp/package.json + its lock:
# the official TypeScript SDK and the everything / filesystem / memory
# servers) into <repo>/.deps/mcp-peers/node_modules for the end-to-end gateway
# tests. Nothing here is committed (.deps/ is ignored). Idempotent and silent
# when the installed tree matches the lock; reinstalls only when the lock's
# hash changed. Without node/npm, or when the registry cannot be reached, it
# warns and leaves the e2e_mcp tests to skip (they say why).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
src="$root/tests/e2e_mcp"
dest="$root/.deps/mcp-peers"
stamp="$dest/.lock-sha256"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: node/npm missing; the e2e_mcp tests will skip" >&2
  exit 0
fi

want="$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -f "$dest/node_modules/@modelcontextprotocol/sdk/package.json" ]; then
  exit 0
fi

echo "bootstrap: installing the MCP test peers (tests/e2e_mcp/package-lock.json)"
# Install into a fresh directory and swap it in, so an interrupted run never
# leaves a half-installed tree behind a valid stamp.
rm -rf "$dest.new"
mkdir -p "$dest.new"
cp "$src/package.json" "$src/package-lock.json" "$dest.new/"
if ! (cd "$dest.new" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  rm -rf "$dest.new"
  echo "bootstrap: npm ci failed; the e2e_mcp tests will skip" >&2
  exit 0
fi
echo "$want" >"$dest.new/.lock-sha256"
rm -rf "$dest"
mv "$dest.new" "$dest"
