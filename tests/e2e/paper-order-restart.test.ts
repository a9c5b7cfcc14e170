/**
 * Exactly-once paper fills across worker crashes, end to end: the real worker process (SIGKILLed
 * and restarted), the execution server from mcp.json, and a Binance-format order book served on
 * 127.0.0.1. An order killed halfway through booking its fills books each fill exactly once after
 * the restart; a limit order resting when the worker dies fills once when the book crosses.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { placeMockOrder } from '../../schemas/execution-orders.js';
import { ledgerBalancesQuery, ledgerJournalQuery, ledgerWorkflowId } from '../../schemas/temporal/ledger.js';
import { orderWorkflowId, type PaperOrderState } from '../../schemas/temporal/orders.js';
import { eventually } from '../helpers/eventually.js';
import { FakeVenueServer } from '../helpers/fake-venue-server.js';
import { uniqueAccount } from '../helpers/ledger-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { binanceRecordings, exchangeOptionsFor } from '../helpers/recorded-venues.js';
import { orderMechanicsRiskEnv, riskExchangeId, seedQuotes } from '../helpers/risk-ready-market.js';
import { testClient } from '../helpers/temporal-client.js';
import { uniqueTaskQueue } from '../helpers/test-worker.js';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const DEPTH_URL = 'https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=50';
const LEVELS = 50;

/** A 50-level Binance depth answer: 0.001 BTC every cent up from `bestAsk`, bids a cent below. */
function depth50(bestAsk: number) {
  const level = (price: number) => [price.toFixed(8), '0.00100000'];
  return {
    body: {
      lastUpdateId: 48706312544,
      asks: Array.from({ length: LEVELS }, (_, i) => level(bestAsk + i * 0.01)),
      bids: Array.from({ length: LEVELS }, (_, i) => level(bestAsk - 0.01 - i * 0.01)),
    },
  };
}

const workers: WorkerProcess[] = [];
let workerEnv: Record<string, string>;
let venue: FakeVenueServer;
let server: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

async function startWorker(): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(workerEnv);
  workers.push(worker);
  await worker.ready;
  return worker;
}

