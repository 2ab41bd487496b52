// Gateway error payloads (GatewayError JSON in an isError result): a schema
// violation is refused before the upstream is called, and every other misuse
// of the meta-tools answers the documented code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  call, connect, execute, findTool, jsonOf, requirePrerequisites, tempDir, textOf, upstreams, watchdog,
  writeConfig,
} from './lib/harness.mjs';

const cli = requirePrerequisites(['gateway']);
watchdog(60000, 'errors.test.mjs');

let gw;
before(async () => {
  const dir = tempDir();
  gw = await connect(cli, 'gateway', writeConfig(dir, { flaky: upstreams.flaky() }));
});
after(async () => { if (gw) await gw.close(); });

async function gatewayError(name, args) {
  const result = await call(gw.client, name, args);
  assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} should fail: ${JSON.stringify(result)}`);
  const error = jsonOf(result);
  assert.equal(typeof error.message, 'string');
  assert.equal(typeof error.path, 'string');
  return error;
}

test('a schema violation is ARGS_INVALID and the upstream is not called', async () => {
  const record = await findTool(gw.client, 'record a counter value', 'record');
  const count = await findTool(gw.client, 'how many times did record run', 'record_count');
  for (const bad of [{ n: 'seven' }, {}, { n: -1 }, { n: 1, extra: true }]) {
    const error = await gatewayError('tool_execute', { tool_id: record.id, args: bad });
    assert.equal(error.error, 'ARGS_INVALID', JSON.stringify(error));
    assert.equal(error.path, record.id);
  }
  const ran = await execute(gw.client, count.id, {});
  assert.match(ran.envelope.summary, /^0\b/, 'record ran although every call was refused');
  const ok = await execute(gw.client, record.id, { n: 7 });
  assert.equal(ok.result.isError, false);
  assert.match((await execute(gw.client, count.id, {})).envelope.summary, /^1\b/);
});

test('an unknown tool id is HYDRATE_FAILED', async () => {
  const error = await gatewayError('tool_execute', { tool_id: 'flaky:nope#00000000', args: {} });
  assert.equal(error.error, 'HYDRATE_FAILED');
  assert.equal(error.path, 'flaky:nope#00000000');
});

test('meta-tool arguments of the wrong shape are ARGS_INVALID', async () => {
  assert.equal((await gatewayError('tool_execute', { tool_id: 7, args: {} })).error, 'ARGS_INVALID');
  assert.equal((await gatewayError('tool_execute', { tool_id: 'x' })).error, 'ARGS_INVALID');
  assert.equal((await gatewayError('tool_browse', { query: 'echo', path: '/' })).error, 'ARGS_INVALID');
  assert.equal((await gatewayError('tool_browse', {})).error, 'ARGS_INVALID');
  assert.equal((await gatewayError('tool_browse', { query: 'echo', top_k: 0 })).error, 'ARGS_INVALID');
  assert.equal((await gatewayError('tool_browse', { query: 'echo', top_k: 51 })).error, 'ARGS_INVALID');
  assert.equal((await gatewayError('tool_view', { handle: 'x' })).error, 'ARGS_INVALID');
});

test('bad paths are PATH_INVALID, unknown handles and selectors VIEW_FAILED', async () => {
  for (const bad of ['', 'flaky', '/flaky/', '//', '/Flaky', '/*/x']) {
    assert.equal((await gatewayError('tool_browse', { path: bad })).error, 'PATH_INVALID', `path ${JSON.stringify(bad)}`);
  }
  const missing = await gatewayError('tool_view', { handle: 'artifact:nope', selector: { type: 'head' } });
  assert.equal(missing.error, 'VIEW_FAILED');
  const echo = await findTool(gw.client, 'echo text back', 'echo');
  const { envelope } = await execute(gw.client, echo.id, { text: 'some text' });
  const badSelector = await gatewayError('tool_view', { handle: envelope.artifacts[0].handle, selector: { type: 'zigzag' } });
  assert.equal(badSelector.error, 'VIEW_FAILED');
});

test('an unknown meta-tool answers an isError result, not a protocol error', async () => {
  const result = await call(gw.client, 'tool_teleport', {});
  assert.equal(result.isError, true);
  assert.match(textOf(result), /tool_teleport/);
});
