#!/usr/bin/env node
// Writes the tool listings of the three pinned npm servers (everything,
// filesystem, memory) to .deps/mcp-peers/peer_tools.json, the catalog
// bench_mcp browses "over the three upstreams' tools" without node. The file
// is derived from npm packages, so it lives beside them and is never committed.
// Run after scripts/bootstrap:  node tests/e2e_mcp/capture_peer_tools.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, upstreams } from './lib/harness.mjs';
import { sdk } from './lib/sdk.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../.deps/mcp-peers/peer_tools.json');
const dir = tempDir();
mkdirSync(path.join(dir, 'files'));
const servers = {
  everything: upstreams.everything(),
  filesystem: upstreams.filesystem(path.join(dir, 'files')),
  memory: upstreams.memory(path.join(dir, 'memory.jsonl')),
};
const { Client, StdioClientTransport } = sdk();
const result = {};
for (const [name, entry] of Object.entries(servers)) {
  const client = new Client({ name: 'capture', version: '1' });
  await client.connect(new StdioClientTransport({
    command: entry.command, args: entry.args, env: { ...process.env, ...entry.env }, stderr: 'ignore',
  }));
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  result[name] = { server: client.getServerVersion(), tools };
  await client.close();
}
writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
console.log(`wrote ${out}: ${Object.values(result).map((r) => r.tools.length).join(' + ')} tools`);
