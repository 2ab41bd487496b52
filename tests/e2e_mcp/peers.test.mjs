// The test peers themselves, spoken to directly with the SDK client (no
// gateway): the npm servers start and answer, and our misbehaving upstreams
// misbehave as the gateway tests expect. A failure here means the harness,
// not the gateway, is broken.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { SKIP, tempDir, textOf, upstreams, watchdog } from './lib/harness.mjs';
import { sdk, sdkAvailable, PEERS_DIR } from './lib/sdk.mjs';

if (!sdkAvailable()) {
  console.log(`SKIP: MCP test peers are not installed in ${PEERS_DIR}: run scripts/bootstrap (needs npm)`);
  process.exit(SKIP);
}
watchdog(60000, 'peers.test.mjs');

async function direct(entry, onListChanged) {
  const { Client, StdioClientTransport, types } = sdk();
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: { ...process.env, ...entry.env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'peers-selftest', version: '1.0.0' });
  if (onListChanged) client.setNotificationHandler(types.ToolListChangedNotificationSchema, onListChanged);
  await client.connect(transport, { timeout: 20000 });
  return client;
}

test('the three npm servers list tools and answer a call', { timeout: 30000 }, async () => {
  const dir = tempDir();
  const root = path.join(dir, 'files');
  mkdirSync(root);
  const everything = await direct(upstreams.everything());
  const filesystem = await direct(upstreams.filesystem(root));
  const memory = await direct(upstreams.memory(path.join(dir, 'memory.jsonl')));
  try {
    const names = async (c) => (await c.listTools()).tools.map((t) => t.name);
    assert.ok((await names(everything)).includes('echo'));
    assert.ok((await names(filesystem)).includes('write_file'));
    assert.ok((await names(memory)).includes('create_entities'));
    const echoed = await everything.callTool({ name: 'echo', arguments: { message: 'hi' } });
    assert.match(textOf(echoed), /hi/);
  } finally {
    await Promise.all([everything.close(), filesystem.close(), memory.close()]);
  }
});

test('flaky upstream: echo, hang, list change, crash', { timeout: 30000 }, async () => {
  let changed = 0;
  const flaky = await direct(upstreams.flaky(), () => { changed += 1; });
  try {
    assert.equal(textOf(await flaky.callTool({ name: 'echo', arguments: { text: 'x' } })), 'x');
    await assert.rejects(flaky.callTool({ name: 'hang', arguments: {} }, undefined, { timeout: 300 }), /timed out/i);
    assert.equal(textOf(await flaky.callTool({ name: 'add_tool', arguments: { name: 'fresh_one' } })), 'added fresh_one');
    const tools = (await flaky.listTools()).tools.map((t) => t.name);
    assert.ok(tools.includes('fresh_one'));
    for (let i = 0; i < 50 && changed === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    assert.equal(changed, 1);
    await assert.rejects(flaky.callTool({ name: 'crash_midcall', arguments: {} }, undefined, { timeout: 10000 }));
  } finally {
    await flaky.close();
  }
});

test('synthetic upstream pages 10,000 tools', { timeout: 30000 }, async () => {
  const synthetic = await direct(upstreams.synthetic(10000));
  try {
    let cursor;
    let total = 0;
    let pages = 0;
    const names = new Set();
    do {
      const page = await synthetic.listTools(cursor ? { cursor } : {});
      for (const t of page.tools) names.add(t.name);
      total += page.tools.length;
      pages += 1;
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(total, 10000);
    assert.equal(names.size, 10000);
    assert.ok(pages > 1);
  } finally {
    await synthetic.close();
  }
});
