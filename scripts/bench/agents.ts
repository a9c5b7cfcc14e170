/**
 * Agents server figures: cold start (spawn to tools/list answered) from source and from the
 * prebuilt launcher, and the prompt_agent → next_prompt round trip through the real stdio server,
 * next to the bare Temporal round trip measured in the same run.
 */
import { join } from 'node:path';
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

export async function benchAgents(ctx: BenchContext): Promise<void> {
  const fromSource = await coldStart(mcpJsonLaunch('agents'));
  ctx.report(`agents server cold start, from source (mcp.json): median ${formatMs(percentile(fromSource, 50))} over ${COLD_STARTS}`);
  const prebuilt = await coldStart({ command: process.execPath, args: [join(repoRoot, 'bin', 'durable-crypto-agents.js'), 'agents'] });
  ctx.report(`agents server cold start, prebuilt (npx launcher): median ${formatMs(percentile(prebuilt, 50))} over ${COLD_STARTS}`);

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
