// Gateway mode over the three npm servers together (everything, filesystem on
// a temp dir, memory): browse → execute → view round trips, a large result
// firewalled and drilled into, per-call artifact handles, path browsing.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  browse, call, connect, execute, findTool, jsonOf, requirePrerequisites, tempDir, textOf, upstreams,
  watchdog, writeConfig,
} from './lib/harness.mjs';

const cli = requirePrerequisites(['gateway']);
watchdog(90000, 'roundtrip.test.mjs');

let gw;
let root;
let memoryFile;
before(async () => {
  const dir = tempDir();
  root = path.join(dir, 'files');
  mkdirSync(root);
  memoryFile = path.join(dir, 'memory.jsonl');
  const config = writeConfig(dir, {
    everything: upstreams.everything(),
    // The allowed root is given relative to the upstream's `cwd`: the config's cwd is honoured.
    filesystem: { ...upstreams.filesystem('.'), cwd: root },
    // MEMORY_FILE_PATH reaches the upstream through the config's `env`.
    memory: upstreams.memory(memoryFile),
  });
  gw = await connect(cli, 'gateway', config);
});
after(async () => { if (gw) await gw.close(); });

// tool_view of `handle` with `selector`; returns the raw text.
async function view(handle, selector) {
  const result = await call(gw.client, 'tool_view', { handle, selector });
  assert.equal(result.isError, false, `tool_view ${handle}: ${JSON.stringify(result)}`);
  return textOf(result);
}

test('tools/list offers exactly the three meta-tools', async () => {
  const { tools } = await gw.client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), ['tool_browse', 'tool_execute', 'tool_view']);
  for (const t of tools) assert.equal(t.inputSchema.type, 'object');
});

