// Shared pieces of the end-to-end gateway tests: prerequisites (skip with exit
// code 77 and a reason when node's peers or the gateway command are missing),
// a hard watchdog, the upstream definitions (the three npm servers and our
// misbehaving ones), and a client session with `contextweaver gateway|proxy`
// launched as a user's agent would launch it: by the SDK's Client over stdio.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { peerFile, sdk, sdkAvailable, PEERS_DIR } from './sdk.mjs';

export const SKIP = 77;  // ctest SKIP_RETURN_CODE
const here = path.dirname(fileURLToPath(import.meta.url));
export const PEERS_SRC = path.resolve(here, '../peers');

function skip(reason) {
  console.log(`SKIP: ${reason}`);
  process.exit(SKIP);
}

// The contextweaver binary (CW_CLI), after checking that the peers are
// installed and that `contextweaver <mode> --help` works; otherwise exits 77.
export function requirePrerequisites(modes = ['gateway']) {
  if (!sdkAvailable()) {
    skip(`MCP test peers are not installed in ${PEERS_DIR}: run scripts/bootstrap (needs npm)`);
  }
  const cli = process.env.CW_CLI && path.resolve(process.env.CW_CLI);
  if (!cli) skip('CW_CLI (the contextweaver binary) is not set; run this test through ctest');
  for (const mode of modes) {
    const probe = spawnSync(cli, [mode, '--help'], { encoding: 'utf8', timeout: 10000 });
    if (probe.status !== 0) {
      skip(`\`contextweaver ${mode} --help\` failed (status ${probe.status}): the ${mode} command is not available in this build`);
    }
  }
  return cli;
}

// Kills the whole test (and so, through 'exit' handlers, its children) when it
// runs past `ms`: a hung gateway must fail the test, never hang CI.
export function watchdog(ms, what = 'test') {
  const timer = setTimeout(() => {
    console.error(`FAIL: ${what} still running after ${ms} ms (watchdog)`);
    for (const kill of cleanups) {
      try { kill(); } catch { /* already gone */ }
    }
    process.exit(1);
  }, ms);
  timer.unref();
  return timer;
}

const cleanups = new Set();
process.on('exit', () => {
  for (const kill of cleanups) {
    try { kill(); } catch { /* already gone */ }
  }
});

