// Proxy mode: every upstream tool listed by its tool id (trimmed description,
// stripped schema) plus tool_hydrate and tool_execute; direct calls of a
// listed tool are refused (the upstream is not called); hydrate + execute work.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  call, connect, jsonOf, requirePrerequisites, tempDir, upstreams, watchdog, writeConfig,
} from './lib/harness.mjs';
import { sdk } from './lib/sdk.mjs';

const cli = requirePrerequisites(['proxy']);
watchdog(60000, 'proxy.test.mjs');

async function listAll(client) {
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

// The upstreams' own listings, read directly with the SDK client.
async function directTools(entry) {
  const { Client, StdioClientTransport } = sdk();
  const client = new Client({ name: 'direct', version: '1' });
  await client.connect(new StdioClientTransport({
    command: entry.command, args: entry.args, env: { ...process.env, ...entry.env }, stderr: 'ignore',
  }));
  try {
    return await listAll(client);
  } finally {
    await client.close();
  }
}

test('proxy lists every tool, refuses direct calls, hydrates and executes', async () => {
  const dir = tempDir();
  const root = path.join(dir, 'files');
  mkdirSync(root);
  const servers = { flaky: upstreams.flaky(), filesystem: upstreams.filesystem(root) };
  const originals = [...await directTools(servers.flaky), ...await directTools(servers.filesystem)];
  const gw = await connect(cli, 'proxy', writeConfig(dir, servers));
  try {
    const listed = await listAll(gw.client);
    const names = listed.map((t) => t.name);
    assert.ok(names.includes('tool_hydrate') && names.includes('tool_execute'), names.join(', '));
    assert.ok(!names.includes('tool_browse'));
    const proxied = listed.filter((t) => t.name !== 'tool_hydrate' && t.name !== 'tool_execute');
    assert.equal(proxied.length, originals.length);
    const longest = Math.max(...originals.map((t) => t.description.length));
    for (const tool of proxied) {
      assert.match(tool.name, /^[a-z][a-z0-9_-]*:/, `${tool.name} is not a tool id`);
      assert.equal(tool.inputSchema.type, 'object');
      assert.ok(!JSON.stringify(tool.inputSchema).includes('"description"'), `${tool.name}: schema not stripped`);
    }
    // Long upstream descriptions (filesystem's run to hundreds of chars) are trimmed.
    const shortest = (t) => proxied.find((p) => p.name.includes(`:${t.name}`));
    const longTool = originals.find((t) => t.description.length === longest);
    assert.ok(shortest(longTool).description.length < longTool.description.length,
      `${longTool.name}'s ${longest}-char description was not trimmed`);

    const record = proxied.find((t) => /:record[#@]/.test(t.name));
    const count = proxied.find((t) => /:record_count[#@]/.test(t.name));
    assert.ok(record && count);
    // A direct call of a listed tool is refused, and the upstream is not called.
    const direct = await call(gw.client, record.name, { n: 1 });
    assert.equal(direct.isError, true);
    const counted = await call(gw.client, 'tool_execute', { tool_id: count.name, args: {} });
    assert.equal(counted.isError, false);
    assert.match(jsonOf(counted).summary, /^0\b/);

    // tool_hydrate gives back the full schema, tool_execute runs the tool.
    const hydrated = await call(gw.client, 'tool_hydrate', { tool_id: record.name });
    assert.equal(hydrated.isError, false);
    const card = jsonOf(hydrated);
    assert.equal(card.tool_id, record.name);
    assert.deepEqual(card.args_schema.required, ['n']);
    const ran = await call(gw.client, 'tool_execute', { tool_id: record.name, args: { n: 2 } });
    assert.equal(ran.isError, false);
    assert.match(jsonOf(ran).summary, /recorded 2/);
    const bad = await call(gw.client, 'tool_execute', { tool_id: record.name, args: { n: 'two' } });
    assert.equal(jsonOf(bad).error, 'ARGS_INVALID');
    const unknown = await call(gw.client, 'tool_hydrate', { tool_id: 'flaky:nope#00000000' });
    assert.equal(jsonOf(unknown).error, 'HYDRATE_FAILED');
  } finally {
    await gw.close();
  }
});