test('browse finds tools of all three upstreams; cards carry no schema', async () => {
  const echo = await findTool(gw.client, 'echo a message back', 'echo');
  const write = await findTool(gw.client, 'write a file', 'write_file');
  const entities = await findTool(gw.client, 'create entities in the knowledge graph', 'create_entities');
  const ids = new Set([echo.id, write.id, entities.id]);
  assert.equal(ids.size, 3);
  for (const card of [echo, write, entities]) {
    assert.match(card.id, /^[a-z][a-z0-9_-]*:[A-Za-z_][A-Za-z0-9_.-]*(@[A-Za-z0-9._-]+)?(#[0-9a-f]{8})?$/);
    assert.equal(card.has_schema, true);
    for (const banned of ['args_schema', 'inputSchema', 'schema', 'examples', '_meta']) assert.ok(!(banned in card));
  }
  const cards = await browse(gw.client, 'read a text file', 3);
  assert.ok(cards.length >= 1 && cards.length <= 3);
});

test('everything: execute echo, then view the stored text through its handle', async () => {
  const echo = await findTool(gw.client, 'echo a message back', 'echo');
  const { result, envelope } = await execute(gw.client, echo.id, { message: 'hello through the gateway' });
  assert.equal(result.isError, false);
  assert.equal(envelope.status, 'ok');
  assert.match(envelope.summary, /hello through the gateway/);
  assert.equal(envelope.provenance.tool_id, echo.id);
  // Text-only results are persisted and their handle reaches the agent.
  assert.ok(envelope.artifacts.length >= 1, JSON.stringify(envelope));
  const text = await view(envelope.artifacts[0].handle, { type: 'head', chars: 200 });
  assert.match(text, /hello through the gateway/);
});

test('everything: two image results get two different handles', async () => {
  const tiny = await findTool(gw.client, 'get a tiny image', 'get-tiny-image');
  const first = (await execute(gw.client, tiny.id, {})).envelope;
  const second = (await execute(gw.client, tiny.id, {})).envelope;
  const images = (env) => env.artifacts.filter((a) => a.media_type.startsWith('image/')).map((a) => a.handle);
  assert.equal(images(first).length, 1, JSON.stringify(first));
  assert.equal(images(second).length, 1);
  assert.notEqual(images(first)[0], images(second)[0]);
});

test('everything: structured content is stored as JSON and drillable by keys', async () => {
  const tool = await findTool(gw.client, 'get structured weather content for a city', 'get-structured-content');
  const { envelope } = await execute(gw.client, tool.id, { location: 'Chicago' });
  const structured = envelope.artifacts.find((a) => a.media_type === 'application/json');
  assert.ok(structured, JSON.stringify(envelope));
  const full = JSON.parse(await view(structured.handle, { type: 'head', chars: 100000 }));
  const key = Object.keys(full)[0];
  const picked = JSON.parse(await view(structured.handle, { type: 'json_keys', keys: [key] }));
  assert.deepEqual(Object.keys(picked), [key]);
});

test('filesystem: write then read a file in the temp root', async () => {
  const write = await findTool(gw.client, 'write a file', 'write_file');
  const read = await findTool(gw.client, 'read a text file', 'read_text_file');
  const file = path.join(root, 'notes.txt');
  const written = await execute(gw.client, write.id, { path: file, content: 'alpha\nbeta\n' });
  assert.equal(written.result.isError, false, JSON.stringify(written.envelope));
  assert.equal(readFileSync(file, 'utf8'), 'alpha\nbeta\n');
  const { envelope } = await execute(gw.client, read.id, { path: file });
  assert.equal(envelope.status, 'ok');
  assert.match(envelope.summary, /alpha\nbeta/);
});

// A 2,000-line file (about 60 KB) read through filesystem's read_text_file.
async function readBigFile() {
  const lines = ['Inventory export: the first paragraph is the summary.', ''];
  for (let i = 0; i < 2000; i += 1) lines.push(`line ${i}: sku-${i} quantity ${(i * 37) % 101}`);
  const file = path.join(root, 'big.txt');
  writeFileSync(file, lines.join('\n'));
  const read = await findTool(gw.client, 'read a text file', 'read_text_file');
  return { lines, ...(await execute(gw.client, read.id, { path: file })) };
}

test('filesystem: a large result is firewalled and drilled into with tool_view', async () => {
  const { lines, result, envelope } = await readBigFile();
  assert.equal(result.isError, false);
  assert.ok(envelope.summary.length <= 501, envelope.summary);
  assert.ok(!envelope.summary.includes('line 1999'));
  const raw = envelope.artifacts.find((a) => a.handle.startsWith('artifact:result:'));
  assert.ok(raw, `the raw text was not stored: ${JSON.stringify(envelope.artifacts)}`);
  assert.equal(raw.size_bytes, Buffer.byteLength(lines.join('\n')));
  const slice = await view(raw.handle, { type: 'lines', start: 1502, end: 1505 });
  assert.equal(slice, lines.slice(1502, 1505).join('\n'));
  const head = await view(raw.handle, { type: 'head', chars: 20 });
  assert.equal(head, lines[0].slice(0, 20));
});

// The firewall extracts a fact from every "key: value" line (2,000 here); the
// agent-facing envelope must stay bounded all the same.
test('filesystem: the envelope of a large result stays small', async () => {
  const { result, envelope } = await readBigFile();
  assert.ok(textOf(result).length < 20000, `envelope is ${textOf(result).length} chars`);
  assert.ok(envelope.facts.length <= 20, `${envelope.facts.length} facts`);
});

test('memory: create an entity, then find it', async () => {
  const create = await findTool(gw.client, 'create entities in the knowledge graph', 'create_entities');
  const search = await findTool(gw.client, 'search nodes in the knowledge graph', 'search_nodes');
  const created = await execute(gw.client, create.id, {
    entities: [{ name: 'Ada Lovelace', entityType: 'person', observations: ['wrote the first program'] }],
  });
  assert.equal(created.result.isError, false, JSON.stringify(created.envelope));
  assert.match(readFileSync(memoryFile, 'utf8'), /Ada Lovelace/);
  const found = await execute(gw.client, search.id, { query: 'Lovelace' });
  assert.match(found.envelope.summary, /Ada Lovelace/);
});

test('path browsing: / lists navigation cards, and a miss is PATH_NOT_FOUND', async () => {
  const top = await call(gw.client, 'tool_browse', { path: '/' });
  assert.equal(top.isError, false);
  const cards = jsonOf(top);
  assert.ok(Array.isArray(cards) && cards.length > 0);
  const miss = await call(gw.client, 'tool_browse', { path: '/no-such-group' });
  assert.equal(miss.isError, true);
  assert.equal(jsonOf(miss).error, 'PATH_NOT_FOUND');
});
