/**
 * Paper order and ledger figures: the place_mock_order round trip through the real stdio
 * execution server (risk gate, sim book, ledger booking included) next to the bare Temporal round
 * trip measured in the same run; the time per ledger update over 10,000 fills booked through the
 * same update-with-start the order workflow uses, with the worker's memory and the ledger's
 * carried state after them; and the cost of the pure bookkeeping per fill.
 */
import type { Client } from '@temporalio/client';
import { ledgerWorkflowId, type LedgerFill } from '../../schemas/temporal/ledger.js';
import { bookFills, readLedgerBalances } from '../../temporal/clients/ledger.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { streamSettings } from '../../worker/activities/market/stream-settings.js';
import { marketConfigFromEnv } from '../../worker/config/market-config.js';
import { LedgerBook, newLedgerState } from '../../domain/ledger/ledger-state.js';
import { orderWorkflowId } from '../../schemas/temporal/orders.js';
import { formatMs, percentile, type BenchContext } from './bench-context.js';
import { orderTimeline } from './order-timeline.js';
import { ownCpuMs, processCpuMs } from './process-cpu.js';
import { connectBenchServer, mcpJsonLaunch, serverEnv, startBenchWorker } from './bench-stack.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
/** Orders placed on one account with this many in flight at once (the issue's throughput figure). */
const CONCURRENT_ORDERS = 200;
const IN_FLIGHT = 8;
const FILLS = 10_000;
/** Fills in flight at once while the ledger is loaded (distinct fill ids, one ledger). */
const FILL_CONCURRENCY = 8;
const SYMBOL = 'BTC/USDT';

/** Seconds of seeded quote history: the VaR estimate at its defaults (720 returns of 5 s, at least 24) has a full window. */
const HISTORY_SEC = 900;

/** Quotes for the risk gate: a tick store of the bench's own exchange id, seeded from the sim venue. */
async function seedQuotes(client: Client, taskQueue: string, exchange: string): Promise<void> {
  const sim = new SimVenue(42);
  const now = Date.now();
  const ticks = Array.from({ length: HISTORY_SEC }, (_, i) => {
    const ts = now - (HISTORY_SEC - 1 - i) * 1000;
    const t = sim.tickAt(SYMBOL, ts);
    return { ts, bid: t.bid, ask: t.ask, last: t.last };
  });
  const settings = streamSettings(marketConfigFromEnv({})).store;
  for (let i = 0; i < ticks.length; i += 500) {
    await deliverBatch(client, taskQueue, { exchange, symbol: SYMBOL, simulated: true }, settings, { stream_id: 'bench', received_at: Date.now(), ticks: ticks.slice(i, i + 500) });
  }
}

/**
 * The settings of the order figures that differ from the defaults, each for the reason given:
 * the checks all run (VaR on the seeded window at its default interval and length), but no limit
 * is the figure's bottleneck.
 */
function settingsFor(quotesExchange: string): Record<string, string> {
  return {
    // The bench's own quotes, seeded once: no stream runs beside the orders.
    RISK_MARKET_EXCHANGE: quotesExchange,
    RISK_MAX_DATA_AGE_MS: '3600000',
    // Hundreds of orders a minute on growing positions, which the default limits rightly stop.
    INITIAL_CASH: '100000000',
    RISK_MAX_ORDERS_PER_WINDOW: '100000',
    RISK_MAX_GROSS_EXPOSURE: '100000000',
    RISK_MAX_SYMBOL_NOTIONAL: '100000000',
    RISK_MAX_VAR_1D: '100000000',
    // Sizes 2 % apart within seconds, which the default duplicate window would refuse.
    RISK_DUPLICATE_WINDOW_SEC: '1',
    RISK_DUPLICATE_SIZE_TOLERANCE_PCT: '0',
    // The ledger's equity sample reads marks on a timer; hourly keeps it out of the per-fill figures.
    LEDGER_EQUITY_SAMPLE_SEC: '3600',
  };
}

function fill(account: string, i: number): LedgerFill {
  // Buys only: fills in flight at once arrive in any order, and a sale may not precede its purchase.
  return {
    fill_id: `bench:${account}:${i}`,
    client_order_id: `bench-${i}`,
    intent_id: null,
    order_workflow_id: `order:bench-${i}`,
    symbol: SYMBOL,
    side: 'buy',
    qty: '0.001',
    price: (65_000 + (i % 100)).toString(),
    fee: '0.065',
    fee_currency: 'USDT',
    liquidity: 'taker',
    ts: Date.now(),
  };
}

