/**
 * Server start-up and agents figures: the cold start (spawn to tools/list answered) of every
 * prebuilt server next to the floor of the same run, a bare MCP SDK stdio server with no tools;
 * the agents server from source; and the prompt_agent → next_prompt round trip through the real
 * stdio server, next to the bare Temporal round trip measured in the same run.
 */
import { join } from 'node:path';
import { TOOL_GROUPS } from '../../schemas/index.js';
import { repoRoot } from '../stack/paths.js';
import { formatMs, percentile, type BenchContext } from './bench-context.js';
import { connectBenchServer, mcpJsonLaunch, serverEnv, startBenchWorker, type ServerLaunch } from './bench-stack.js';

const COLD_STARTS = 10;
const ROUND_TRIPS = 200;

async function coldStart(launch: ServerLaunch): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_STARTS; i += 1) {
    const started = performance.now();
    const client = await connectBenchServer(launch);
    await client.listTools();
    samples.push(performance.now() - started);
    await client.close();
  }
  return samples.sort((a, b) => a - b);
}

/** The floor a server's start-up is measured against: the MCP SDK's own stdio server, holding no tool. */
const BARE_SDK_SERVER = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';",
  "const server = new McpServer({ name: 'floor', version: '0' }, { capabilities: { tools: {} } });",
  'await server.connect(new StdioServerTransport());',
  "process.stdin.on('end', () => process.exit(0));",
].join('\n');

export async function benchAgents(ctx: BenchContext): Promise<void> {
  const floor = percentile(await coldStart({ command: process.execPath, args: ['--input-type=module', '-e', BARE_SDK_SERVER] }), 50);
  ctx.report(`server cold start floor (the MCP SDK's bare stdio server): median ${formatMs(floor)} over ${COLD_STARTS}`);
  for (const group of TOOL_GROUPS) {
    const prebuilt = percentile(await coldStart({ command: process.execPath, args: [join(repoRoot, 'bin', 'durable-crypto-agents.js'), group] }), 50);
    ctx.report(`${group} server cold start, prebuilt (npx launcher): median ${formatMs(prebuilt)} over ${COLD_STARTS}, ${(prebuilt / floor).toFixed(2)}x the floor`);
  }
  const fromSource = await coldStart(mcpJsonLaunch('agents'));
  ctx.report(`agents server cold start, from source (mcp.json): median ${formatMs(percentile(fromSource, 50))} over ${COLD_STARTS}`);

  const bench = await startBenchWorker(ctx, 'bench-agents', { INBOX_MAX_MESSAGES: String(ROUND_TRIPS * 2) });
  const mcp = await connectBenchServer(mcpJsonLaunch('agents'), serverEnv(ctx, bench.taskQueue));
  try {
    const agent = `bench-${bench.taskQueue.slice(-8)}`;
    const roundTrips: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i += 1) {
      const started = performance.now();
      const sent = await mcp.callTool({ name: 'prompt_agent', arguments: { target: agent, message: `tick ${i}`, message_id: `bench-${i}` } });
      const got = await mcp.callTool({ name: 'next_prompt', arguments: { agent, wait_sec: 5 } });
      roundTrips.push(performance.now() - started);
      const message = (got.structuredContent as { message?: { message_id: string } } | undefined)?.message;
      if (sent.isError || got.isError || message?.message_id !== `bench-${i}`) {
        throw new Error(`round trip ${i} went wrong: ${JSON.stringify(sent.content)} ${JSON.stringify(got.content)}`);
      }
    }
    roundTrips.sort((a, b) => a - b);
    ctx.report(
      `prompt_agent → next_prompt round trip via the stdio server: median ${formatMs(percentile(roundTrips, 50))}, p99 ${formatMs(percentile(roundTrips, 99))} over ${ROUND_TRIPS} (bare Temporal round trip: median ${formatMs(ctx.bare.p50Ms)})`,
    );
  } finally {
    await mcp.close();
    await bench.stop();
  }
}
