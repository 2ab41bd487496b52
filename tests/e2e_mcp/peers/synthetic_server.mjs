#!/usr/bin/env node
// A synthetic MCP upstream with many tools (default 10,000; argv[2] or
// CW_SYNTHETIC_TOOLS sets the count), listed in pages of 500 with cursors so
// the gateway must follow them. Names, descriptions and schemas come from a
// fixed vocabulary, deterministically: `<domain>.<verb>_<object>_<n>`. Every
// call answers {"tool": name, "arguments": args} as JSON text, at once.
import { sdk } from '../lib/sdk.mjs';

const { Server, StdioServerTransport, types } = sdk();

const count = Number(process.argv[2] || process.env.CW_SYNTHETIC_TOOLS || 10000);
const PAGE = 500;

const domains = ['billing', 'crm', 'github', 'slack', 'calendar', 'storage', 'analytics', 'hr',
  'support', 'search', 'email', 'inventory', 'shipping', 'payments', 'docs', 'monitoring'];
const verbs = ['create', 'list', 'get', 'update', 'delete', 'search', 'export', 'sync', 'archive', 'approve'];
const objects = ['invoice', 'customer', 'issue', 'message', 'event', 'file', 'report', 'ticket',
  'order', 'user', 'alert', 'page', 'shipment', 'refund', 'dashboard', 'contract', 'comment', 'label'];
const purposes = ['for audits', 'for the weekly review', 'in bulk', 'by owner', 'with filters',
  'for a date range', 'across teams', 'with attachments'];

function makeTool(i) {
  const domain = domains[i % domains.length];
  const verb = verbs[Math.floor(i / domains.length) % verbs.length];
  const object = objects[Math.floor(i / (domains.length * verbs.length)) % objects.length];
  const purpose = purposes[i % purposes.length];
  const properties = { id: { type: 'string', description: `The ${object} id` } };
  const required = ['id'];
  if (i % 3 === 0) properties.limit = { type: 'integer', minimum: 1, maximum: 500 };
  if (i % 4 === 1) properties.query = { type: 'string' };
  if (i % 5 === 2) {
    properties.tags = { type: 'array', items: { type: 'string' } };
    required.push('tags');
  }
  return {
    name: `${domain}.${verb}_${object}_${i}`,
    description: `${verb[0].toUpperCase()}${verb.slice(1)} a ${object} in ${domain} ${purpose}. Variant ${i}.`,
    inputSchema: { type: 'object', properties, required },
  };
}

const tools = Array.from({ length: count }, (_, i) => makeTool(i));

const server = new Server({ name: 'synthetic', version: '1.0.0' }, { capabilities: { tools: {} } });

server.setRequestHandler(types.ListToolsRequestSchema, async (request) => {
  const start = Number(request.params?.cursor ?? 0) || 0;
  const page = tools.slice(start, start + PAGE);
  const next = start + PAGE < tools.length ? String(start + PAGE) : undefined;
  return next === undefined ? { tools: page } : { tools: page, nextCursor: next };
});

server.setRequestHandler(types.CallToolRequestSchema, async (request) => ({
  content: [{ type: 'text', text: JSON.stringify({ tool: request.params.name, arguments: request.params.arguments ?? {} }) }],
  isError: false,
}));

await server.connect(new StdioServerTransport());
