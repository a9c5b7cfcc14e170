/**
 * Read latencies at default settings: get_portfolio_status (with a position to value and its mark),
 * get_risk_limits, get_market_snapshot (a symbol streamed at the defaults) and get_order_status, each through its
 * real stdio server, interleaved round by round with the bare Temporal round trip, so load falls on
 * every column alike and each ratio is to the floor of the same rounds.
 */
import type { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { bookFills } from '../../temporal/clients/ledger.js';
import { formatMs, percentile, type BenchContext } from './bench-context.js';
import { connectBenchServer, mcpJsonLaunch, serverEnv, startBenchWorker } from './bench-stack.js';

const ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 100);
const SYMBOL = 'BTC/USDT';

async function call(mcp: McpClient, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await mcp.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content).slice(0, 400)}`);
  return result.structuredContent as Record<string, unknown>;
}

export async function benchReads(ctx: BenchContext): Promise<void> {
  const bench = await startBenchWorker(ctx, 'bench-reads');
  const env = serverEnv(ctx, bench.taskQueue);
  const servers = await Promise.all((['ledger', 'risk', 'market', 'execution'] as const).map((group) => connectBenchServer(mcpJsonLaunch(group), env)));
  const [ledger, risk, market, execution] = servers as [McpClient, McpClient, McpClient, McpClient];
  try {
    // A stream at the defaults, as a user starts one: the store is seeded and receives a tick a second.
    await call(market, 'start_market_stream', { symbols: [SYMBOL] });
    const account = `bench-${bench.taskQueue.slice(-8)}`;
    const orderId = `bench-reads-${bench.taskQueue}`;
    // An order to read back: at the defaults a stream this young has too few returns for VaR, so
    // the gate refuses it (fail closed), and get_order_status reads that end like any other.
    await call(execution, 'place_mock_order', { client_order_id: orderId, symbol: SYMBOL, side: 'buy', type: 'market', qty: '0.001', account });
    // A position to value, booked as an order books it: the portfolio read then needs a mark from the tick store.
    const seeded = await bookFills({ client: bench.client, taskQueue: bench.taskQueue, account, settings: bench.config.ledger }, [
      {
        fill_id: `bench-reads:${account}:0`,
        client_order_id: `bench-reads-seed-${account}`,
        intent_id: null,
        order_workflow_id: `order:bench-reads-seed-${account}`,
        symbol: SYMBOL,
        side: 'buy',
        qty: '0.001',
        price: '65000',
        fee: '0.065',
        fee_currency: 'USDT',
        liquidity: 'taker',
        ts: Date.now(),
      },
    ]);
    if (seeded.refused) throw new Error(`the seed fill was refused: ${seeded.refused.message}`);

    const reads: Record<string, () => Promise<unknown>> = {
      bare: () => bench.client.workflow.execute('pingWorkflow', { taskQueue: bench.taskQueue, workflowId: `bench-reads-ping-${crypto.randomUUID()}`, args: ['r'] }),
      get_portfolio_status: () => call(ledger, 'get_portfolio_status', { account }),
      get_risk_limits: () => call(risk, 'get_risk_limits', { account }),
      get_market_snapshot: () => call(market, 'get_market_snapshot', { symbols: [SYMBOL] }),
      get_order_status: () => call(execution, 'get_order_status', { client_order_id: orderId }),
    };
    // Every read once before timing: the servers' clients connect and the workflows are cached.
    for (const read of Object.values(reads)) await read();
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(reads).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, read] of Object.entries(reads)) {
        const started = performance.now();
        await read();
        samples[name]?.push(performance.now() - started);
      }
    }
    for (const list of Object.values(samples)) list.sort((a, b) => a - b);
    const floor = percentile(samples.bare ?? [], 50);
    ctx.report(`bare Temporal round trip, interleaved with the reads: median ${formatMs(floor)}, p99 ${formatMs(percentile(samples.bare ?? [], 99))} over ${ROUNDS}`, {
      reads_bare_p50_ms: floor,
    });
    for (const [name, list] of Object.entries(samples)) {
      if (name === 'bare') continue;
      const p50 = percentile(list, 50);
      ctx.report(`${name} via the stdio server: median ${formatMs(p50)} (${(p50 / floor).toFixed(2)}× the bare round trip), p99 ${formatMs(percentile(list, 99))} over ${ROUNDS}`, {
        [`${name}_p50_ms`]: p50,
        [`${name}_p99_ms`]: percentile(list, 99),
        [`${name}_ratio`]: p50 / floor,
      });
    }
  } finally {
    await Promise.all(servers.map((mcp) => mcp.close()));
    await bench.stop();
  }
}