export function tempDir(tag = 'cw-e2e-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), tag));
  cleanups.add(() => { if (!process.env.CW_E2E_KEEP) rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

const nodeServer = (script, args = [], extra = {}) => ({
  command: process.execPath,
  args: [script, ...args],
  env: { CW_MCP_PEERS: PEERS_DIR },
  ...extra,
});

// Upstream config entries ("mcpServers" values).
export const upstreams = {
  everything: () => nodeServer(peerFile('@modelcontextprotocol/server-everything/dist/index.js'), ['stdio']),
  filesystem: (root) => nodeServer(peerFile('@modelcontextprotocol/server-filesystem/dist/index.js'), [root]),
  memory: (file) => ({
    ...nodeServer(peerFile('@modelcontextprotocol/server-memory/dist/index.js')),
    env: { MEMORY_FILE_PATH: file },
  }),
  flaky: (extra = {}) => nodeServer(path.join(PEERS_SRC, 'flaky_server.mjs'), [], extra),
  synthetic: (count = 10000) => nodeServer(path.join(PEERS_SRC, 'synthetic_server.mjs'), [String(count)]),
};

// Writes a gateway config into `dir` and returns its path.
export function writeConfig(dir, servers, settings = {}) {
  const config = {
    mcpServers: servers,
    contextweaver: { workspace: path.join(dir, 'workspace'), session: 'e2e', ...settings },
  };
  const file = path.join(dir, 'mcp.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

// Starts `contextweaver <mode> --config <file>` as the SDK client's stdio
// server and connects. Returns { client, stderr(), close() }.
export async function connect(cli, mode, configFile, { cwd, onListChanged } = {}) {
  const { Client, StdioClientTransport, types } = sdk();
  const transport = new StdioClientTransport({
    command: cli,
    args: [mode, '--config', configFile],
    cwd: cwd ?? path.dirname(configFile),
    stderr: 'pipe',
  });
  let errText = '';
  transport.stderr?.on('data', (chunk) => { errText += chunk; });
  const client = new Client({ name: 'contextweaver-e2e', version: '1.0.0' }, { capabilities: {} });
  if (onListChanged) client.setNotificationHandler(types.ToolListChangedNotificationSchema, onListChanged);
  const kill = () => { try { process.kill(transport.pid, 'SIGKILL'); } catch { /* gone */ } };
  try {
    await client.connect(transport, { timeout: 30000 });
  } catch (error) {
    kill();
    throw new Error(`could not connect to contextweaver ${mode}: ${error.message}\n--- gateway stderr ---\n${errText}`);
  }
  cleanups.add(kill);
  return {
    client,
    pid: transport.pid,
    stderr: () => errText,
    async close() {
      await client.close();
      cleanups.delete(kill);
    },
  };
}

// tools/call with a per-call timeout; returns the CallToolResult.
export function call(client, name, args = {}, timeout = 20000) {
  return client.callTool({ name, arguments: args }, undefined, { timeout });
}

// The single text part of a result (asserting there is exactly one).
export function textOf(result) {
  if (!Array.isArray(result.content) || result.content.length !== 1 || result.content[0].type !== 'text') {
    throw new Error(`expected one text part, got ${JSON.stringify(result).slice(0, 500)}`);
  }
  return result.content[0].text;
}

export const jsonOf = (result) => JSON.parse(textOf(result));

// tool_browse by query; returns the cards.
export async function browse(client, query, topK) {
  const args = topK === undefined ? { query } : { query, top_k: topK };
  const result = await call(client, 'tool_browse', args);
  if (result.isError) throw new Error(`tool_browse(${query}) failed: ${textOf(result)}`);
  return jsonOf(result);
}

// The card whose upstream name is `name` among a browse by `query`.
export async function findTool(client, query, name) {
  const cards = await browse(client, query, 50);
  const card = cards.find((c) => c.name === name);
  if (!card) throw new Error(`no card named ${name} for query "${query}": ${cards.map((c) => c.name).join(', ')}`);
  return card;
}

// tool_execute by tool_id; returns { result, envelope }.
export async function execute(client, toolId, args, timeout = 20000) {
  const result = await call(client, 'tool_execute', { tool_id: toolId, args }, timeout);
  return { result, envelope: jsonOf(result) };
}

// Runs the CLI (e.g. `log --json`) against the test's workspace and session.
export function runCli(cli, args, { workspace, session = 'e2e' }) {
  const out = spawnSync(cli, ['--workspace', workspace, '--session', session, ...args], {
    encoding: 'utf8',
    timeout: 20000,
  });
  if (out.status !== 0) throw new Error(`contextweaver ${args.join(' ')} failed (${out.status}): ${out.stderr}`);
  return out.stdout;
}

// Spawns the gateway as a raw child process (no SDK) for line-level tests.
// Returns { child, send(line), next(), stderr(), close() } where next()
// resolves with the next stdout line parsed as JSON.
export function spawnRaw(cli, mode, configFile) {
  const child = spawn(cli, [mode, '--config', configFile], {
    cwd: path.dirname(configFile),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const kill = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
  cleanups.add(kill);
  let errText = '';
  child.stderr.on('data', (chunk) => { errText += chunk; });
  let buffer = '';
  const lines = [];
  const waiters = [];
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      if (waiters.length) waiters.shift()(line);
      else lines.push(line);
    }
  });
  return {
    child,
    stderr: () => errText,
    send(text) { child.stdin.write(text); },
    next(timeout = 15000) {
      if (lines.length) return Promise.resolve(JSON.parse(lines.shift()));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line from the gateway within ${timeout} ms; stderr:\n${errText}`)), timeout);
        waiters.push((line) => {
          clearTimeout(timer);
          try { resolve(JSON.parse(line)); } catch (error) { reject(new Error(`stdout line is not JSON: ${line.slice(0, 300)}`)); }
        });
      });
    },
    close(timeout = 15000) {
      child.stdin.end();
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null) { cleanups.delete(kill); resolve(child.exitCode); return; }
        const timer = setTimeout(() => { kill(); reject(new Error('gateway did not exit after end of input')); }, timeout);
        child.on('exit', (code) => { clearTimeout(timer); cleanups.delete(kill); resolve(code); });
      });
    },
  };
}
