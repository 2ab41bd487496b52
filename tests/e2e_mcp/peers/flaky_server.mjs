#!/usr/bin/env node
// A misbehaving MCP upstream for the end-to-end tests, written with the SDK's
// low-level Server (stdio). Tools:
//   echo {text}            answers the text
//   slow_echo {text, ms}   answers the text after ms milliseconds
//   record {n: integer}    counts its calls (strict schema: the gateway must
//                          refuse bad arguments without calling it)
//   record_count {}        how many times record ran in this process
//   crash_midcall {}       the process exits while the call is in flight
//   hang {}                never answers
//   big_text {lines}       a long multi-paragraph text (firewall fodder)
//   add_tool {name}        adds a tool `name` and sends
//                          notifications/tools/list_changed
// Logs go to stderr only; stdout carries protocol.
import { sdk } from '../lib/sdk.mjs';

const { Server, StdioServerTransport, types } = sdk();

const obj = (properties, required = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const baseTools = [
  {
    name: 'echo',
    description: 'Echo the given text back unchanged.',
    inputSchema: obj({ text: { type: 'string' } }, ['text']),
  },
  {
    name: 'slow_echo',
    description: 'Echo the given text back after waiting the given number of milliseconds.',
    inputSchema: obj({ text: { type: 'string' }, ms: { type: 'integer', minimum: 0, maximum: 10000 } }, ['text', 'ms']),
  },
  {
    name: 'record',
    description: 'Record a counter value n; the upstream counts how often it ran.',
    inputSchema: obj({ n: { type: 'integer', minimum: 0 } }, ['n']),
  },
  {
    name: 'record_count',
    description: 'Report how many times the record tool ran in this upstream process.',
    inputSchema: obj({}),
  },
  {
    name: 'crash_midcall',
    description: 'Crash the upstream server process while the call is in flight.',
    inputSchema: obj({}),
  },
  {
    name: 'hang',
    description: 'Never answer: hang forever, past any timeout.',
    inputSchema: obj({}),
  },
  {
    name: 'big_text',
    description: 'Produce a long report text of the given number of lines.',
    inputSchema: obj({ lines: { type: 'integer', minimum: 1, maximum: 100000 } }, ['lines']),
  },
  {
    name: 'add_tool',
    description: 'Add a new tool with the given name to this upstream and announce the list change.',
    inputSchema: obj({ name: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,40}$' } }, ['name']),
  },
];
const added = [];
let recordCalls = 0;

const text = (t, isError = false) => ({ content: [{ type: 'text', text: t }], isError });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = new Server({ name: 'flaky', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });

server.setRequestHandler(types.ListToolsRequestSchema, async () => ({ tools: [...baseTools, ...added] }));

server.setRequestHandler(types.CallToolRequestSchema, async (request) => {
  const { name } = request.params;
  const args = request.params.arguments ?? {};
  switch (name) {
    case 'echo':
      return text(String(args.text));
    case 'slow_echo':
      await sleep(Number(args.ms) || 0);
      return text(String(args.text));
    case 'record':
      recordCalls += 1;
      return text(`recorded ${args.n}`);
    case 'record_count':
      return text(String(recordCalls));
    case 'crash_midcall':
      process.stderr.write('flaky: crashing mid-call on purpose\n');
      process.exit(3);
      break;
    case 'hang':
      process.stderr.write('flaky: hanging on purpose\n');
      return new Promise(() => {});
    case 'big_text': {
      const lines = ['Quarterly report summary: all systems nominal.', ''];
      for (let i = 0; i < Number(args.lines); i += 1) {
        lines.push(`row ${i}: metric_${i % 17} = ${(i * 7919) % 1000} units`);
      }
      return text(lines.join('\n'));
    }
    case 'add_tool': {
      const fresh = String(args.name);
      if ([...baseTools, ...added].some((t) => t.name === fresh)) return text(`tool ${fresh} already exists`, true);
      added.push({
        name: fresh,
        description: `Freshly added tool ${fresh}: reports that it ran.`,
        inputSchema: obj({}),
      });
      await server.sendToolListChanged();
      return text(`added ${fresh}`);
    }
    default:
      if (added.some((t) => t.name === name)) return text(`fresh tool ${name} ran`);
      return text(`unknown tool ${name}`, true);
  }
});

await server.connect(new StdioServerTransport());
process.stderr.write('flaky: ready\n');