export async function benchOrders(ctx: BenchContext): Promise<void> {
  const quotesExchange = `bench_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const settings = settingsFor(quotesExchange);
  ctx.report(`order figures run with these settings changed from the defaults: ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  const bench = await startBenchWorker(ctx, 'bench-orders', settings);
  const { taskQueue, client, config } = bench;
  const mcp = await connectBenchServer(mcpJsonLaunch('execution'), serverEnv(ctx, taskQueue));
  try {
    await seedQuotes(client, taskQueue, quotesExchange);

    const account = `bench-${taskQueue.slice(-8)}`;
    const roundTrips: number[] = [];
    // CPU of every process an order runs through: this one (client and worker), the server, Temporal.
    const serverPid = (mcp.transport as { pid?: number | null } | undefined)?.pid;
    const cpuNow = () => {
      const server = processCpuMs(serverPid);
      const temporal = ctx.temporalCpuMs();
      return { own: ownCpuMs(), server, temporal };
    };
    const cpuBefore = cpuNow();
    for (let i = 0; i < ORDERS; i += 1) {
      // Sizes differ so the risk gate never sees two alike as a duplicate intent.
      const qty = (0.001 + i * 0.00001).toFixed(5);
      const started = performance.now();
      const result = await mcp.callTool({
        name: 'place_mock_order',
        arguments: { client_order_id: `bench-${taskQueue}-${i}`, symbol: SYMBOL, side: 'buy', type: 'market', qty, account },
      });
      roundTrips.push(performance.now() - started);
      const status = (result.structuredContent as { status?: string } | undefined)?.status;
      if (result.isError || status !== 'filled') throw new Error(`order ${i} did not fill: ${JSON.stringify(result.content).slice(0, 500)}`);
    }
    const cpuAfter = cpuNow();
    const perOrder = (after: number | null, before: number | null) => (after === null || before === null ? null : (after - before) / ORDERS);
    const cpu = { own: perOrder(cpuAfter.own, cpuBefore.own)!, server: perOrder(cpuAfter.server, cpuBefore.server), temporal: perOrder(cpuAfter.temporal, cpuBefore.temporal) };
    const total = cpu.own + (cpu.server ?? 0) + (cpu.temporal ?? 0);
    ctx.report(
      `CPU (user + system) per order: bench client and worker ${formatMs(cpu.own)}, execution server ${cpu.server === null ? '?' : formatMs(cpu.server)}, ` +
        `Temporal server ${cpu.temporal === null ? '?' : formatMs(cpu.temporal)}, all ${formatMs(total)}${cpu.server === null || cpu.temporal === null ? ' (without the ones marked ?)' : ''}`,
      { order_cpu_ms_total: total, order_cpu_ms_worker: cpu.own, ...(cpu.server === null ? {} : { order_cpu_ms_server: cpu.server }), ...(cpu.temporal === null ? {} : { order_cpu_ms_temporal: cpu.temporal }) },
    );
    // Where the last order's time went, event by event, as its history records it.
    ctx.report(`timeline of one order (bench-${taskQueue}-${ORDERS - 1}), ms since its start:`);
    for (const line of await orderTimeline(client, orderWorkflowId(`bench-${taskQueue}-${ORDERS - 1}`))) ctx.report(`    ${line}`);
    roundTrips.sort((a, b) => a - b);
    ctx.report(
      `place_mock_order round trip via the stdio server (risk gate, sim book, ledger): p50 ${formatMs(percentile(roundTrips, 50))}, p99 ${formatMs(percentile(roundTrips, 99))} over ${ORDERS} (bare Temporal round trip: median ${formatMs(ctx.bare.p50Ms)})`,
    );

    // Many in flight on one account: each is gated (one decision at a time per account) and booked once.
    const burstAccount = `bench-burst-${taskQueue.slice(-8)}`;
    const burstLatencies: number[] = [];
    const statuses = new Map<string, number>();
    let nextOrder = 0;
    const burstStarted = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = nextOrder++; i < CONCURRENT_ORDERS; i = nextOrder++) {
          // 2 % apart, so no two in flight are near-duplicates of each other.
          const qty = (0.001 * 1.02 ** i).toFixed(5);
          const started = performance.now();
          const result = await mcp.callTool({
            name: 'place_mock_order',
            arguments: { client_order_id: `bench-burst-${taskQueue}-${i}`, symbol: SYMBOL, side: 'buy', type: 'market', qty, account: burstAccount },
          });
          burstLatencies.push(performance.now() - started);
          const content = result.structuredContent as { status?: string; rejection?: { code?: string; reasons?: { code?: string }[] } } | undefined;
          // A refusal is labelled with the gate's reason codes, so a regression names its cause.
          const reasons = content?.rejection?.reasons?.map((r) => r.code).join('+');
          const label = result.isError
            ? 'error'
            : content?.status === 'rejected'
              ? `rejected ${content.rejection?.code ?? ''}${reasons ? ` (${reasons})` : ''}`
              : (content?.status ?? 'unknown');
          statuses.set(label, (statuses.get(label) ?? 0) + 1);
        }
      }),
    );
    const burstSec = (performance.now() - burstStarted) / 1000;
    burstLatencies.sort((a, b) => a - b);
    ctx.report(
      `place_mock_order on one account, ${IN_FLIGHT} in flight: ${(CONCURRENT_ORDERS / burstSec).toFixed(1)} orders/s over ${CONCURRENT_ORDERS}, latency p50 ${formatMs(percentile(burstLatencies, 50))}, p99 ${formatMs(percentile(burstLatencies, 99))} (${[...statuses].map(([k, v]) => `${v} ${k}`).join(', ')})`,
    );

    const ledgerAccount = `bench-ledger-${taskQueue.slice(-8)}`;
    const ledger = { client, taskQueue, account: ledgerAccount, settings: config.ledger };
    // With node --expose-gc the heap figures are after a full collection; otherwise as found.
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const latencies: number[] = [];
    const startedAll = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: FILL_CONCURRENCY }, async () => {
        for (let i = next++; i < FILLS; i = next++) {
          const started = performance.now();
          const outcome = await bookFills(ledger, [fill(ledgerAccount, i)]);
          latencies.push(performance.now() - started);
          if (outcome.refused) throw new Error(`fill ${i} was refused: ${outcome.refused.message}`);
        }
      }),
    );
    const wallMs = performance.now() - startedAll;
    latencies.sort((a, b) => a - b);
    const { data: balances, run_id: latestRun } = await readLedgerBalances(ledger);
    // The carried state is the start input of the latest run: what a continue-as-new hands over.
    const firstEvent = (await client.workflow.getHandle(ledgerWorkflowId(ledgerAccount), latestRun).fetchHistory()).events?.[0];
    const carriedBytes = firstEvent?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data?.length ?? 0;
    collect?.();
    const heapAfter = process.memoryUsage().heapUsed;
    ctx.report(
      `ledger update (applyFill update-with-start, ${FILL_CONCURRENCY} in flight): ${formatMs(wallMs / FILLS)} per fill over ${FILLS} (${Math.round(FILLS / (wallMs / 1000))} fills/s); latency p50 ${formatMs(percentile(latencies, 50))}, p99 ${formatMs(percentile(latencies, 99))}`,
    );
    ctx.report(
      `after ${balances.fill_count} fills: worker process heap ${(heapAfter / 2 ** 20).toFixed(1)} MiB (${(heapBefore / 2 ** 20).toFixed(1)} MiB before them${collect ? ', both after a full GC' : ', without a forced GC'}); ledger state carried into its latest run ${(carriedBytes / 1024).toFixed(1)} KiB (journal ${config.ledger.journalLimit} fills, ${config.ledger.dedupeWindow} fill ids remembered)`,
    );

    const book = new LedgerBook('bench', newLedgerState(config.ledger, Date.now()));
    const pureStarted = performance.now();
    for (let i = 0; i < FILLS; i += 1) book.apply(fill('pure', i), Date.now());
    ctx.report(`ledger bookkeeping alone (validate + book one fill, decimal money): ${(((performance.now() - pureStarted) / FILLS) * 1000).toFixed(1)} µs per fill over ${FILLS}`);
  } finally {
    await mcp.close();
    await bench.stop();
  }
}
