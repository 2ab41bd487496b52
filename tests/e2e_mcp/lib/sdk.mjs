// Loads the pinned MCP TypeScript SDK from the peers' install directory
// (scripts/bootstrap.d/30-mcp-peers.sh puts it in <repo>/.deps/mcp-peers), which
// is outside this folder, so bare imports would not find it. CW_MCP_PEERS (the
// node_modules directory) overrides the default location.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PEERS_DIR =
  process.env.CW_MCP_PEERS || path.resolve(here, '../../../.deps/mcp-peers/node_modules');

// The path of a file inside an installed package, or null when it is absent.
export function peerFile(relative) {
  const file = path.join(PEERS_DIR, relative);
  return existsSync(file) ? file : null;
}

export function sdkAvailable() {
  return peerFile('@modelcontextprotocol/sdk/package.json') !== null;
}

let cached = null;
// { Client, StdioClientTransport, Server, StdioServerTransport, types } from the SDK.
export function sdk() {
  if (cached) return cached;
  const require = createRequire(path.join(PEERS_DIR, 'noop.js'));
  const client = require('@modelcontextprotocol/sdk/client/index.js');
  const clientStdio = require('@modelcontextprotocol/sdk/client/stdio.js');
  const server = require('@modelcontextprotocol/sdk/server/index.js');
  const serverStdio = require('@modelcontextprotocol/sdk/server/stdio.js');
  const types = require('@modelcontextprotocol/sdk/types.js');
  cached = {
    Client: client.Client,
    StdioClientTransport: clientStdio.StdioClientTransport,
    Server: server.Server,
    StdioServerTransport: serverStdio.StdioServerTransport,
    types,
  };
  return cached;
}
