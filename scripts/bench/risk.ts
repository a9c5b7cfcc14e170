/**
 * Risk figures: the pre_trade_risk_check round trip through the spawned risk server (gather quotes,
 * balances and order status, decide, estimate VaR before and after, record), and the time the VaR
 * engine takes for 50 symbols over 1,000 returns (alignment, covariance, parametric and historical
 * VaR with expected shortfall, before and after an intent).
 */
import { streamSettings } from '../../worker/activities/market/stream-settings.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { marketConfigFromEnv } from '../../worker/config/market-config.js';
import { computePortfolioVar } from '../../domain/risk/portfolio-var.js';
import type { PriceSeries } from '../../domain/risk/return-grid.js';
import { formatMs, percentile, type BenchContext } from './bench-context.js';
import { connectBenchServer, mcpJsonLaunch, serverEnv, startBenchWorker } from './bench-stack.js';

const ROUND_TRIPS = 200;
const VAR_SYMBOLS = 50;
const VAR_RETURNS = 1_000;
const VAR_RUNS = 20;
const HISTORY_SEC = 900;

/** A fixed random walk per symbol (seeded), one price every interval, ending at `endMs`. */
function syntheticHistory(symbols: number, returns: number, intervalMs: number, endMs: number): Record<string, PriceSeries> {
  let seed = 7;
  const uniform = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const series: Record<string, PriceSeries> = {};
  for (let s = 0; s < symbols; s += 1) {
    const ts: number[] = [];
    const price: number[] = [];
    let p = 100 + s;
    for (let t = returns; t >= 0; t -= 1) {
      ts.push(endMs - t * intervalMs);
      price.push(p);
      p *= Math.exp((uniform() - 0.5) * 0.004);
    }
    series[`S${s}/USDT`] = { ts, price };
  }
  return series;
}

function benchVar(ctx: BenchContext): void {
  const intervalSec = 5;
  const end = 1_700_000_000_000;
  const series = syntheticHistory(VAR_SYMBOLS, VAR_RETURNS, intervalSec * 1000, end);
  const symbols = Object.keys(series);
  const before = Object.fromEntries(symbols.map((s, i) => [s, 1_000 + i * 10]));
  const after = { ...before, [symbols[0] as string]: 5_000 };
  const samples: number[] = [];
  let observations = 0;
  for (let run = 0; run < VAR_RUNS; run += 1) {
    const started = performance.now();
    const result = computePortfolioVar(series, {
      exchange: 'bench',
      weights_before: before,
      weights_after: after,
      confidence: 0.99,
      window_returns: VAR_RETURNS,
      interval_sec: intervalSec,
      min_observations: 24,
      end_ms: end,
    });
    samples.push(performance.now() - started);
    if (!result.available) throw new Error(`VaR unavailable in the benchmark: ${result.reason}`);
    observations = result.comparison.observations;
  }
  samples.sort((a, b) => a - b);
  ctx.report(
    `VaR engine, ${VAR_SYMBOLS} symbols × ${observations} returns (align, covariance, parametric + historical VaR and ES, before and after): median ${formatMs(percentile(samples, 50))}, p99 ${formatMs(percentile(samples, 99))} over ${VAR_RUNS}`,
  );
}

export async function benchRisk(ctx: BenchContext): Promise<void> {
  benchVar(ctx);

  const exchange = `bench_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
  // Limits that let every check through, so each round trip runs every check and the VaR estimate.
  const env = { RISK_MARKET_EXCHANGE: exchange, RISK_MAX_DATA_AGE_MS: '3600000', RISK_MAX_ORDERS_PER_WINDOW: '100000', RISK_RESERVATION_TTL_SEC: '1' };
  const bench = await startBenchWorker(ctx, 'bench-risk', env);
  const { taskQueue, client } = bench;
  const mcp = await connectBenchServer(mcpJsonLaunch('risk'), serverEnv(ctx, taskQueue));
  try {
    const sim = new SimVenue(42);
    const now = Date.now();
    const ticks = Array.from({ length: HISTORY_SEC }, (_, i) => sim.tickAt('BTC/USDT', now - (HISTORY_SEC - 1 - i) * 1000));
    const settings = streamSettings(marketConfigFromEnv({})).store;
    for (let i = 0; i < ticks.length; i += 500) {
      await deliverBatch(client, taskQueue, { exchange, symbol: 'BTC/USDT', simulated: true }, settings, { stream_id: 'bench', received_at: Date.now(), ticks: ticks.slice(i, i + 500) });
    }
    const account = `bench-${taskQueue.slice(-8)}`;
    const samples: number[] = [];
    let approved = 0;
    for (let i = 0; i < ROUND_TRIPS; i += 1) {
      // Each its own size, so none is a duplicate of the one before.
      const qty = (0.0001 + i * 0.000001).toFixed(6);
      const started = performance.now();
      const result = await mcp.callTool({ name: 'pre_trade_risk_check', arguments: { intent_id: `bench-${i}`, intents: [{ symbol: 'BTC/USDT', side: 'buy', qty }], account } });
      samples.push(performance.now() - started);
      const decision = (result.structuredContent as { decision?: string; var?: unknown } | undefined) ?? {};
      if (result.isError || !decision.var) throw new Error(`check ${i} did not run every check: ${JSON.stringify(result.content).slice(0, 500)}`);
      if (decision.decision === 'approved') approved += 1;
    }
    samples.sort((a, b) => a - b);
    ctx.report(
      `pre_trade_risk_check round trip via the stdio server (every check, VaR before and after, recorded): median ${formatMs(percentile(samples, 50))}, p99 ${formatMs(percentile(samples, 99))} over ${ROUND_TRIPS} (${approved} approved)`,
    );
  } finally {
    await mcp.close();
    await bench.stop();
  }
}