async function history(workflowId: string) {
  return (await temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

beforeAll(async () => {
  venue = await FakeVenueServer.start([...binanceRecordings(), { url: DEPTH_URL, responses: [depth50(69412.01)] }]);
  const taskQueue = uniqueTaskQueue('e2e-orders');
  const quotes = riskExchangeId('e2e_orders');
  workerEnv = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    MARKET_EXCHANGE: 'binance',
    EXCHANGE_OPTIONS: exchangeOptionsFor(venue),
    PAPER_BOOK_DEPTH: String(LEVELS),
    PAPER_RESTING_POLL_SEC: '1',
    ...orderMechanicsRiskEnv(quotes, ['BTC/USDT']),
  };
  temporal = await testClient();
  await seedQuotes(temporal.client, taskQueue, quotes, { 'BTC/USDT': { bid: 69412, ask: 69412.01 } });
  server = await connectServer('execution', { TEMPORAL_ADDRESS: workerEnv.TEMPORAL_ADDRESS!, TEMPORAL_TASK_QUEUE: taskQueue });
}, 240_000);

afterAll(async () => {
  await server?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await temporal?.close();
  await venue?.close();
});

describe('the worker killed mid-order', () => {
  it('while booking a 50-level market order: after the restart every fill is booked exactly once', { timeout: 300_000 }, async () => {
    venue.record({ url: DEPTH_URL, responses: [depth50(69412.01)] });
    const worker = await startWorker();
    const account = uniqueAccount('e2e');
    const clientOrderId = `e2e-${crypto.randomUUID()}`;
    const placing = server.client.callTool(
      { name: 'place_mock_order', arguments: { client_order_id: clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.05', account } },
      undefined,
      { timeout: 120_000 },
    );
    placing.catch(() => undefined);

    // Kill as soon as the ledger holds some but not all of the order's fills. Its history says so
    // without a worker: a query is answered by the worker, and one busy booking can answer only
    // after the fills it is applying, under load after the last of them.
    const ledger = temporal.client.workflow.getHandle(ledgerWorkflowId(account));
    const bookedSoFar = async () =>
      (await history(ledgerWorkflowId(account)).catch(() => [])).filter((e) =>
        e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId?.startsWith(`${orderWorkflowId(clientOrderId)}#`),
      ).length;
    let bookedAtKill = 0;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && bookedAtKill === 0; ) bookedAtKill = await bookedSoFar();
    await worker.kill();
    expect(await worker.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(bookedAtKill).toBeGreaterThan(0);
    expect(bookedAtKill).toBeLessThan(LEVELS);

    await startWorker();
    const order = (await temporal.client.workflow.getHandle(orderWorkflowId(clientOrderId)).result()) as PaperOrderState;
    expect(order).toMatchObject({ status: 'filled', filled_qty: '0.05' });
    expect(order.fills.map((f) => f.seq)).toEqual(Array.from({ length: LEVELS }, (_, i) => i + 1));

    const journal = (await ledger.query(ledgerJournalQuery, { limit: 1_000 })).fills;
    expect(journal.map((f) => f.fill_id)).toEqual(order.fills.map((f) => f.fill_id));
    const balances = await ledger.query(ledgerBalancesQuery);
    expect(balances).toMatchObject({ fill_count: LEVELS, positions: { 'BTC/USDT': { qty: '0.05' } } });
    // Cash moved exactly once: 0.001 BTC at each of 69412.01 ... 69412.50, plus 0.1 % fees.
    expect(balances.cash).toBe('96525.91663725');
    // The booking activity really was cut off and run again.
    const started = (await history(orderWorkflowId(clientOrderId))).filter((e) => e.activityTaskStartedEventAttributes);
    expect(Math.max(...started.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 1))).toBeGreaterThan(1);

    const result = (await placing) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const answered = placeMockOrder.output.strict().parse(result.structuredContent);
    expect(['pending', 'filled']).toContain(answered.status);
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('while a limit order rests: the book crosses while no worker runs, and it fills exactly once after the restart', { timeout: 300_000 }, async () => {
    // At placement the asks start at 69412.01; the order bids 69400 and rests.
    venue.record({ url: DEPTH_URL, responses: [depth50(69412.01)] });
    const worker = await startWorker();
    const account = uniqueAccount('e2e');
    const clientOrderId = `e2e-${crypto.randomUUID()}`;
    const result = (await server.client.callTool(
      { name: 'place_mock_order', arguments: { client_order_id: clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', qty: '0.002', limit_price: '69400', account } },
      undefined,
      { timeout: 120_000 },
    )) as CallToolResult;
    const placed = placeMockOrder.output.strict().parse(result.structuredContent);
    expect([placed.status, placed.rejection?.message]).toEqual(['open', undefined]);
    await eventually(async () => {
      const polls = (await history(orderWorkflowId(clientOrderId))).filter((e) => e.timerFiredEventAttributes);
      expect(polls.length).toBeGreaterThan(0);
    }, 60_000);

    await worker.kill();
    // The market comes down through the order while nothing runs: asks from 69399.99.
    venue.record({ url: DEPTH_URL, responses: [depth50(69399.99)] });
    await startWorker();

    const order = (await temporal.client.workflow.getHandle(orderWorkflowId(clientOrderId)).result()) as PaperOrderState;
    expect(order).toMatchObject({ status: 'filled', filled_qty: '0.002' });
    // Two levels (69399.99 and 69400.00, 0.001 each) cross its price: one maker fill at the limit price.
    expect(order.fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([['0.002', '69400', 'maker']]);
    const journal = (await temporal.client.workflow.getHandle(ledgerWorkflowId(account)).query(ledgerJournalQuery, { limit: 1_000 })).fills;
    expect(journal.map((f) => f.fill_id)).toEqual([`${orderWorkflowId(clientOrderId)}#1`]);
  });
});
