#!/usr/bin/env node
// End-to-end MCP gateway latency over real stdio peers, with the official SDK
// client as the agent (wall time, sequential calls, nearest-rank percentiles):
//   direct    tools/call echo on the flaky test upstream, no gateway
//   gateway   tool_execute of the same echo through `contextweaver gateway`
//             (validation, firewall, session recording, one more pipe hop),
//             alternating call by call with direct
//   overhead  gateway − direct, at p50 and at p99
//   ping      the gateway's own round trip (transport floor)
//   browse    tool_browse by query over the three npm servers' tools, and
//             over the 10,000-tool synthetic upstream
// The gateway process's CPU time per call (utime+stime from /proc, so other
// processes' load does not count) is reported beside the wall times.
//
// Usage: node bench/mcp/gateway_latency.mjs CONTEXTWEAVER_BINARY [calls=1000] [execute|browse]
// (the third argument runs one part only, e.g. to profile the gateway under it)
// (the peers come from scripts/bootstrap: .deps/mcp-peers, or CW_MCP_PEERS).
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { connect, findTool, tempDir, upstreams, writeConfig } from '../../tests/e2e_mcp/lib/harness.mjs';
import { sdk, sdkAvailable, PEERS_DIR } from '../../tests/e2e_mcp/lib/sdk.mjs';

const cliArg = process.argv[2] || process.env.CW_CLI;
const cli = cliArg && path.resolve(cliArg);
const calls = Number(process.argv[3] || 1000);
const only = process.argv[4] || '';
if (!cli || !sdkAvailable()) {
  console.error(`usage: gateway_latency.mjs CONTEXTWEAVER_BINARY [calls]  (peers in ${PEERS_DIR}: run scripts/bootstrap)`);
  process.exit(2);
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(Math.floor(sorted.length * p), sorted.length - 1)];
};
const fmt = (ms) => `${(ms * 1000).toFixed(0).padStart(6)} us`;

// Process CPU time (user + system) in ms, from /proc/<pid>/stat.
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;  // USER_HZ is 100 on Linux
}

// Times fn(i) n times after a warm-up; with selfTimed, fn returns its own
// duration in ms (for a call that does untimed work first).
async function timed(n, fn, selfTimed = false) {
  const warm = Math.min(100, Math.floor(n / 5));
  for (let i = 0; i < warm; i += 1) await fn(i);
  const samples = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = process.hrtime.bigint();
    const own = await fn(i);
    samples.push(selfTimed ? own : Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples;
}

function report(name, samples, cpuPerCallMs) {
  const cpu = cpuPerCallMs === undefined ? '' : `   gateway CPU/call ${fmt(cpuPerCallMs)}`;
  console.log(`${name.padEnd(22)} n=${samples.length}  p50 ${fmt(pct(samples, 0.5))}  p99 ${fmt(pct(samples, 0.99))}${cpu}`);
  return samples;
}

async function viaGateway(pidOf, fn, selfTimed = false) {
  const before = cpuMs(pidOf);
  const samples = await timed(calls, fn, selfTimed);
  return { samples, cpu: (cpuMs(pidOf) - before) / (calls + Math.min(100, Math.floor(calls / 5))) };
}

const dir = tempDir('cw-bench-');
const check = (result, what) => {
  if (result.isError) throw new Error(`${what}: ${JSON.stringify(result)}`);
  return result;
};

// 1–2. direct and through the gateway, interleaved call by call so both see
// the same machine (on a shared machine, tails measured minutes apart differ
// by more than the gateway costs).
if (only === '' || only === 'execute') {
  const { Client, StdioClientTransport } = sdk();
  const entry = upstreams.flaky();
  const client = new Client({ name: 'bench-direct', version: '1' });
  await client.connect(new StdioClientTransport({
    command: entry.command, args: entry.args, env: { ...process.env, ...entry.env }, stderr: 'ignore',
  }));
  const gw = await connect(cli, 'gateway', writeConfig(path.join(dir), { flaky: upstreams.flaky() }));
  const echo = await findTool(gw.client, 'echo text back', 'echo');
  const pinged = await viaGateway(gw.pid, async () => gw.client.ping());
  report('gateway ping', pinged.samples, pinged.cpu);

  const direct = [];
  const executed = await viaGateway(gw.pid, async (i) => {
    const t0 = process.hrtime.bigint();
    check(await client.callTool({ name: 'echo', arguments: { text: `ping ${i}` } }), 'direct echo');
    direct.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const t1 = process.hrtime.bigint();
    check(await gw.client.callTool(
      { name: 'tool_execute', arguments: { tool_id: echo.id, args: { text: `ping ${i}` } } }), 'tool_execute');
    return Number(process.hrtime.bigint() - t1) / 1e6;
  }, true);
  report('direct echo', direct.slice(-calls));
  report('gateway tool_execute', executed.samples, executed.cpu);
  const d = direct.slice(-calls);
  console.log(`${'overhead (gw − direct)'.padEnd(22)}          p50 ${fmt(pct(executed.samples, 0.5) - pct(d, 0.5))}  p99 ${fmt(pct(executed.samples, 0.99) - pct(d, 0.99))}`);
  await gw.close();
  await client.close();
}

// 3. browse
const queries = ['echo a message', 'read a text file', 'write a file', 'list the directory', 'create entities',
  'search nodes in the graph', 'get the sum of two numbers', 'move a file', 'directory tree', 'edit a file',
  'export invoices for audits', 'refund a payment', 'sync calendar events', 'archive old tickets'];
for (const [name, servers] of [
  ['browse (3 npm servers)', () => {
    const sub = path.join(dir, 'peers');
    mkdirSync(path.join(sub, 'files'), { recursive: true });
    return [sub, { everything: upstreams.everything(), filesystem: upstreams.filesystem(path.join(sub, 'files')),
      memory: upstreams.memory(path.join(sub, 'memory.jsonl')) }];
  }],
  ['browse (10,000 tools)', () => {
    const sub = path.join(dir, 'synthetic');
    mkdirSync(sub, { recursive: true });
    return [sub, { synthetic: upstreams.synthetic(10000) }];
  }],
]) {
  if (only !== '' && only !== 'browse') break;
  const [sub, config] = servers();
  const gw = await connect(cli, 'gateway', writeConfig(sub, config));
  const browsed = await viaGateway(gw.pid, async (i) => check(await gw.client.callTool(
    { name: 'tool_browse', arguments: { query: queries[i % queries.length] } }), 'tool_browse'));
  report(name, browsed.samples, browsed.cpu);
  await gw.close();
}
process.exit(0);
