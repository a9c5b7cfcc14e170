/**
 * The execution ledger on a real Temporal dev server: created on first use with the configured
 * cash, fills booked through the validated update (refusals never reach history, concurrent
 * duplicates book once, concurrent sales cannot oversell), continue-as-new carrying the state,
 * equity sampled from tick-store marks, and the three report workflows behind the ledger tools.
 */
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INSUFFICIENT_CASH, INSUFFICIENT_HOLDINGS, INVALID_FILL, LEDGER_CLOSED, ledgerPerformanceInputsQuery } from '../../schemas/temporal/ledger.js';
import { failureType } from '../../schemas/temporal/failure-type.js';
import { eventually } from '../helpers/eventually.js';
import { LedgerDriver, testFill, uniqueAccount } from '../helpers/ledger-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

/** A venue id of this file's own, so the tick stores it feeds are its own too. */
const EXCHANGE = `ledgerwf_${crypto.randomUUID().slice(0, 8)}`;
const WORKER_ENV = {
  MARKET_EXCHANGE: EXCHANGE,
  INITIAL_CASH: '50000',
  LEDGER_EQUITY_SAMPLE_SEC: '1',
  LEDGER_CONTINUE_AS_NEW_AFTER: '8',
  LEDGER_JOURNAL_LIMIT: '20',
  LEDGER_DEDUPE_WINDOW: '40',
};

let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  taskQueue = uniqueTaskQueue('ledger');
  worker = await startTestWorker(taskQueue, WORKER_ENV);
  temporal = await testClient();
  client = temporal.client;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
});

const drivers: LedgerDriver[] = [];
function driver(env: Record<string, string> = WORKER_ENV): LedgerDriver {
  const created = new LedgerDriver(client, taskQueue, uniqueAccount('acct'), env);
  drivers.push(created);
  return created;
}

/** Update ids the ledger's history accepted. */
async function acceptedUpdateIds(workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId ?? []);
}

describe('booking fills', () => {
  it('creates the ledger on the first fill with INITIAL_CASH and books it', async () => {
    const ledger = driver();
    const buy = testFill({ side: 'buy', qty: '0.5', price: '40000', fee: '20' });
    const outcome = await ledger.book(buy);
    expect(outcome).toEqual({
      booked: [{ fill_id: buy.fill_id, result: { applied: true, seq: 1, cash: '29980', position: { qty: '0.5', avg_price: '40000', cost: '20000' } } }],
      refused: null,
    });
    expect(await ledger.balances()).toMatchObject({ initial_cash: '50000', cash: '29980', fees_paid: '20', fill_count: 1 });
  });

  it('refuses in the validator: a refused fill leaves no trace in history', async () => {
    const ledger = driver();
    const buy = testFill({ side: 'buy', qty: '1', price: '100' });
    await ledger.book(buy);
    const oversell = testFill({ side: 'sell', qty: '2', price: '100' });
    const tooDear = testFill({ side: 'buy', qty: '1', price: '60000' });
    const foreign = testFill({ side: 'buy', qty: '1', price: '1', symbol: 'BTC/EUR' });
    expect((await ledger.book(oversell)).refused).toMatchObject({ fill_id: oversell.fill_id, type: INSUFFICIENT_HOLDINGS });
    expect((await ledger.book(tooDear)).refused).toMatchObject({ type: INSUFFICIENT_CASH });
    expect((await ledger.book(foreign)).refused?.message).toContain('keeps cash in USDT');
    expect((await ledger.book(foreign)).refused?.type).toBe(INVALID_FILL);
    expect(await acceptedUpdateIds(ledger.workflowId)).toEqual([buy.fill_id]);
    expect((await ledger.balances()).fill_count).toBe(1);
  });

  it('books a fill once when the same fill id arrives 20 times at once', async () => {
    const ledger = driver();
    const buy = testFill({ side: 'buy', qty: '0.1', price: '30000', fee: '3' });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ledger.book(buy)));
    expect(outcomes.every((o) => o.refused === null && o.booked[0]?.result.seq === 1)).toBe(true);
    const balances = await ledger.balances();
    expect(balances).toMatchObject({ cash: '46997', fill_count: 1, positions: { 'BTC/USDT': { qty: '0.1' } } });
  });

  it('lets concurrent sales take only what is held: no check-then-act', async () => {
    const ledger = driver();
    await ledger.book(testFill({ side: 'buy', qty: '1', price: '100' }));
    const sells = Array.from({ length: 10 }, () => testFill({ side: 'sell', qty: '0.3', price: '110' }));
    const outcomes = await Promise.all(sells.map((s) => ledger.book(s)));
    const booked = outcomes.filter((o) => o.booked.length === 1);
    const refused = outcomes.filter((o) => o.refused?.type === INSUFFICIENT_HOLDINGS);
    expect([booked.length, refused.length]).toEqual([3, 7]);
    expect(await ledger.balances()).toMatchObject({ positions: { 'BTC/USDT': { qty: '0.1' } }, realized_pnl: '9', fill_count: 4 });
  });

  it('continues as new with its state: balances, journal bound and fill-id memory carry over', async () => {
    const ledger = driver();
    const first = testFill({ side: 'buy', qty: '0.01', price: '1000' });
    await ledger.book(first);
    const firstRun = (await client.workflow.getHandle(ledger.workflowId).describe()).runId;
    for (let i = 0; i < 24; i += 1) await ledger.book(testFill({ side: 'buy', qty: '0.01', price: '1000' }));
    await eventually(async () => expect((await client.workflow.getHandle(ledger.workflowId).describe()).runId).not.toBe(firstRun));
    // The first fill id is still remembered by later runs.
    expect((await ledger.book(first)).booked[0]?.result).toMatchObject({ applied: false, seq: 1 });
    const balances = await ledger.balances();
    expect(balances).toMatchObject({ cash: '49750', fill_count: 25, positions: { 'BTC/USDT': { qty: '0.25', avg_price: '1000' } } });
    const page = (await ledger.fills({ limit: 1_000 })).report;
    expect(page.fills.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    expect(page.fill_count).toBe(25);
  });

  it('refuses to book into, or report from, a ledger that was terminated, instead of resetting it', async () => {
    const ledger = driver();
    await ledger.book(testFill({ side: 'buy', qty: '1', price: '10' }));
    await client.workflow.getHandle(ledger.workflowId).terminate('closed by the test');
    const err = await ledger.book(testFill({ side: 'buy', qty: '1', price: '10' })).catch((e: unknown) => e);
    expect(failureType(err)).toBe(LEDGER_CLOSED);
    const report = await ledger.portfolio().catch((e: unknown) => e);
    expect(failureType(report)).toBe(LEDGER_CLOSED);
  });
});

