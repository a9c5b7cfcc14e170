/**
 * The contract every server of mcp.json keeps with its host, checked on the real spawned process:
 * the exact tool set and golden schemas, tools/list while Temporal is down, clear errors, a stdout
 * that carries only JSON-RPC, and a prompt exit when the host goes away.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_GROUPS, contractsByGroup, type ToolGroup } from '../../schemas/index.js';
import { strictInput } from '../../schemas/json-schema.js';
import { freePort } from '../../scripts/temporal/free-port.js';
import { connectServer, mcpServerNames, repoRoot, type ConnectedServer } from '../helpers/mcp-servers.js';
import { exitsWithin, initialize, killRawServer, spawnRawServer, type RawServer } from '../helpers/raw-stdio.js';
import { sampleArguments } from './sample-arguments.js';

/** How long a host may wait for a server to go after closing its stdin or sending SIGTERM. */
const EXIT_DEADLINE_MS = 2_000;
const STACK_FRAME = /\n\s*at |\.ts:\d+:\d+/;

const expectedToolNames = (group: ToolGroup) => contractsByGroup[group].map((c) => c.name).sort();
const groupsWithSamples = TOOL_GROUPS.filter((g) => sampledContracts(g).length > 0);

function sampledContracts(group: ToolGroup) {
  return contractsByGroup[group].filter((c) => c.name in sampleArguments);
}

function goldenFile(group: ToolGroup, tool: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(repoRoot, 'schemas', 'json', group, `${tool}.json`), 'utf8')) as Record<string, unknown>;
}

function resultText(result: CallToolResult): string {
  const [first] = result.content;
  if (first?.type !== 'text') throw new Error(`expected a text result, got ${JSON.stringify(result.content)}`);
  return first.text;
}

/** Environment that points a server at a port where nothing listens: Temporal is down. */
let downEnv: Record<string, string>;
let downAddress: string;

beforeAll(async () => {
  downAddress = `127.0.0.1:${await freePort()}`;
  downEnv = { TEMPORAL_ADDRESS: downAddress, TEMPORAL_TASK_QUEUE: 'contract-servers-temporal-down' };
});

describe('mcp.json', () => {
  it('declares exactly one server per tool group', () => {
    expect(mcpServerNames().sort()).toEqual([...TOOL_GROUPS].sort());
  });
});

