/**
 * Agents figures: the prompt_agent → next_prompt round trip through the real stdio server, next
 * to the bare Temporal round trip measured in the same run. (Server start-up is its own section,
 * startup.ts.)
 */
import { formatMs, percentile, type BenchContext } from './bench-context.js';
import { connectBenchServer, mcpJsonLaunch, serverEnv, startBenchWorker } from './bench-stack.js';

const ROUND_TRIPS = 200;

export async function benchAgents(ctx: BenchContext): Promise<void> {
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
      { prompt_round_trip_p50_ms: percentile(roundTrips, 50), prompt_round_trip_p99_ms: percentile(roundTrips, 99), prompt_round_trip_ratio: percentile(roundTrips, 50) / ctx.bare.p50Ms },
    );
  } finally {
    await mcp.close();
    await bench.stop();
  }
}
