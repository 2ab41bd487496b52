// Upstream failures seen through the gateway: an upstream that crashes
// mid-call, one that hangs past its timeout, and a call the client cancels.
// Each must come back as an answer (never a hang), and the gateway must keep
// serving afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import {
  call, connect, execute, findTool, requirePrerequisites, runCli, tempDir, textOf, upstreams, watchdog, writeConfig,
} from './lib/harness.mjs';

const cli = requirePrerequisites(['gateway']);
watchdog(60000, 'failures.test.mjs');

const TIMEOUT_S = 1.5;
let gw;
let dir;
before(async () => {
  dir = tempDir();
  gw = await connect(cli, 'gateway', writeConfig(dir, { flaky: upstreams.flaky({ timeout: TIMEOUT_S }) }));
});
after(async () => { if (gw) await gw.close(); });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Calls echo until it answers (the gateway restarts a dead upstream on the
// next request, at most once a second); returns the successful envelope.
async function echoEventually(echoId, text) {
  let last;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    last = await execute(gw.client, echoId, { text });
    if (!last.result.isError) return last.envelope;
    await sleep(300);
  }
  assert.fail(`echo kept failing after the crash: ${JSON.stringify(last.envelope)}`);
}

test('an upstream that crashes mid-call answers isError; later calls work after the restart', async () => {
  const crash = await findTool(gw.client, 'crash the upstream server', 'crash_midcall');
  const echo = await findTool(gw.client, 'echo text back', 'echo');
  const { result, envelope } = await execute(gw.client, crash.id, {});
  assert.equal(result.isError, true);
  assert.equal(envelope.status, 'error');
  assert.match(textOf(result), /exited|upstream/i);
  const after = await echoEventually(echo.id, 'alive again');
  assert.match(after.summary, /alive again/);
  // And again: a second crash is survived the same way.
  assert.equal((await execute(gw.client, crash.id, {})).result.isError, true);
  assert.match((await echoEventually(echo.id, 'still alive')).summary, /still alive/);
});

test('an upstream that hangs past the timeout answers an isError timeout', async () => {
  const hang = await findTool(gw.client, 'hang forever past any timeout', 'hang');
  const echo = await findTool(gw.client, 'echo text back', 'echo');
  // The client waits far longer than the upstream timeout: the gateway must answer first.
  const result = await call(gw.client, 'tool_execute', { tool_id: hang.id, args: {} }, 20000);
  assert.equal(result.isError, true);
  assert.match(textOf(result), /timeout/i);
  // The upstream itself is still alive and serves the next call.
  const { envelope } = await execute(gw.client, echo.id, { text: 'after the timeout' });
  assert.match(envelope.summary, /after the timeout/);
});

test('a call cancelled by the client leaves the gateway serving', async () => {
  const hang = await findTool(gw.client, 'hang forever past any timeout', 'hang');
  const echo = await findTool(gw.client, 'echo text back', 'echo');
  const controller = new AbortController();
  const pending = gw.client.callTool({ name: 'tool_execute', arguments: { tool_id: hang.id, args: {} } }, undefined,
    { signal: controller.signal, timeout: 20000 });
  await sleep(200);
  controller.abort('the user gave up');
  await assert.rejects(pending);
  const { envelope } = await execute(gw.client, echo.id, { text: 'after the cancel' });
  assert.match(envelope.summary, /after the cancel/);
  // ping still answers.
  assert.deepEqual(await gw.client.ping(), {});
});

test('after the session, every call (crashed, timed out, cancelled) has its recorded result', async () => {
  await gw.close();  // waits for calls in flight; the session is complete
  gw = null;
  const log = JSON.parse(runCli(cli, ['--json', 'log'], { workspace: path.join(dir, 'workspace') }));
  const calls = log.items.filter((item) => item.kind === 'tool_call');
  const results = new Map(log.items.filter((item) => item.kind === 'tool_result').map((item) => [item.parent_id, item]));
  const names = calls.map((c) => c.metadata.tool_name);
  for (const name of ['crash_midcall', 'hang', 'echo']) assert.ok(names.includes(name), `${name} not recorded: ${names}`);
  for (const c of calls) {
    const result = results.get(c.id);
    assert.ok(result, `call ${c.id} (${c.metadata.tool_name}) has no recorded result`);
    assert.equal(result.id, `result:${c.id}`);
  }
  assert.equal(results.size, calls.length);
  assert.ok(calls.filter((c) => c.metadata.tool_name === 'hang').length >= 2);
});