describe.each(TOOL_GROUPS)('%s server (spawned from mcp.json, Temporal down)', (group) => {
  let server: ConnectedServer;
  let tools: Tool[];

  beforeAll(async () => {
    server = await connectServer(group, downEnv);
    tools = (await server.client.listTools()).tools;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('introduces itself as this group with the tools capability', () => {
    expect(server.client.getServerVersion()?.name).toBe(`durable-crypto-agents-${group}`);
    expect(server.client.getServerCapabilities()?.tools).toBeDefined();
  });

  it('lists exactly the tools of its contracts, answering while Temporal is down', () => {
    expect(tools.map((t) => t.name).sort()).toEqual(expectedToolNames(group));
  });

  it('serves every tool exactly as its committed golden schema, and no golden file is stale', () => {
    for (const tool of tools) {
      const golden = goldenFile(group, tool.name);
      expect({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      }).toEqual(golden);
    }
    const goldenDir = join(repoRoot, 'schemas', 'json', group);
    const committed = existsSync(goldenDir) ? readdirSync(goldenDir).filter((f) => f.endsWith('.json')) : [];
    expect(committed.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(expectedToolNames(group));
  });

  it('sets all four annotations on every tool, as booleans', () => {
    for (const tool of tools) {
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
      // A tool that only reads cannot also be destructive.
      if (tool.annotations?.readOnlyHint) expect(tool.annotations.destructiveHint).toBe(false);
    }
  });

  it('answers a call with isError naming TEMPORAL_ADDRESS, without a stack trace', async () => {
    const sampled = sampledContracts(group);
    if (contractsByGroup[group].length > 0) {
      expect(sampled.length, `add sample arguments for one of the ${group} tools to tests/contract/sample-arguments.ts`).toBeGreaterThan(0);
    }
    // Concurrent calls: they share the server's one pending connection attempt.
    const calls = sampled.map(async (contract) => {
      const args = sampleArguments[contract.name];
      const parsed = strictInput(contract).safeParse(args);
      expect(parsed.success, `sample arguments of ${contract.name}: ${parsed.error?.message ?? ''}`).toBe(true);
      return (await server.client.callTool({ name: contract.name, arguments: args })) as CallToolResult;
    });
    for (const result of await Promise.all(calls)) {
      expect(result.isError).toBe(true);
      const text = resultText(result);
      expect(text).toMatch(/^TEMPORAL_UNAVAILABLE: /);
      expect(text).toContain(downAddress);
      expect(text).toContain('TEMPORAL_ADDRESS');
      expect(text).not.toMatch(STACK_FRAME);
    }
  });

  it('answers an unknown tool with isError listing the tools it has', async () => {
    const result = (await server.client.callTool({ name: 'no_such_tool', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain(`UNKNOWN_TOOL: the ${group} server has no tool no_such_tool`);
    const names = expectedToolNames(group);
    for (const name of names) expect(text).toContain(name);
    if (names.length === 0) expect(text).toContain('none yet');
  });
});

describe.each(TOOL_GROUPS)('%s server over raw stdio', (group) => {
  const spawned: RawServer[] = [];
  const spawn = () => {
    const server = spawnRawServer(group, downEnv);
    spawned.push(server);
    return server;
  };

  afterAll(async () => {
    await Promise.all(spawned.map(killRawServer));
  });

  it('writes nothing but JSON-RPC 2.0 messages to stdout, and exits when stdin closes', async () => {
    const server = spawn();
    const init = await initialize(server);
    expect(init.result?.serverInfo).toMatchObject({ name: `durable-crypto-agents-${group}` });
    const list = await server.request('tools/list');
    expect((list.result?.tools as Tool[]).map((t) => t.name).sort()).toEqual(expectedToolNames(group));

    const unknownTool = await server.request('tools/call', { name: 'no_such_tool', arguments: {} });
    expect(unknownTool.result).toMatchObject({ isError: true });
    // A request the protocol layer rejects is answered with a JSON-RPC error, still on one clean line.
    const malformed = await server.request('tools/call', { arguments: {} });
    expect(malformed.result).toBeUndefined();
    expect(malformed.error?.message).toContain('name');
    for (const contract of contractsByGroup[group]) {
      const badArguments = await server.request('tools/call', { name: contract.name, arguments: { not_a_field: 1 } });
      expect(badArguments.result).toMatchObject({ isError: true });
      expect(JSON.stringify(badArguments.result)).toContain('INVALID_INPUT');
    }

    server.child.stdin.end();
    expect(await exitsWithin(server, EXIT_DEADLINE_MS)).toBe(true);
    expect(await server.exited).toEqual({ code: 0, signal: null });

    const lines = server.stdoutLines().filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`stdout carried a line that is not JSON: ${line}`);
      }
      expect(message.jsonrpc).toBe('2.0');
      const isResponse = 'id' in message && ('result' in message) !== ('error' in message);
      const isRequestOrNotification = typeof message.method === 'string';
      expect(isResponse || isRequestOrNotification, line).toBe(true);
    }
  });

  it('exits on SIGTERM', async () => {
    const server = spawn();
    await initialize(server);
    server.child.kill('SIGTERM');
    expect(await exitsWithin(server, EXIT_DEADLINE_MS)).toBe(true);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});

describe.each(groupsWithSamples)('%s server shutting down mid-call', (group) => {
  let server: RawServer | undefined;

  afterAll(async () => {
    if (server) await killRawServer(server);
  });

  it('exits when stdin closes even while a call is still connecting to Temporal', async () => {
    server = spawnRawServer(group, downEnv);
    await initialize(server);
    const [contract] = sampledContracts(group);
    const name = contract?.name ?? '';
    const call = server.request('tools/call', { name, arguments: sampleArguments[name] });
    call.catch(() => undefined);
    server.child.stdin.end();
    expect(await exitsWithin(server, EXIT_DEADLINE_MS)).toBe(true);
  });
});
