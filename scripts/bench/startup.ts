/**
 * Server cold start: spawn to tools/list answered, for every server launched as hosts launch it
 * (scripts/bench/launches.ts), read against @modelcontextprotocol/server-memory launched the same
 * way in the same rounds. The launches are interleaved round by round, so whatever else loads the
 * machine falls on the floor and the servers alike; the MCP SDK's bare stdio server, holding no
 * tool, is printed beside them as the least any server can cost.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOL_GROUPS } from '../../schemas/index.js';
import { repoRoot } from '../stack/paths.js';
import { formatMs, percentile, type BenchContext } from './bench-context.js';
import { mcpJsonLaunch } from './bench-stack.js';
import { checkoutNpxLaunch, installPackedTarball, installedNpxLaunch, nodeLaunch, type Launch } from './launches.js';

const ROUNDS = 10;
const require = createRequire(import.meta.url);

const BARE_SDK_SERVER = [
  "import { Server } from '@modelcontextprotocol/sdk/server/index.js';",
  "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
  "import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';",
  "const server = new Server({ name: 'floor', version: '0' }, { capabilities: { tools: {} } });",
  'server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));',
  'await server.connect(new StdioServerTransport());',
  "process.stdin.on('end', () => process.exit(0));",
].join('\n');

async function coldStartMs(launch: Launch, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const client = new Client({ name: 'bench-startup', version: '0' });
  await client.connect(new StdioClientTransport({ command: launch.command, args: launch.args, cwd: launch.cwd, env, stderr: 'ignore' }));
  await client.listTools();
  const elapsed = performance.now() - started;
  await client.close();
  return elapsed;
}

export async function benchStartup(ctx: BenchContext): Promise<void> {
  const memoryEntry = require.resolve('@modelcontextprotocol/server-memory/dist/index.js');
  const env = { ...(process.env as Record<string, string>), MEMORY_FILE_PATH: join(mkdtempSync(join(tmpdir(), 'dca-bench-memory-')), 'memory.jsonl') };
  const installed = installPackedTarball();
  try {
    const floors: Record<string, Launch> = {
      node: { label: 'node', command: process.execPath, args: [memoryEntry], cwd: repoRoot },
      npx: { label: 'npx', command: checkoutNpxLaunch('x').command, args: ['mcp-server-memory'], cwd: repoRoot },
      sdk: { label: 'node', command: process.execPath, args: ['--input-type=module', '-e', BARE_SDK_SERVER], cwd: repoRoot },
    };
    const launches = TOOL_GROUPS.flatMap((group) => [
      { group, kind: 'node', launch: nodeLaunch(group) },
      { group, kind: 'npx', launch: checkoutNpxLaunch(group) },
      { group, kind: 'npx', launch: installedNpxLaunch(installed.project, group) },
    ]);
    // What mcp.json runs: the TypeScript through tsx, for hosts started from the repository root.
    launches.push({ group: 'agents', kind: 'node', launch: { label: 'tsx from source (mcp.json)', ...mcpJsonLaunch('agents'), cwd: repoRoot } });
    const samples = new Map<string, number[]>();
    const add = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
    // One unmeasured round: npx records the checkout in its cache at its first launch.
    for (const l of [...Object.values(floors), ...launches.map((x) => x.launch)]) await coldStartMs(l, env);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, launch] of Object.entries(floors)) add(`floor:${name}`, await coldStartMs(launch, env));
      for (const { group, launch } of launches) add(`${group}:${launch.label}`, await coldStartMs(launch, env));
    }
    const median = (key: string) => percentile([...(samples.get(key) ?? [])].sort((a, b) => a - b), 50);
    const memoryNode = median('floor:node');
    const memoryNpx = median('floor:npx');
    ctx.report(`server-memory cold start: node ${formatMs(memoryNode)}, npx ${formatMs(memoryNpx)}; the SDK's bare stdio server ${formatMs(median('floor:sdk'))} (medians over ${ROUNDS} interleaved rounds)`, {
      memory_node_ms: memoryNode,
      memory_npx_ms: memoryNpx,
      bare_sdk_ms: median('floor:sdk'),
    });
    for (const { group, kind, launch } of launches) {
      const ms = median(`${group}:${launch.label}`);
      const floor = kind === 'node' ? memoryNode : memoryNpx;
      ctx.report(`${group} cold start, ${launch.label}: ${formatMs(ms)}, ${(ms / floor).toFixed(2)}x server-memory by ${kind}`, {
        [`${group}_${launch.label.replace(/\W+/g, '_')}_ms`]: ms,
        [`${group}_${launch.label.replace(/\W+/g, '_')}_ratio`]: ms / floor,
      });
    }
  } finally {
    installed.remove();
  }
}
