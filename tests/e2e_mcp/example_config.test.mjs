// examples/gateway/mcp.json works as documented: the same file, with each
// `npx -y <package>@<version>` launcher replaced by the locally installed copy
// of that exact package (CI has no network), starts a gateway over all three
// servers; and its pinned versions are the ones the tests use.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { browse, connect, requirePrerequisites, tempDir, watchdog } from './lib/harness.mjs';
import { peerFile } from './lib/sdk.mjs';

const cli = requirePrerequisites(['gateway']);
watchdog(60000, 'example_config.test.mjs');

const here = path.dirname(fileURLToPath(import.meta.url));
const example = JSON.parse(readFileSync(path.resolve(here, '../../examples/gateway/mcp.json'), 'utf8'));
const pinned = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8')).dependencies;

test('the example config pins the tested versions and serves all three servers', async () => {
  const dir = tempDir();
  const config = structuredClone(example);
  for (const [name, server] of Object.entries(config.mcpServers)) {
    assert.equal(server.command, 'npx', name);
    const spec = server.args.find((a) => a.startsWith('@modelcontextprotocol/'));
    const at = spec.lastIndexOf('@');
    const [pkg, version] = [spec.slice(0, at), spec.slice(at + 1)];
    assert.equal(version, pinned[pkg], `${name}: example pins ${spec}, tests use ${pinned[pkg]}`);
    const main = JSON.parse(readFileSync(peerFile(`${pkg}/package.json`), 'utf8')).bin;
    const entry = typeof main === 'string' ? main : Object.values(main)[0];
    server.command = process.execPath;
    server.args = [peerFile(`${pkg}/${entry}`), ...server.args.slice(server.args.indexOf(spec) + 1)];
  }
  // Relative paths (workspace, the filesystem root ".") resolve in the gateway's cwd.
  const file = path.join(dir, 'mcp.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  const gw = await connect(cli, 'gateway', file, { cwd: dir });
  try {
    const names = new Set();
    for (const q of ['echo a message', 'list the directory', 'create entities in the graph']) {
      for (const card of await browse(gw.client, q, 50)) names.add(card.name);
    }
    for (const name of ['echo', 'list_directory', 'create_entities']) assert.ok(names.has(name), name);
  } finally {
    await gw.close();
  }
});
