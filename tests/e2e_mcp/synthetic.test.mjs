// 10,000 tools from one upstream (listed in pages the gateway must follow):
// browse ranks them, a found tool runs, and proxy mode pages its own listing.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  browse, call, connect, execute, jsonOf, requirePrerequisites, tempDir, textOf, upstreams, watchdog, writeConfig,
} from './lib/harness.mjs';

const cli = requirePrerequisites(['gateway', 'proxy']);
watchdog(90000, 'synthetic.test.mjs');

// One gateway over the 10,000 tools, shared by the gateway-mode tests (start-up lists
// and indexes all of them, which is the slow part).
let shared;
function gateway() {
  shared ??= connect(cli, 'gateway', writeConfig(tempDir(), { synthetic: upstreams.synthetic(10000) }));
  return shared;
}
after(async () => { if (shared) await (await shared).close(); });

test('gateway: browse over 10,000 tools finds the right one and runs it', async () => {
  const gw = await gateway();
  // Tool 4321: domain 4321%16=1 (crm), verb floor(4321/16)%10=0 (create), object floor(4321/160)%18=9 (user).
  const cards = await browse(gw.client, 'create user crm variant 4321', 10);
  assert.ok(cards.length >= 1 && cards.length <= 10);
  const card = cards.find((c) => c.name === 'crm.create_user_4321');
  assert.ok(card, `not in the top 10: ${cards.map((c) => c.name).join(', ')}`);
  const { envelope } = await execute(gw.client, card.id, { id: 'u-1' });
  assert.deepEqual(JSON.parse(envelope.summary), { tool: 'crm.create_user_4321', arguments: { id: 'u-1' } });
  // Tools of the last page are in the catalog too. Tool 9999 is monitoring/delete/order
  // "with attachments", like 1359, 4239 and 7119 only.
  const last = await browse(gw.client, 'delete an order in monitoring with attachments', 10);
  assert.ok(last.some((c) => c.name === 'monitoring.delete_order_9999'), last.map((c) => c.name).join(', '));
});

// At this size the browse tree merges clusters into nodes whose ids name hundreds of
// them; their cards must still fit the card bounds.
test('gateway: path browsing works at 10,000 tools', async () => {
  const gw = await gateway();
  const result = await call(gw.client, 'tool_browse', { path: '/' });
  assert.equal(result.isError, false, textOf(result).slice(0, 300));
  const top = jsonOf(result);
  assert.ok(top.length > 0 && top.length <= 50);
  // Descend into the first navigation node whose label is a path segment.
  const child = top.find((card) => card.kind === 'internal' && /^[a-z][a-z0-9_-]{0,63}$/.test(card.id.split('/').pop().toLowerCase()));
  if (child) {
    const label = child.id.split('/').pop().toLowerCase();
    const below = await call(gw.client, 'tool_browse', { path: `/${label}` });
    assert.equal(below.isError, false, textOf(below).slice(0, 300));
  }
});

test('proxy: 10,000 tools listed over paginated tools/list', async () => {
  const dir = tempDir();
  const gw = await connect(cli, 'proxy', writeConfig(dir, { synthetic: upstreams.synthetic(10000) }));
  try {
    const names = new Set();
    let cursor;
    let pages = 0;
    do {
      const page = await gw.client.listTools(cursor ? { cursor } : {});
      for (const t of page.tools) names.add(t.name);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 1000);
    assert.equal(names.size, 10002);
    assert.ok(pages > 1);
  } finally {
    await gw.close();
  }
});
