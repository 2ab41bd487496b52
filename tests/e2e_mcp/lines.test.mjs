// The wire seen raw: lines written straight to the gateway's stdin (no SDK),
// answers read line by line from its stdout. Malformed, invalid and oversized
// lines get JSON-RPC errors and the server keeps serving; unknown methods are
// −32601; requests before initialize are refused; end of input ends it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, connect, requirePrerequisites, spawnRaw, tempDir, upstreams, watchdog, writeConfig } from './lib/harness.mjs';
import { sdk } from './lib/sdk.mjs';

const cli = requirePrerequisites(['gateway']);
watchdog(60000, 'lines.test.mjs');

const line = (message) => `${JSON.stringify(message)}\n`;
const request = (id, method, params) => line({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });

test('raw lines: errors for bad input, the server keeps serving', async () => {
  const dir = tempDir();
  const gw = spawnRaw(cli, 'gateway', writeConfig(dir, { flaky: upstreams.flaky() }));
  try {
    // Before initialize: refused.
    gw.send(request(1, 'tools/list'));
    let answer = await gw.next();
    assert.equal(answer.id, 1);
    assert.equal(answer.error?.code, -32002, JSON.stringify(answer));

    gw.send(request(2, 'initialize', {
      protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '0' },
    }));
    answer = await gw.next();
    assert.equal(answer.id, 2);
    assert.equal(answer.result.protocolVersion, '2025-03-26');
    assert.ok(answer.result.capabilities.tools);
    gw.send(line({ jsonrpc: '2.0', method: 'notifications/initialized' }));

    // Malformed JSON: parse error, id null.
    gw.send('{"jsonrpc": "2.0", "id": 3, "method": "ping"\n');
    answer = await gw.next();
    assert.equal(answer.error?.code, -32700, JSON.stringify(answer));
    assert.equal(answer.id, null);

    // Valid JSON that is not a request.
    gw.send(line({ jsonrpc: '1.0', id: 4, method: 'ping' }));
    answer = await gw.next();
    assert.equal(answer.error?.code, -32600, JSON.stringify(answer));
    gw.send(line({ jsonrpc: '2.0', id: 5 }));
    answer = await gw.next();
    assert.equal(answer.error?.code, -32600, JSON.stringify(answer));

    // A line over 16 MiB (the default max_line_bytes): refused, then skipped.
    const huge = `{"jsonrpc":"2.0","id":6,"method":"ping","params":{"pad":"${'x'.repeat(17 * 1024 * 1024)}"}}\n`;
    gw.send(huge);
    answer = await gw.next(30000);
    assert.equal(answer.error?.code, -32600, JSON.stringify(answer).slice(0, 300));

    // Unknown method.
    gw.send(request(7, 'resources/teleport'));
    answer = await gw.next();
    assert.equal(answer.id, 7);
    assert.equal(answer.error?.code, -32601);

    // Still serving: ping and tools/list answer.
    gw.send(request(8, 'ping'));
    answer = await gw.next();
    assert.deepEqual(answer, { jsonrpc: '2.0', id: 8, result: {} });
    gw.send(request(9, 'tools/list'));
    answer = await gw.next();
    assert.equal(answer.id, 9);
    assert.deepEqual(answer.result.tools.map((t) => t.name).sort(), ['tool_browse', 'tool_execute', 'tool_view']);

    // Invalid params of tools/call.
    gw.send(request(10, 'tools/call', { arguments: {} }));
    answer = await gw.next();
    assert.equal(answer.id, 10);
    assert.equal(answer.error?.code, -32602, JSON.stringify(answer));

    // End of input: the gateway exits cleanly.
    assert.equal(await gw.close(), 0, gw.stderr());
  } finally {
    gw.child.kill('SIGKILL');
  }
});

test('protocol versions: each supported one is echoed, an unknown one gets the latest', async () => {
  const dir = tempDir();
  const config = writeConfig(dir, { flaky: upstreams.flaky() });
  for (const [asked, expected] of [['2024-11-05', '2024-11-05'], ['2025-06-18', '2025-06-18'], ['1999-01-01', '2025-06-18']]) {
    const gw = spawnRaw(cli, 'gateway', config);
    try {
      gw.send(request(1, 'initialize', { protocolVersion: asked, capabilities: {}, clientInfo: { name: 'raw', version: '0' } }));
      const answer = await gw.next();
      assert.equal(answer.result.protocolVersion, expected);
      assert.equal(answer.result.serverInfo.name, 'contextweaver-gateway');
      assert.equal(await gw.close(), 0);
    } finally {
      gw.child.kill('SIGKILL');
    }
  }
});

test('through the SDK: an unknown method is −32601 and the session goes on', async () => {
  const dir = tempDir();
  const gw = await connect(cli, 'gateway', writeConfig(dir, { flaky: upstreams.flaky() }));
  try {
    const { types } = sdk();
    await assert.rejects(
      gw.client.request({ method: 'prompts/teleport', params: {} }, types.EmptyResultSchema, { timeout: 10000 }),
      (error) => error.code === -32601,
    );
    const result = await call(gw.client, 'tool_browse', { query: 'echo' });
    assert.equal(result.isError, false);
  } finally {
    await gw.close();
  }
});