describe('reports', () => {
  it('values positions at the tick-store mid, or at the last fill without a store', async () => {
    const ledger = driver();
    await ledger.tick(EXCHANGE, 'BTC/USDT', 41_000, 41_002);
    await ledger.book(
      testFill({ side: 'buy', qty: '0.5', price: '40000', fee: '20' }),
      testFill({ symbol: 'ETH/USDT', side: 'buy', qty: '2', price: '2000', fee: '4' }),
      testFill({ side: 'sell', qty: '0.25', price: '42000', fee: '10.5' }),
    );
    const { report, ledger_workflow_id } = await ledger.portfolio();
    expect(ledger_workflow_id).toBe(ledger.workflowId);
    // cash 50000 - 20020 - 4004 + 10489.5; BTC 0.25 @ mid 41001; ETH 2 @ last fill 2000
    expect(report).toMatchObject({
      cash: '36465.5',
      equity: '50715.75',
      realized_pnl: '500',
      unrealized_pnl: '250.25',
      fees_paid: '34.5',
      net_pnl: '715.75',
      exposure: { gross: '14250.25', net: '14250.25' },
      fill_count: 3,
    });
    expect(report.positions).toEqual([
      expect.objectContaining({ symbol: 'BTC/USDT', qty: '0.25', avg_price: '40000', mark_price: '41001', mark_source: 'tick_store', unrealized_pnl: '250.25' }),
      expect.objectContaining({ symbol: 'ETH/USDT', qty: '2', mark_price: '2000', mark_source: 'last_fill', unrealized_pnl: '0' }),
    ]);
  });

  it('samples equity at marks while positions are open', async () => {
    const ledger = driver();
    await ledger.tick(EXCHANGE, 'SOL/USDT', 150, 152);
    await ledger.book(testFill({ symbol: 'SOL/USDT', side: 'buy', qty: '10', price: '140' }));
    const sampled = await eventually(async () => {
      const inputs = await client.workflow.getHandle(ledger.workflowId).query(ledgerPerformanceInputsQuery);
      const marks = inputs.equity_curve.filter((p) => p.source === 'mark');
      expect(marks.length).toBeGreaterThan(0);
      return marks;
    });
    // 50000 - 1400 + 10 * 151
    expect(sampled[0]?.equity).toBe('50110');
  });

  it('serves the journal with its filters and the performance over a window', async () => {
    const ledger = driver();
    const t = Date.now();
    await ledger.book(
      testFill({ side: 'buy', qty: '1', price: '100', ts: t - 3_000, intent_id: 'intent-1' }),
      testFill({ symbol: 'ETH/USDT', side: 'buy', qty: '1', price: '10', ts: t - 2_000 }),
      testFill({ side: 'sell', qty: '1', price: '120', fee: '0.12', ts: t - 1_000 }),
    );
    const btc = (await ledger.fills({ symbol: 'BTC/USDT', since_ts: null, limit: 10 })).report;
    expect(btc.fills.map((f) => [f.side, f.price, f.realized_pnl])).toEqual([
      ['buy', '100', '0'],
      ['sell', '120', '20'],
    ]);
    expect(btc.fills[0]).toMatchObject({ intent_id: 'intent-1', order_workflow_id: expect.stringMatching(/^order:test-order-/) });
    expect((await ledger.fills({ since_ts: t - 1_500, limit: 10 })).report.matched).toBe(1);

    const { report } = await ledger.performance('all');
    expect(report).toMatchObject({ start_equity: '50000', trades: 1, wins: 1, losses: 0, win_rate_pct: 100, profit_factor: null });
    // cash 50000 - 100 - 10 + 119.88, plus 1 ETH at its last fill price 10
    expect(report.end_equity).toBe('50019.88');
    expect(report.total_return_pct).toBeCloseTo(0.03976, 5);
    expect(report.equity_curve[0]).toMatchObject({ equity: '50000', source: 'open' });
  });
});

describe('replay', () => {
  it('every ledger history of this file (latest runs, after continue-as-new too) replays without a determinism error', async () => {
    expect(drivers.length).toBeGreaterThan(5);
    for (const ledger of drivers) {
      const history = await client.workflow.getHandle(ledger.workflowId).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, ledger.workflowId);
    }
  });
});
