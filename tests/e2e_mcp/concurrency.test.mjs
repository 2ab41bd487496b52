// Concurrent calls: 20 tool_execute calls in flight at once (slow upstream
// answers in mixed order) plus browses, all answered with their own result;
// then, after the session, `contextweaver log` holds every call and result,
// and `contextweaver artifacts show` reads every handle the agent was given.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  call, connect, execute, findTool, jsonOf, requirePrerequisites, runCli, tempDir, upstreams, watchdog,
  writeConfig,
} from './lib/harness.mjs';

const cli = requirePrerequisites(['gateway']);
watchdog(60000, 'concurrency.test.mjs');

test('20 concurrent calls are all answered, and all are recorded in the session', async () => {
  const dir = tempDir();
  const config = writeConfig(dir, { flaky: upstreams.flaky() }, { session: 'concurrent' });
  const workspace = JSON.parse((await import('node:fs')).readFileSync(config, 'utf8')).contextweaver.workspace;
  const gw = await connect(cli, 'gateway', config);
  const markers = Array.from({ length: 20 }, (_, i) => `concurrent-marker-${String(i).padStart(2, '0')}-end`);
  const handles = [];
  try {
    const slow = await findTool(gw.client, 'echo text after waiting milliseconds', 'slow_echo');
    // Later calls wait less, so answers come back out of order.
    const calls = markers.map((marker, i) => execute(gw.client, slow.id, { text: marker, ms: 50 + (19 - i) * 15 }));
    const browses = Array.from({ length: 5 }, () => call(gw.client, 'tool_browse', { query: 'echo' }));
    const results = await Promise.all(calls);
    results.forEach(({ result, envelope }, i) => {
      assert.equal(result.isError, false, JSON.stringify(envelope));
      assert.equal(envelope.summary, markers[i]);
      handles.push(...envelope.artifacts.map((a) => [a.handle, markers[i]]));
    });
    for (const b of await Promise.all(browses)) assert.ok(Array.isArray(jsonOf(b)));
  } finally {
    await gw.close();
  }

  // After the session: every call and its result are in the event log.
  const log = JSON.parse(runCli(cli, ['--json', 'log'], { workspace, session: 'concurrent' }));
  const items = log.items;
  assert.equal(log.total, items.length, 'log --json should list the whole log');
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const marker of markers) {
    const results = items.filter((item) => item.kind === 'tool_result' && item.text.includes(marker));
    assert.equal(results.length, 1, `result ${marker}: ${results.length} tool_result items`);
    const parent = byId.get(results[0].parent_id);
    assert.ok(parent, `result ${marker} has no recorded call (${results[0].parent_id})`);
    assert.equal(parent.kind, 'tool_call');
    assert.match(JSON.stringify(parent), new RegExp(marker), 'the call records its arguments');
  }

  // The artifacts recorded per call (rows of session.db) are the session's artifacts.
  assert.equal(handles.length, markers.length, 'each text result lists its stored handle');
  for (const [handle, marker] of handles) {
    const shown = JSON.parse(runCli(cli, ['--json', 'artifacts', 'show', '--handle', handle], { workspace, session: 'concurrent' }));
    assert.equal(shown.content, marker);
  }
});
