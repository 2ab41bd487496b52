// An upstream's tool list changes while the gateway runs: the client receives
// notifications/tools/list_changed, and the new tool becomes browsable and
// callable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  browse, connect, execute, findTool, requirePrerequisites, tempDir, upstreams, watchdog, writeConfig,
} from './lib/harness.mjs';

const cli = requirePrerequisites(['gateway']);
watchdog(60000, 'list_changed.test.mjs');

test('a list change upstream reaches the client and the new tool is browsable', async () => {
  const dir = tempDir();
  let notified = 0;
  let wake = () => {};
  const gw = await connect(cli, 'gateway', writeConfig(dir, { flaky: upstreams.flaky() }), {
    onListChanged: () => { notified += 1; wake(); },
  });
  try {
    const before = await browse(gw.client, 'zebra stripes painter', 50);
    assert.ok(!before.some((c) => c.name === 'zebra_stripes_painter'));
    const adder = await findTool(gw.client, 'add a new tool to this upstream', 'add_tool');
    const arrived = new Promise((resolve, reject) => {
      wake = resolve;
      setTimeout(() => reject(new Error('no notifications/tools/list_changed within 15 s')), 15000).unref();
    });
    const { result } = await execute(gw.client, adder.id, { name: 'zebra_stripes_painter' });
    assert.equal(result.isError, false);
    await arrived;
    assert.ok(notified >= 1);
    // The gateway may refresh its catalog just after notifying: allow it a moment.
    let card;
    for (let attempt = 0; attempt < 20 && !card; attempt += 1) {
      card = (await browse(gw.client, 'zebra stripes painter', 50)).find((c) => c.name === 'zebra_stripes_painter');
      if (!card) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(card, 'the new tool never became browsable');
    const ran = await execute(gw.client, card.id, {});
    assert.match(ran.envelope.summary, /fresh tool zebra_stripes_painter ran/);
  } finally {
    await gw.close();
  }
});
